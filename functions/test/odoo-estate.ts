import { sql } from "drizzle-orm";
import type { Mapping } from "@crm-reco/core";
import { type Db, queryRows } from "../src/adapters/db/database.ts";
import type { FakeOdoo } from "../src/odoo/test-server/fake-odoo.ts";

/**
 * A small wine estate in a fake Odoo (companies and their contacts, private customers, an
 * archived and a blacklisted one, wines with and without an internal reference, confirmed,
 * draft and cancelled orders with section, note and down-payment lines), and the CSV exports a
 * person would make of the same records from Odoo's list views, in French.
 */
export function seedOdooEstate(odoo: FakeOdoo, options: { people?: number } = {}) {
  // Minutes apart, as records are in a real database: the sync's overlap re-reads only a few.
  const tick = () => odoo.clock.advance(600);
  const caviste = odoo.create("res.partner.category", { name: "Caviste" });
  const restaurant = odoo.create("res.partner.category", { name: "Restaurant" });
  const towns: Array<[string, string]> = [
    ["68000", "Colmar"],
    ["67000", "Strasbourg"],
    ["75011", "Paris"],
    ["69002", "Lyon"],
    ["33000", "Bordeaux"],
  ];
  const firstNames = ["Marie", "Jean", "Claire", "Luc", "Sophie", "Paul", "Anne", "Hugo"];
  const lastNames = ["Durand", "Martin", "Bernard", "Petit", "Moreau", "Laurent", "Garnier"];
  const cave = odoo.create("res.partner", {
    name: "Cave du Port",
    is_company: true,
    email: "contact@caveduport.fr",
    phone: "03 88 41 00 00",
    street: "2 quai des Bateliers",
    zip: "67000",
    city: "Strasbourg",
    country_id: 75,
    category_id: [caviste],
  });
  tick();
  const cep = odoo.create("res.partner", {
    name: "Restaurant Le Cep",
    is_company: true,
    email: "reservation@lecep.fr",
    street: "5 rue des Marchands",
    zip: "68000",
    city: "Colmar",
    country_id: 75,
    category_id: [restaurant],
  });
  const vins = odoo.create("res.partner", {
    name: "Vins et Compagnie SARL",
    is_company: true,
    email: "achats@vinsetcie.fr",
    zip: "69002",
    city: "Lyon",
    country_id: 75,
  });
  tick();
  const jeanne = odoo.create("res.partner", {
    name: "Jeanne Roux",
    parent_id: cave,
    email: "jeanne@caveduport.fr",
    zip: "67000",
    city: "Strasbourg",
    country_id: 75,
  });
  const people: number[] = [];
  for (let i = 0; i < (options.people ?? 24); i++) {
    const [zip, city] = towns[i % towns.length]!;
    const first = firstNames[i % firstNames.length]!;
    const last = lastNames[(i * 3) % lastNames.length]!;
    people.push(
      odoo.create("res.partner", {
        name: `${first} ${last}`,
        email: `${first}.${last}${i}@example.fr`.toLowerCase(),
        phone: `06 12 34 ${String(10 + i).padStart(2, "0")} 00`,
        street: `${i + 1} rue des Vignes`,
        zip,
        city,
        country_id: 75,
        active: i !== 5,
      }),
    );
    if (i % 4 === 3) tick();
  }
  const belgian = odoo.create("res.partner", {
    name: "Lucas Peeters",
    email: "lucas.peeters@example.be",
    zip: "1000",
    city: "Bruxelles",
    country_id: 20,
  });
  people.push(belgian);
  // Bought on the estate's web shop with an account: a portal user, and a customer.
  odoo.create("res.users", { login: "lucas.peeters@example.be", partner_id: belgian, share: true });
  tick();

  const wine = (name: string, code: string | false, price: number, active = true) =>
    odoo.create("product.product", { name, default_code: code, lst_price: price, active });
  const products = {
    cremant: wine("Crémant d'Alsace Brut", "CRE-NV", 12.5),
    riesling21: wine("Riesling Grand Cru 2021", "RI-21", 24),
    riesling22: wine("Riesling Grand Cru 2022", "RI-22", 25),
    pinotNoir: wine("Pinot Noir Vieilles Vignes 2022", "PN-22", 18),
    gewurz: wine("Gewurztraminer Vendanges Tardives 2019", "GW-19", 35.5),
    sylvaner: wine("Sylvaner 2023", "SY-23", 9.9),
    coffret: wine("Coffret découverte", false, 45),
    pinotGris: wine("Pinot Gris 2020", "PG-20", 16, false),
  };
  tick();
  const wines = Object.values(products);
  const customers = [cave, cep, vins, jeanne, ...people];
  const orders: number[] = [];
  const order = (
    partner: number,
    dateOrder: string,
    state: string,
    lines: Array<[number, number]>,
  ) => {
    const id = odoo.create("sale.order", { partner_id: partner, date_order: dateOrder, state });
    lines.forEach(([product, quantity], i) =>
      odoo.create("sale.order.line", {
        order_id: id,
        product_id: product,
        product_uom_qty: quantity,
        sequence: 10 + i,
      }),
    );
    orders.push(id);
    return id;
  };
  customers.forEach((partner, i) => {
    for (let n = 0; n < 1 + (i % 3); n++) {
      const month = String(1 + ((i + n * 5) % 12)).padStart(2, "0");
      const year = 2023 + ((i + n) % 2);
      // Some orders at 23:30 UTC: the next day in Paris in winter, the same day never.
      const time = (i + n) % 4 === 0 ? "23:30:00" : "09:15:00";
      order(
        partner,
        `${year}-${month}-${String(1 + ((i * 7) % 27)).padStart(2, "0")} ${time}`,
        "sale",
        [
          [wines[(i + n) % 6]!, 1 + ((i + n) % 6)],
          ...(i % 2 === 0 ? [[wines[(i + n + 2) % 7]!, 6] as [number, number]] : []),
        ],
      );
    }
    if (i % 5 === 4) tick();
  });
  const withExtras = order(cave, "2024-03-01 10:00:00", "sale", [[products.riesling22, 12]]);
  odoo.create("sale.order.line", {
    order_id: withExtras,
    display_type: "line_section",
    name: "Vins d'Alsace",
    product_uom_qty: 0,
    price_unit: 0,
  });
  odoo.create("sale.order.line", {
    order_id: withExtras,
    display_type: "line_note",
    name: "Livraison avant Noël",
    product_uom_qty: 0,
    price_unit: 0,
  });
  odoo.create("sale.order.line", {
    order_id: withExtras,
    name: "Acompte",
    product_uom_qty: 1,
    price_unit: 100,
    is_downpayment: true,
  });
  order(cep, "2024-04-01 10:00:00", "draft", [[products.gewurz, 6]]);
  order(vins, "2024-04-02 10:00:00", "cancel", [[products.cremant, 60]]);
  tick();
  return { cave, cep, vins, jeanne, people, belgian, products, customers, orders };
}

