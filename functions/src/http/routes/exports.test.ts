import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDrivers } from "../../../test/databases.ts";
import { apiClient } from "../../../test/api-client.ts";
import { createTestServices } from "../../../test/services.ts";
import { queryRows } from "../../adapters/db/database.ts";
import { createUser } from "../../auth/users.ts";
import { customers, products, recommendationRuns, recommendations } from "../../db/schema/index.ts";
import { ensureTenant } from "../../repos/tenants.ts";
import type { Services } from "../../services.ts";
import { createApp } from "../app.ts";

const PASSWORD = "correct horse battery";
const street = { addressLine1: "12 rue des Vignes", postalCode: "68000", city: "Colmar" };

/**
 * Six customers with one approved recommendation each: a private buyer who said yes to letters
 * and calls, one who said yes to letters but whose record has no street, a wine shop (B2B) that
 * said nothing, a private buyer who said nothing, and two wine shops known by e-mail only.
 */
async function seed(services: Services, slug: string) {
  const db = services.db.db;
  const tenant = await ensureTenant(db, { slug, name: `Domaine ${slug}` });
  await createUser(db, tenant.id, {
    email: `editor@${slug}.fr`,
    password: PASSWORD,
    role: "editor",
  });
  const people = await db
    .insert(customers)
    .values([
      {
        tenantId: tenant.id,
        customerCode: "P1",
        lastName: "Martin",
        ...street,
        addressLine2: "Bâtiment B",
        country: "FR",
        phone: "+33612345678",
        kind: "private",
        consentPost: "opt_in",
        consentPhone: "opt_in",
      },
      {
        tenantId: tenant.id,
        customerCode: "P2",
        lastName: "Blanc",
        postalCode: "68150",
        city: "Ribeauvillé",
        kind: "private",
        consentPost: "opt_in",
      },
      {
        tenantId: tenant.id,
        customerCode: "T1",
        company: "Cave du Port",
        addressLine1: "3 quai Nord",
        postalCode: "67000",
        city: "Strasbourg",
        phone: "+33388000000",
        kind: "trade",
      },
      { tenantId: tenant.id, customerCode: "P3", lastName: "Roux", ...street, kind: "private" },
      // Two wine shops known by e-mail, one of them mistyped, with a number cut short (both kept as
      // written by the import).
      {
        tenantId: tenant.id,
        customerCode: "T2",
        company: "Cave Nord",
        email: "contact@cavenord.fr",
        kind: "trade",
      },
      {
        tenantId: tenant.id,
        customerCode: "T3",
        company: "Vins Sud",
        email: "contact@@vinssud.fr",
        phone: "03 89",
        kind: "trade",
      },
    ])
    .returning({ id: customers.id });
  const [wine] = await db
    .insert(products)
    .values({ tenantId: tenant.id, sku: "CR21", name: "Crémant Brut 2021", priceInclTax: "12.50" })
    .returning({ id: products.id });
  const [run] = await db
    .insert(recommendationRuns)
    .values({ tenantId: tenant.id, algorithm: "hybrid", status: "succeeded" })
    .returning({ id: recommendationRuns.id });
  await db.insert(recommendations).values(
    people.map((p) => ({
      tenantId: tenant.id,
      runId: run!.id,
      customerId: p.id,
      productId: wine!.id,
      algorithm: "popularity",
      score: 1,
      confidence: 0.5,
      rank: 1,
      status: "approved" as const,
      explanation: { fr: "Meilleure vente", en: "Best seller", fallback: true },
    })),
  );
}