export type OdooEstate = ReturnType<typeof seedOdooEstate>;

const csv = (header: string[], rows: string[][]) =>
  `${[header, ...rows].map((r) => r.map(quote).join(";")).join("\r\n")}\r\n`;
const quote = (value: string) =>
  /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
const frenchNumber = (value: unknown) => String(value).replace(".", ",");
const round2 = (n: number) => Math.round(n * 100) / 100;

/** The estate's customers, wines and confirmed sales lines as French CSV exports of the fake's data. */
export function odooCsvExports(odoo: FakeOdoo, timeZone = "Europe/Paris") {
  const byId = (model: string) => new Map(odoo.records(model).map((r) => [r.id as number, r]));
  const partners = byId("res.partner");
  const users = odoo.records("res.users");
  const companyPartners = new Set(odoo.records("res.company").map((c) => c.partner_id));
  // Staff (internal users) are not customers, nor the website's visitor and the portal template;
  // a customer with a web-shop account (a portal user) is.
  const userPartners = new Set(
    users
      .filter(
        (u) =>
          !u.share ||
          ["public", "portaltemplate"].includes(String(u.login)) ||
          String(u.login).startsWith("public-user@"),
      )
      .map((u) => u.partner_id),
  );
  const countries = byId("res.country");
  const tags = byId("res.partner.category");
  const text = (v: unknown) => (v === false || v === null || v === undefined ? "" : String(v));
  const partnerName = (id: number) => {
    const p = partners.get(id)!;
    return p.parent_id
      ? `${text(partners.get(p.parent_id as number)!.name)}, ${text(p.name)}`
      : text(p.name);
  };

  const customerRows = [...partners.values()]
    .filter((p) => !userPartners.has(p.id) && !companyPartners.has(p.id))
    .map((p) => {
      const tagNames = ((p.category_id as number[]) ?? []).map((t) => text(tags.get(t)?.name));
      const trade = tagNames.find((t) => ["Caviste", "Restaurant"].includes(t));
      return [
        String(p.id),
        p.is_company ? "" : text(p.name),
        p.is_company
          ? text(p.name)
          : p.parent_id
            ? text(partners.get(p.parent_id as number)!.name)
            : "",
        trade ?? (p.is_company || p.parent_id ? "pro" : "particulier"),
        text(p.email),
        text(p.phone),
        text(p.mobile),
        text(p.street),
        text(p.street2),
        text(p.zip),
        text(p.city),
        p.country_id ? text(countries.get(p.country_id as number)!.name) : "",
        text(p.lang),
        p.is_blacklisted ? "non" : "",
      ];
    });
  const products = odoo.records("product.product");
  const sku = (p: Record<string, unknown>) => text(p.default_code) || `odoo-${String(p.id)}`;
  const templates = byId("product.template");
  const productRows = products.map((p) => [
    sku(p),
    text(p.name ?? templates.get(p.product_tmpl_id as number)?.name),
    frenchNumber(templates.get(p.product_tmpl_id as number)!.list_price),
    p.active === false ? "non" : "oui",
  ]);
  const productById = new Map(products.map((p) => [p.id as number, p]));
  const orders = byId("sale.order");
  const day = (utc: string) =>
    new Intl.DateTimeFormat("fr-FR", {
      timeZone,
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
    }).format(new Date(`${utc.replace(" ", "T")}Z`));
  const lineRows = odoo
    .records("sale.order.line")
    .filter((l) => {
      const o = orders.get(l.order_id as number);
      return (
        o &&
        ["sale", "done"].includes(String(o.state)) &&
        !l.display_type &&
        !l.is_downpayment &&
        l.product_id
      );
    })
    .map((l) => {
      const o = orders.get(l.order_id as number)!;
      const quantity = Number(l.product_uom_qty);
      const subtotal = round2(
        quantity * Number(l.price_unit) * (1 - Number(l.discount || 0) / 100),
      );
      const total = round2(subtotal * 1.2);
      return [
        text(o.name),
        String(l.id),
        day(text(o.date_order)),
        String(o.partner_id),
        partnerName(o.partner_id as number),
        sku(productById.get(l.product_id as number)!),
        text(
          productById.get(l.product_id as number)!.name ??
            templates.get(productById.get(l.product_id as number)!.product_tmpl_id as number)?.name,
        ),
        frenchNumber(quantity),
        frenchNumber(round2(total / quantity)),
        frenchNumber(total),
      ];
    });
  return {
    customers: csv(
      [
        "Code client",
        "Nom",
        "Raison sociale",
        "Type de client",
        "E-mail",
        "Téléphone",
        "Portable",
        "Adresse",
        "Complément d'adresse",
        "Code postal",
        "Ville",
        "Pays",
        "Langue",
        "Accepte e-mail",
      ],
      customerRows,
    ),
    products: csv(["Référence interne", "Nom", "Prix de vente", "Actif"], productRows),
    orderLines: csv(
      [
        "Commande",
        "N° ligne",
        "Date",
        "Client",
        "Nom client",
        "Article",
        "Libellé",
        "Quantité",
        "PU TTC",
        "Total TTC",
      ],
      lineRows,
    ),
  };
}

/** How the CSV exports above map (given, so the comparison does not depend on suggestions). */
export const odooCsvMappings: Record<"customers" | "products" | "order_lines", Mapping> = {
  customers: {
    entity: "customers",
    fields: {
      external_id: "Code client",
      full_name: "Nom",
      company: "Raison sociale",
      kind: "Type de client",
      email: "E-mail",
      phone: "Téléphone",
      mobile: "Portable",
      address_line1: "Adresse",
      address_line2: "Complément d'adresse",
      postal_code: "Code postal",
      city: "Ville",
      country: "Pays",
      language: "Langue",
      consent_email: "Accepte e-mail",
    },
  },
  products: {
    entity: "products",
    fields: {
      sku: "Référence interne",
      name: "Nom",
      price_excl_tax: "Prix de vente",
      active: "Actif",
    },
  },
  order_lines: {
    entity: "order_lines",
    fields: {
      document_number: "Commande",
      line_number: "N° ligne",
      order_date: "Date",
      customer_external_id: "Client",
      customer_name: "Nom client",
      product_sku: "Article",
      product_name: "Libellé",
      quantity: "Quantité",
      unit_price: "PU TTC",
      total: "Total TTC",
    },
  },
};

/** The estate's canonical data, keyed by what the source calls things (ids and timestamps left out). */
export async function canonicalSnapshot(db: Db, tenantId: string) {
  const customers = await queryRows(
    db,
    sql`select ci.external_id, c.first_name, c.last_name, c.company, c.email, c.phone, c.address_line1,
               c.address_line2, c.postal_code, c.city, c.country, c.kind, c.trade_type, c.language,
               c.consent_email, c.quality_score::float8 as quality_score, c.merged_into is not null as merged
        from customer_identities ci join customers c on c.id = ci.customer_id
        where ci.tenant_id = ${tenantId}::uuid order by ci.external_id`,
  );
  const products = await queryRows(
    db,
    sql`select sku, name, cuvee, color, appellation, vintage, size_ml, price_excl_tax::text, price_incl_tax::text, active
        from products where tenant_id = ${tenantId}::uuid order by sku`,
  );
  const lines = await queryRows(
    db,
    sql`select o.document_number, o.order_date, ci.external_id as customer, l.line_key, p.sku,
               l.quantity::text, l.unit_price::text, l.total::text
        from order_lines l join orders o on o.id = l.order_id
        left join products p on p.id = l.product_id
        left join customer_identities ci on ci.customer_id = o.customer_id and ci.source_id = o.source_id
        where o.tenant_id = ${tenantId}::uuid order by o.document_number, l.line_key`,
  );
  return { customers, products, lines };
}