describe.each(availableDrivers.filter((d) => d !== "neon"))("mailing export on %s", (driver) => {
  let services: Services & { close(): Promise<void> };
  let call: ReturnType<typeof apiClient>["call"];
  beforeAll(async () => {
    services = await createTestServices(driver);
    call = apiClient(createApp(services), PASSWORD).call;
  });
  afterAll(async () => services?.close());

  it.each([
    {
      channel: "post",
      header: "address_line1;address_line2;postal_code;city;country;civility;first_name;last_name",
      rows: [
        "12 rue des Vignes;Bâtiment B;68000;Colmar;FR;;;Martin;;P1;;opt_in;Crémant Brut 2021;",
        "3 quai Nord;;67000;Strasbourg;;;;;Cave du Port;T1;;b2b_legitimate_interest;Crémant",
      ],
      excluded: { no_address: 3, no_consent: 1 },
    },
    {
      channel: "phone",
      header: "phone;civility;first_name;last_name",
      rows: [
        "+33612345678;;;Martin;;P1;;opt_in;Crémant",
        "+33388000000;;;;Cave du Port;T1;;b2b_legitimate_interest;Crémant",
      ],
      excluded: { no_phone: 3, invalid_phone: 1 },
    },
    {
      channel: "email",
      header: "email;civility",
      rows: ["contact@cavenord.fr;;;;Cave Nord;T2;"],
      // The mistyped address would bounce: left out, and said why.
      excluded: { no_email: 4, invalid_email: 1 },
    },
  ])(
    "starts a $channel export with what reaches the customer, and leaves out whom it cannot reach",
    async ({ channel, header, rows, excluded }) => {
      const slug = `export-${channel}`;
      await seed(services, slug);
      const answer = await call("POST", "/api/exports/mailing", {
        as: `editor@${slug}.fr`,
        body: { channel },
      });
      expect(answer.status).toBe(200);
      const [head, ...lines] = (answer.body as unknown as string)
        .replace(/^\uFEFF/, "")
        .trim()
        .split("\r\n");
      expect(head!.startsWith(`${header};`)).toBe(true);
      expect(lines).toHaveLength(rows.length);
      rows.forEach((row, i) => expect(lines[i]!.startsWith(row), lines[i]).toBe(true));
      expect(JSON.parse(answer.headers.get("x-excluded-reasons")!)).toEqual(excluded);
    },
  );

  it("leaves out what is already a salesperson's to-do in Odoo: proposed once, not again by mail", async () => {
    const slug = "export-pushed";
    await seed(services, slug);
    const db = services.db.db;
    await db.execute(
      sql`insert into sources (tenant_id, name, kind) select id, 'Odoo', 'odoo' from tenants where slug = ${slug}`,
    );
    await db.execute(
      sql`insert into odoo_pushes (tenant_id, source_id, recommendation_id, odoo_activity_id, odoo_partner_id)
          select r.tenant_id, s.id, r.id, 1, 7 from recommendations r
          join customers c on c.id = r.customer_id join sources s on s.tenant_id = r.tenant_id
          join tenants t on t.id = r.tenant_id where t.slug = ${slug} and c.customer_code = 'T2'`,
    );
    const answer = await call("POST", "/api/exports/mailing", {
      as: `editor@${slug}.fr`,
      body: { channel: "email" },
    });
    // Cave Nord, the one customer reachable by e-mail, was sent to Odoo: nobody is left.
    expect((answer.body as unknown as string).trim().split("\r\n")).toHaveLength(1);
  });

  it("writes to a customer merged since their recommendation was approved as the one they became", async () => {
    const slug = "export-merged";
    await seed(services, slug);
    const db = services.db.db;
    // Blanc's old record, at an old address and agreeing to post, merged into Blanc (no street).
    const [{ id: tenantId }] = (await queryRows<{ id: string }>(
      db,
      sql`select id from tenants where slug = ${slug}`,
    )) as [{ id: string }];
    await db.execute(
      sql`insert into customers (tenant_id, customer_code, last_name, address_line1, postal_code, city, kind, consent_post, merged_into)
          select ${tenantId}::uuid, 'P2-old', 'Blanc', '1 rue Ancienne', '68150', 'Ribeauvillé', 'private', 'opt_in', id
          from customers where tenant_id = ${tenantId}::uuid and customer_code = 'P2'`,
    );
    await db.execute(
      sql`insert into recommendations (tenant_id, run_id, customer_id, product_id, algorithm, score, confidence, rank, status, explanation)
          select r.tenant_id, r.run_id, c.id, r.product_id, r.algorithm, r.score, r.confidence, r.rank, 'approved', r.explanation
          from recommendations r, customers c
          where r.tenant_id = ${tenantId}::uuid and c.customer_code = 'P2-old' and c.tenant_id = r.tenant_id limit 1`,
    );
    const answer = await call("POST", "/api/exports/mailing", {
      as: `editor@${slug}.fr`,
      body: { channel: "post" },
    });
    const lines = (answer.body as unknown as string).trim().split("\r\n").slice(1);
    // No letter to the old address: Blanc is written to as Blanc is now, who has no street.
    expect(lines.map((l) => l.split(";")[9])).toEqual(["P1", "T1"]);

    expect(JSON.parse(answer.headers.get("x-excluded-reasons")!)).toEqual({
      no_address: 3,
      no_consent: 1,
    });
  });

  it("names the columns, segments and legal bases in French for a French reader", async () => {
    const slug = "export-in-french";
    await seed(services, slug);
    const answer = await call("POST", "/api/exports/mailing", {
      as: `editor@${slug}.fr`,
      body: { channel: "post", lang: "fr" },
    });
    const [head, ...rows] = (answer.body as unknown as string)
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(head).toBe(
      "Adresse 1;Adresse 2;Code postal;Ville;Pays;Civilité;Prénom;Nom;Société;N° client;Segment;Base légale;Vins;Codes articles;Prix TTC;Pourquoi;Identifiants des recommandations",
    );
    expect(rows.map((r) => r.split(";")[11])).toEqual([
      "consentement",
      "intérêt légitime (professionnel)",
    ]);
  });

  it("offers a wine once to a person whose two merged records both had it approved", async () => {
    const slug = "export-merged-twice";
    await seed(services, slug);
    const db = services.db.db;
    const [{ id: tenantId }] = (await queryRows<{ id: string }>(
      db,
      sql`select id from tenants where slug = ${slug}`,
    )) as [{ id: string }];
    // Martin's old record, merged into Martin, had the same Crémant approved: offered once.
    await db.execute(
      sql`insert into customers (tenant_id, customer_code, last_name, kind, merged_into)
          select ${tenantId}::uuid, 'P1-old', 'Martin', 'private', id
          from customers where tenant_id = ${tenantId}::uuid and customer_code = 'P1'`,
    );
    await db.execute(
      sql`insert into recommendations (tenant_id, run_id, customer_id, product_id, algorithm, score, confidence, rank, status, explanation)
          select r.tenant_id, r.run_id, c.id, r.product_id, r.algorithm, r.score, r.confidence, r.rank, 'approved', r.explanation
          from recommendations r, customers c
          where r.tenant_id = ${tenantId}::uuid and c.customer_code = 'P1-old' and c.tenant_id = r.tenant_id limit 1`,
    );
    const phone = await call("POST", "/api/exports/mailing", {
      as: `editor@${slug}.fr`,
      body: { channel: "phone" },
    });
    const martin = (phone.body as unknown as string).split("\r\n")[1]!.split(";");
    expect(martin.slice(0, 4)).toEqual(["+33612345678", "", "", "Martin"]);
    expect(martin.slice(8, 10)).toEqual(["Crémant Brut 2021", "CR21"]); // once, not "… | …"
    expect(martin.at(-1)!.split(" ")).toHaveLength(2); // both recommendations marked exported
  });
});
