import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import {
  defaultOdooMappings,
  defaultRules,
  headerSignature,
  type ImportEntity,
  odooColumns,
} from "@crm-reco/core";
import { describeEachDriver } from "../../test/databases.ts";
import {
  canonicalSnapshot,
  odooCsvExports,
  odooCsvMappings,
  seedOdooEstate,
} from "../../test/odoo-estate.ts";
import { createTestServices } from "../../test/services.ts";
import { queryRows } from "../adapters/db/database.ts";
import { resolveIdentities } from "../identity/resolve-identities.ts";
import { importFile } from "../import/import-file.ts";
import { generateRecommendations } from "../recommend/generate.ts";
import { loadHistory } from "../recommend/load-history.ts";
import { saveMappingVersion } from "../repos/mappings.ts";
import { createSource, getSource, setSourceSecret } from "../repos/sources.ts";
import { ensureTenant } from "../repos/tenants.ts";
import type { Services } from "../services.ts";
import type { RetryPolicy } from "./odoo-http.ts";
import { sealSecret } from "./odoo-source.ts";
import { previewOdooSource } from "./preview-odoo.ts";
import { pushRecommendationsToOdoo } from "./push-activities.ts";
import { syncOdooSource } from "./sync-odoo.ts";
import {
  type FakeOdoo,
  type FakeUser,
  type OdooVersion,
  startFakeOdoo,
} from "./test-server/fake-odoo.ts";

/** Fast retries so that faults heal within the test; the backoff itself is unit-tested. */
const policy: RetryPolicy = { timeoutMs: 1_000, retries: 3, baseDelayMs: 5, maxDelayMs: 40 };

describeEachDriver("Odoo sync", (driver) => {
  // Every version and fault on PGlite; the database-facing paths (full and incremental syncs, a
  // failed run's cursor, custom fields) on each driver. The Odoo side does not change with it.
  const everyCase = driver === "pglite";
  /** A test registered on PGlite only (not shown as skipped elsewhere: it does not apply). */
  const onPglite = everyCase ? it : (_name: string, _body: () => Promise<void>) => {};
  let services: Services & { close(): Promise<void> };
  const fakes: FakeOdoo[] = [];
  beforeAll(async () => {
    services = await createTestServices(driver);
  });
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });
  afterAll(async () => services?.close());

  async function fakeEstate(
    version: OdooVersion,
    installed: { pos?: boolean; massMailing?: boolean } = {},
  ) {
    const odoo = await startFakeOdoo({
      version,
      installed,
      users: [
        { uid: 2, login: "admin", password: "admin", apiKeys: ["key-of-admin-0123456789"] },
        // A user who may not read the mailing lists (rights taken away from CRM Reco's user).
        {
          uid: 7,
          login: "no-lists",
          password: "no-lists",
          apiKeys: ["key-of-no-lists-0123456"],
          denied: ["mailing.subscription", "mailing.contact.subscription", "mailing.contact"],
        },
      ],
      start: new Date("2024-06-01T08:00:00Z"),
    });
    fakes.push(odoo);
    return { odoo, estate: seedOdooEstate(odoo) };
  }

  async function tenant() {
    return (await ensureTenant(services.db.db, { slug: `t-${randomUUID()}`, name: "Domaine" })).id;
  }

  async function odooSource(
    tenantId: string,
    odoo: FakeOdoo,
    config: Record<string, unknown> = {},
  ) {
    const source = await createSource(services.db.db, tenantId, {
      name: "Odoo",
      kind: "odoo",
      config: { url: odoo.url, database: "estate", login: "admin", pageSize: 10, ...config },
    });
    await setSourceSecret(
      services.db.db,
      tenantId,
      source.id,
      sealSecret(services.secretKey, "key-of-admin-0123456789"),
    );
    return source.id;
  }

  const sync = (tenantId: string, sourceId: string, full = false) =>
    syncOdooSource(services, { tenantId, sourceId, trigger: "cli", full, policy });

  /** What the estate would have had by exporting the same records to CSV and importing them. */
  async function importedFromCsv(odoo: FakeOdoo) {
    const tenantId = await tenant();
    const source = await createSource(services.db.db, tenantId, {
      name: "Exports Odoo",
      kind: "file",
    });
    const files = odooCsvExports(odoo);
    const entities: Array<[ImportEntity, string]> = [
      ["customers", files.customers],
      ["products", files.products],
      ["order_lines", files.orderLines],
    ];
    for (const [entity, text] of entities) {
      const bytes = new TextEncoder().encode(text);
      const summary = await importFile(services, {
        tenantId,
        sourceId: source.id,
        entity,
        fileName: `${entity}.csv`,
        checksum: randomUUID(),
        open: async () => new Blob([bytes]).stream(),
        trigger: "cli",
        mapping: odooCsvMappings[entity],
      });
      expect(summary.rowsRejected, `${entity}: ${JSON.stringify(summary.rejectedSample)}`).toBe(0);
      if (entity === "customers") await resolveIdentities(services.db.db, tenantId);
    }
    return canonicalSnapshot(services.db.db, tenantId);
  }

  /** The e-mail consent of the customer a partner is, and which source said it. */
  const emailConsentOf = async (tenantId: string, partnerId: number) =>
    (
      await queryRows<{ consent_email: string; consent_email_source: string | null }>(
        services.db.db,
        sql`select c.consent_email, c.consent_email_source from customers c
            join customer_identities i on i.customer_id = c.id
            where i.tenant_id = ${tenantId}::uuid and i.external_id = ${String(partnerId)}`,
      )
    )[0];

  const cursorOf = async (tenantId: string, sourceId: string) =>
    (await getSource(services.db.db, tenantId, sourceId)).cursor as Record<string, string>;

  const versions = [
    ["16.0", "jsonrpc"],
    ["17.0", "jsonrpc"],
    ["19.0", "json2"],
    ["20.0", "json2"],
  ] as const;
  it.each(everyCase ? versions : versions.filter(([version]) => version === "17.0"))(
    "a full sync of Odoo %s (through %s) gives the same canonical data as its CSV exports",
    async (version, protocol) => {
      const { odoo, estate } = await fakeEstate(version);
      const tenantId = await tenant();
      const sourceId = await odooSource(tenantId, odoo);
      const summary = await sync(tenantId, sourceId, true);
      expect(summary).toMatchObject({ status: "succeeded", protocol, errors: [] });
      expect(summary.runs.map((r) => [r.entity, r.status, r.rowsRejected])).toEqual([
        ["customers", "succeeded", 0],
        ["products", "succeeded", 0],
        ["order_lines", "succeeded", 0],
      ]);
      const synced = await canonicalSnapshot(services.db.db, tenantId);
      expect(synced).toEqual(await importedFromCsv(odoo));
      // Every customer but the estate's own company and its users; archived ones too.
      expect(synced.customers).toHaveLength(estate.customers.length);
      expect(synced.customers.map((c) => c.external_id)).toContain(String(estate.people[5]));
      // Sections, notes, down payments, quotations and cancelled orders are not sales.
      const documents = new Set(synced.lines.map((l) => l.document_number));
      expect(documents.size).toBe(estate.orders.length - 2);
      expect(synced.products.find((p) => p.sku === "PG-20")).toMatchObject({ active: false });
      expect(synced.customers.find((c) => c.external_id === String(estate.cave))).toMatchObject({
        kind: "trade",
        trade_type: "wine_shop",
        company: "Cave du Port",
      });
    },
  );

  it("an incremental sync reads what changed since the cursor and ends where a fresh CSV import does", async () => {
    const { odoo, estate } = await fakeEstate("17.0");
    const tenantId = await tenant();
    const sourceId = await odooSource(tenantId, odoo);
    const neverBought = odoo.create("res.partner", {
      name: "Paul Sansachat",
      email: "paul.sansachat@example.fr",
      zip: "68000",
      city: "Colmar",
      country_id: 75,
    });
    const first = await sync(tenantId, sourceId);
    const firstCursor = await cursorOf(tenantId, sourceId);
    expect(firstCursor["res.partner"]).toMatch(/^2024-06-01 \d\d:\d\d:\d\d$/);

    odoo.clock.advance(3600);
    odoo.write("res.partner", [estate.people[0]!], { email: "nouvelle.adresse@example.fr" });
    const [riesling] = odoo.records("product.product").filter((p) => p.default_code === "RI-22");
    odoo.write("product.template", [riesling!.product_tmpl_id as number], { list_price: 27 });
    odoo.write("product.product", [estate.products.sylvaner], { active: false });
    const [draft] = odoo.records("sale.order").filter((o) => o.state === "draft");
    odoo.write("sale.order", [draft!.id as number], { state: "sale" });
    const cancelled = estate.orders[3]!;
    odoo.write("sale.order", [cancelled], { state: "cancel" });
    const twoLines = odoo
      .records("sale.order")
      .find(
        (o) =>
          o.state === "sale" &&
          odoo.records("sale.order.line").filter((l) => l.order_id === o.id).length === 2,
      )!;
    const [dropped] = odoo.records("sale.order.line").filter((l) => l.order_id === twoLines.id);
    // As the order form does it: a delete command on the order (which bumps the order).
    odoo.write("sale.order", [twoLines.id as number], { order_line: [[2, dropped!.id, 0]] });
    const newOrder = odoo.create("sale.order", {
      partner_id: estate.belgian,
      date_order: "2024-06-01 09:00:00",
      state: "sale",
    });
    odoo.create("sale.order.line", {
      order_id: newOrder,
      product_id: estate.products.cremant,
      product_uom_qty: 3,
    });

    const second = await sync(tenantId, sourceId);
    expect(second.status).toBe("succeeded");
    const read = (s: typeof first) => s.runs.reduce((n, r) => n + r.rowsRead, 0);
    expect(read(second)).toBeLessThan(read(first) / 2);
    expect(second.runs.find((r) => r.entity === "order_lines")!.rowsDeleted).toBeGreaterThan(0);
    expect((await cursorOf(tenantId, sourceId))["res.partner"]! > firstCursor["res.partner"]!).toBe(
      true,
    );
    expect(await canonicalSnapshot(services.db.db, tenantId)).toEqual(await importedFromCsv(odoo));

    // Nothing changed since: a third sync re-reads only the overlap, and changes nothing.
    const third = await sync(tenantId, sourceId);
    expect(third.runs.every((r) => r.rowsInserted + r.rowsUpdated === 0)).toBe(true);

    // Deleted through the API, a line or an order does not show in what changed: the full
    // comparison of ids (full syncs, and every few days) removes them.
    const [line] = odoo.records("sale.order.line").filter((l) => l.order_id === estate.orders[10]);
    odoo.unlink("sale.order.line", [line!.id as number]);
    odoo.unlink("sale.order", [estate.orders[7]!]);
    odoo.unlink("res.partner", [neverBought]); // Odoo refuses to delete a partner with orders
    const incremental = await sync(tenantId, sourceId);
    expect(incremental.runs.every((r) => r.rowsDeleted === 0)).toBe(true);
    const full = await sync(tenantId, sourceId, true);
    expect(full.runs.find((r) => r.entity === "order_lines")!.rowsDeleted).toBeGreaterThan(0);
    const afterFull = await canonicalSnapshot(services.db.db, tenantId);
    const expected = await importedFromCsv(odoo);
    // The deleted partner keeps its history here; staff are told in the anomalies.
    expect(afterFull.lines).toEqual(expected.lines);
    expect(afterFull.customers.map((c) => c.external_id)).toEqual(
      [...expected.customers.map((c) => c.external_id), String(neverBought)].sort(),
    );
    const [deleted] = await queryRows<{ code: string; record_key: string }>(
      services.db.db,
      sql`select code, record_key from anomalies where tenant_id = ${tenantId}::uuid and code = 'customer.deleted_in_source'`,
    );
    expect(deleted).toEqual({
      code: "customer.deleted_in_source",
      record_key: String(neverBought),
    });
  });

  it("sees a partner blacklisted or taken off the blacklist, which leaves the partner's write_date alone", async () => {
    const { odoo, estate } = await fakeEstate("17.0");
    const tenantId = await tenant();
    const sourceId = await odooSource(tenantId, odoo);
    await sync(tenantId, sourceId);
    const person = estate.people[2]!;
    const partner = () => odoo.records("res.partner").find((p) => p.id === person)!;
    const consentOf = () => emailConsentOf(tenantId, person);
    expect((await consentOf())?.consent_email).toBe("unknown");
    const writeDate = partner().write_date;

    // The unsubscribe link: a blacklist entry for the address, as typed, normalised by Odoo.
    odoo.clock.advance(3600);
    const entry = odoo.create("mail.blacklist", { email: String(partner().email).toUpperCase() });
    expect(partner().write_date).toBe(writeDate);
    const blacklisted = await sync(tenantId, sourceId);
    expect(blacklisted.status).toBe("succeeded");
    expect(await consentOf()).toEqual({ consent_email: "opt_out", consent_email_source: "Odoo" });

    // Read once: the next sync finds nothing to change.
    const again = await sync(tenantId, sourceId);
    expect(again.runs.find((r) => r.entity === "customers")!.rowsUpdated).toBe(0);

    // Lifted in Odoo (the entry is archived): the objection Odoo recorded goes with it.
    odoo.clock.advance(3600);
    odoo.write("mail.blacklist", [entry], { active: false });
    expect(partner().write_date).toBe(writeDate);
    await sync(tenantId, sourceId);
    expect(await consentOf()).toEqual({ consent_email: "unknown", consent_email_source: "Odoo" });
  });

  it.each(everyCase ? (["16.0", "19.0"] as const) : (["17.0"] as const))(
    "on Odoo %s, counts a line sold by the carton of 6 as 6 bottles a carton",
    async (version) => {
      const { odoo, estate } = await fakeEstate(version);
      const carton = version.startsWith("19")
        ? odoo.create("uom.uom", { name: "Carton de 6", relative_factor: 6, relative_uom_id: 1 })
        : odoo.create("uom.uom", { name: "Carton de 6", factor: 1 / 6, uom_type: "bigger" });
      const order = odoo.create("sale.order", {
        partner_id: estate.cave,
        date_order: "2024-05-02 09:00:00",
        state: "sale",
      });
      const uomField = version.startsWith("19") ? "product_uom_id" : "product_uom";
      odoo.create("sale.order.line", {
        order_id: order,
        product_id: estate.products.riesling22,
        product_uom_qty: 2,
        [uomField]: carton,
        price_unit: 150, // a carton
      });
      odoo.create("sale.order.line", {
        order_id: order,
        product_id: estate.products.cremant,
        product_uom_qty: 3,
        [uomField]: 1, // bottles, as the product
        price_unit: 12.5,
      });
      const tenantId = await tenant();
      const sourceId = await odooSource(tenantId, odoo);
      expect((await sync(tenantId, sourceId, true)).status).toBe("succeeded");
      const name = String(odoo.records("sale.order").find((o) => o.id === order)!.name);
      const lines = await queryRows<{ sku: string; quantity: number; unit_price: number }>(
        services.db.db,
        sql`select p.sku, l.quantity::float8 as quantity, l.unit_price::float8 as unit_price
            from order_lines l join orders o on o.id = l.order_id join products p on p.id = l.product_id
            where o.tenant_id = ${tenantId}::uuid and o.document_number = ${name} order by p.sku`,
      );
      // 2 cartons of 150 € excl. tax are 12 bottles at 30 € incl. tax.
      expect(lines).toEqual([
        { sku: "CRE-NV", quantity: 3, unit_price: 15 },
        { sku: "RI-22", quantity: 12, unit_price: 30 },
      ]);

      // A source synced before 2026-12 counted the carton as 1: its next sync reads every line
      // again, once, though the carton's line has not changed since.
      odoo.clock.advance(3600);
      const later = odoo.create("sale.order", {
        partner_id: estate.belgian,
        date_order: "2024-05-03 09:00:00",
        state: "sale",
      });
      odoo.create("sale.order.line", { order_id: later, product_id: estate.products.cremant });
      expect((await sync(tenantId, sourceId)).status).toBe("succeeded"); // the cursors move on
      await services.db.db.execute(
        sql`update order_lines set quantity = 2, unit_price = 180 where tenant_id = ${tenantId}::uuid and quantity = 12`,
      );
      await services.db.db.execute(
        sql`update sources set cursor = cursor - 'sale.order.line.counted_in' where id = ${sourceId}::uuid`,
      );
      const again = await queryRows<{ quantity: number }>(
        services.db.db,
        sql`select l.quantity::float8 as quantity from order_lines l join orders o on o.id = l.order_id
            where o.tenant_id = ${tenantId}::uuid and o.document_number = ${name} order by 1`,
      );
      expect(again.map((l) => l.quantity)).toEqual([2, 3]);
      odoo.clock.advance(3600);
      expect((await sync(tenantId, sourceId)).status).toBe("succeeded");
      const mended = await queryRows<{ quantity: number }>(
        services.db.db,
        sql`select l.quantity::float8 as quantity from order_lines l join orders o on o.id = l.order_id
            where o.tenant_id = ${tenantId}::uuid and o.document_number = ${name} order by 1`,
      );
      expect(mended.map((l) => l.quantity)).toEqual([3, 12]);
      const cursor = (await getSource(services.db.db, tenantId, sourceId)).cursor as Record<
        string,
        string
      >;
      expect(cursor["sale.order.line.counted_in"]).toBe("product-unit, company-currency");
    },
  );

  it.each(everyCase ? (["16.0", "19.0"] as const) : (["17.0"] as const))(
    "on Odoo %s, reads the cellar door's till: the paid tickets of known customers, net of refunds",
    async (version) => {
      const admin: FakeUser = {
        uid: 2,
        login: "admin",
        password: "admin",
        apiKeys: ["key-of-admin-0123456789"],
      };
      const odoo = await startFakeOdoo({
        version,
        users: [admin],
        start: new Date("2024-06-01T08:00:00Z"),
        installed: { pos: true },
      });
      fakes.push(odoo);
      const estate = seedOdooEstate(odoo);
      const lineOf = (order: number, product: number) =>
        odoo
          .records("pos.order.line")
          .find((l) => l.order_id === order && l.product_id === product)!.id as number;
      const nameOf = (order: number) =>
        String(odoo.records("pos.order").find((o) => o.id === order)!.name);
      const till = (
        partner: number | false,
        state: string,
        lines: Array<Record<string, unknown>>,
      ) => {
        const order = odoo.create("pos.order", { partner_id: partner, state });
        for (const line of lines) odoo.create("pos.order.line", { order_id: order, ...line });
        return order;
      };
      const { riesling22, cremant, gewurz, pinotNoir } = estate.products;
      const paid = till(estate.cave, "paid", [
        { product_id: riesling22, qty: 6 },
        { product_id: cremant, qty: 2 },
      ]);
      // A bottle of Crémant brought back: a refund ticket of its own.
      till(estate.cave, "paid", [
        { product_id: cremant, qty: -1, refunded_orderline_id: lineOf(paid, cremant) },
      ]);
      till(false, "done", [{ product_id: cremant, qty: 2 }]); // anonymous
      const open = till(estate.people[0]!, "draft", [{ product_id: gewurz, qty: 1 }]);
      // A sales order settled at the till (pos_sale) is the sales order's.
      const [salesOrder] = odoo.records("sale.order").filter((o) => o.state === "sale");
      till(estate.vins, "paid", [
        { product_id: pinotNoir, qty: 3, sale_order_origin_id: salesOrder!.id },
      ]);
      const tenantId = await tenant();
      const sourceId = await odooSource(tenantId, odoo);
      const tillLines = async () =>
        queryRows<{ doc: string; sku: string; quantity: number; unit_price: number; key: string }>(
          services.db.db,
          sql`select o.document_number as doc, p.sku, l.quantity::float8 as quantity,
                     l.unit_price::float8 as unit_price, l.line_key as key
              from order_lines l join orders o on o.id = l.order_id join products p on p.id = l.product_id
              where o.tenant_id = ${tenantId}::uuid and l.line_key like '#pos-%'
              order by 1, 2`,
        );
      const salesDocuments = async () =>
        (
          await queryRows<{ n: number }>(
            services.db.db,
            sql`select count(*)::int as n from orders where tenant_id = ${tenantId}::uuid and document_number not like 'Caveau/%'`,
          )
        )[0]!.n;
      expect((await sync(tenantId, sourceId)).status).toBe("succeeded");
      const sales = await salesDocuments();
      expect(sales).toBe(estate.orders.length - 2);
      // 6 Rieslings at 25 € excl. tax, 2 Crémants less the one brought back.
      expect(await tillLines()).toEqual([
        { doc: nameOf(paid), sku: "CRE-NV", quantity: 1, unit_price: 15, key: expect.any(String) },
        { doc: nameOf(paid), sku: "RI-22", quantity: 6, unit_price: 30, key: expect.any(String) },
      ]);
      expect((await tillLines())[0]!.key).toMatch(/^#pos-\d+$/);

      // The open ticket is paid; the Rieslings are all brought back: the next sync follows both.
      odoo.clock.advance(3600);
      odoo.write("pos.order", [open], { state: "paid" });
      till(estate.cave, "paid", [
        { product_id: riesling22, qty: -6, refunded_orderline_id: lineOf(paid, riesling22) },
      ]);
      expect((await sync(tenantId, sourceId)).status).toBe("succeeded");
      expect((await tillLines()).map((d) => [d.doc, d.sku, d.quantity])).toEqual([
        [nameOf(paid), "CRE-NV", 1],
        [nameOf(open), "GW-19", 1],
      ]);

      // The comparison of ids keeps the till's orders and the sales orders alike, and keeps the
      // till's when the till can no longer be read.
      const full = await sync(tenantId, sourceId, true);
      expect(full.runs.find((r) => r.entity === "order_lines")!.rowsDeleted).toBe(0);
      expect(await salesDocuments()).toBe(sales);
      admin.denied = ["pos.order", "pos.order.line"];
      expect((await sync(tenantId, sourceId, true)).status).toBe("succeeded");
      expect(await tillLines()).toHaveLength(2);
      expect(await salesDocuments()).toBe(sales);
    },
  );

  it("counts an order in another currency in the company's, at the order's rate, and leaves out the till's rewards", async () => {
    const { odoo, estate } = await fakeEstate("17.0", { pos: true });
    // A Swiss importer invoiced in francs: 0.95 CHF for 1 € on the order's day.
    const order = odoo.create("sale.order", {
      partner_id: estate.vins,
      date_order: "2024-05-02 09:00:00",
      state: "sale",
      currency_id: 2,
      currency_rate: 0.95,
    });
    odoo.create("sale.order.line", {
      order_id: order,
      product_id: estate.products.riesling22,
      product_uom_qty: 2,
      price_unit: 47.5,
    });
    const tenantId = await tenant();
    const sourceId = await odooSource(tenantId, odoo);
    expect((await sync(tenantId, sourceId)).status).toBe("succeeded");
    const name = String(odoo.records("sale.order").find((o) => o.id === order)!.name);
    const [line] = await queryRows<{ unit_price: number; total: number }>(
      services.db.db,
      sql`select l.unit_price::float8 as unit_price, l.total::float8 as total
          from order_lines l join orders o on o.id = l.order_id
          where o.tenant_id = ${tenantId}::uuid and o.document_number = ${name}`,
    );
    // 2 × 47.50 CHF excl. tax = 114 CHF incl. tax = 120 €.
    expect(line).toEqual({ unit_price: 60, total: 120 });

    // The same at the till, whose loyalty reward (a discount line of its own) is no wine.
    odoo.clock.advance(3600);
    const ticket = odoo.create("pos.order", {
      partner_id: estate.vins,
      state: "paid",
      currency_rate: 0.95,
    });
    odoo.create("pos.order.line", {
      order_id: ticket,
      product_id: estate.products.riesling22,
      qty: 2,
      price_unit: 47.5,
    });
    const reward = odoo.create("product.product", { name: "Remise fidélité", lst_price: 0 });
    odoo.create("pos.order.line", {
      order_id: ticket,
      product_id: reward,
      qty: 1,
      price_unit: -5,
      is_reward_line: true,
    });
    expect((await sync(tenantId, sourceId)).status).toBe("succeeded");
    const tillLines = await queryRows<{ sku: string; unit_price: number; total: number }>(
      services.db.db,
      sql`select p.sku, l.unit_price::float8 as unit_price, l.total::float8 as total
          from order_lines l join products p on p.id = l.product_id
          where l.tenant_id = ${tenantId}::uuid and l.line_key like '#pos-%'`,
    );
    expect(tillLines).toEqual([{ sku: "RI-22", unit_price: 60, total: 120 }]);
  });

  it.each(everyCase ? (["16.0", "19.0"] as const) : (["17.0"] as const))(
    "on Odoo %s, leaves out the carrier's shipping line, the services and combos sold: they are not wines",
    async (version) => {
      const { odoo, estate } = await fakeEstate(version);
      const product = (name: string, type: string, code: string) =>
        odoo.create("product.product", { name, type, default_code: code, lst_price: 15 });
      const colissimo = product("Livraison Colissimo", "service", "LIVR");
      const tour = product("Visite de cave et dégustation", "service", "VISITE");
      const port = product("Port (forfait)", "consu", "PORT"); // goods, on the carrier's line
      const order = odoo.create("sale.order", {
        partner_id: estate.cave,
        date_order: "2024-05-02 09:00:00",
        state: "sale",
      });
      const lines: Array<[number, Record<string, unknown>]> = [
        [estate.products.riesling22, {}],
        [colissimo, { is_delivery: true }],
        [tour, {}],
        [port, { is_delivery: true }],
      ];
      if (version === "19.0")
        lines.push([product("Coffret trois cuvées", "combo", "COMBO"), { price_unit: 0 }]);
      for (const [id, extra] of lines)
        odoo.create("sale.order.line", { order_id: order, product_id: id, ...extra });
      const tenantId = await tenant();
      // The delivery product came in before 2026-12, as a wine would.
      await services.db.db.execute(
        sql`insert into products (tenant_id, sku, name) values (${tenantId}::uuid, 'LIVR', 'Livraison Colissimo')`,
      );
      const sourceId = await odooSource(tenantId, odoo);
      expect((await sync(tenantId, sourceId)).status).toBe("succeeded");
      const name = String(odoo.records("sale.order").find((o) => o.id === order)!.name);
      const sold = await queryRows<{ sku: string }>(
        services.db.db,
        sql`select p.sku from order_lines l join orders o on o.id = l.order_id join products p on p.id = l.product_id
            where o.tenant_id = ${tenantId}::uuid and o.document_number = ${name}`,
      );
      expect(sold).toEqual([{ sku: "RI-22" }]);
      const others = await queryRows<{ sku: string; active: boolean }>(
        services.db.db,
        sql`select sku, active from products where tenant_id = ${tenantId}::uuid
              and sku in ('LIVR', 'VISITE', 'PORT', 'COMBO') order by sku`,
      );
      // The goods product on the carrier's line is a product; the delivery service is archived.
      expect(others).toEqual([
        { sku: "LIVR", active: false },
        { sku: "PORT", active: true },
      ]);
    },
  );

  it.each(everyCase ? (["16.0", "17.0"] as const) : (["17.0"] as const))(
    "on Odoo %s, a customer who left a mailing list through its unsubscribe link gets no more e-mails, until back on it",
    async (version) => {
      const { odoo, estate } = await fakeEstate(version, { massMailing: true });
      const subscriptions =
        version === "16.0" ? "mailing.contact.subscription" : "mailing.subscription";
      const tenantId = await tenant();
      const sourceId = await odooSource(tenantId, odoo);
      const person = estate.people[2]!;
      const partner = () => odoo.records("res.partner").find((p) => p.id === person)!;
      // The list's contact is an address of its own, typed otherwise than on the partner.
      const newsletter = odoo.create("mailing.list", { name: "Lettre du domaine" });
      const events = odoo.create("mailing.list", { name: "Portes ouvertes" });
      const contact = odoo.create("mailing.contact", {
        name: "Abonné",
        email: ` ${String(partner().email).toUpperCase()} `,
      });
      const other = odoo.create("mailing.contact", { name: "Inconnu", email: "x@example.org" });
      const onNewsletter = odoo.create(subscriptions, { contact_id: contact, list_id: newsletter });
      odoo.create(subscriptions, { contact_id: contact, list_id: events });
      odoo.create(subscriptions, { contact_id: other, list_id: newsletter, opt_out: true });
      const consentOf = () => emailConsentOf(tenantId, person);
      const optedOut = async () =>
        (
          await queryRows<{ n: number }>(
            services.db.db,
            sql`select count(*)::int as n from customers
                where tenant_id = ${tenantId}::uuid and consent_email = 'opt_out'`,
          )
        )[0]!.n;
      await sync(tenantId, sourceId, true);
      expect(await consentOf()).toMatchObject({ consent_email: "unknown" });
      expect(await optedOut()).toBe(0);

      // The unsubscribe link: off the newsletter, still on the other list, partner untouched.
      odoo.clock.advance(3600);
      const writeDate = partner().write_date;
      odoo.write(subscriptions, [onNewsletter], { opt_out: true });
      expect(partner().write_date).toBe(writeDate);
      expect(await sync(tenantId, sourceId)).toMatchObject({ status: "succeeded" });
      expect(await consentOf()).toEqual({ consent_email: "opt_out", consent_email_source: "Odoo" });
      expect(await optedOut()).toBe(1);
      const before = odoo.calls.length;
      const again = await sync(tenantId, sourceId);
      expect(again.runs.find((r) => r.entity === "customers")!.rowsUpdated).toBe(0);
      // Odoo is asked for the objections standing and what changed since, not every list's
      // every subscription.
      const asked = odoo.calls
        .slice(before)
        .filter((c) => c.model === subscriptions && c.method === "search_read");
      expect(asked.map((c) => JSON.stringify(c.kwargs?.domain))).toEqual([
        expect.stringMatching(/^\["\|",\["opt_out","=",true\],\["write_date",">=","[^"]+"\],/),
      ]);

      // A full sync reads it from the subscriptions too.
      await sync(tenantId, sourceId, true);
      expect(await consentOf()).toMatchObject({ consent_email: "opt_out" });

      // Back on the list in Odoo: the objection Odoo recorded goes with it.
      odoo.clock.advance(3600);
      odoo.write(subscriptions, [onNewsletter], { opt_out: false });
      await sync(tenantId, sourceId);
      expect(await consentOf()).toEqual({ consent_email: "unknown", consent_email_source: "Odoo" });
    },
  );

  it.each(everyCase ? (["16.0", "17.0"] as const) : (["17.0"] as const))(
    "on Odoo %s, an objection made on a mailing list outlives the list, and is lifted only by the person coming back",
    async (version) => {
      const { odoo, estate } = await fakeEstate(version, { massMailing: true });
      const subscriptions =
        version === "16.0" ? "mailing.contact.subscription" : "mailing.subscription";
      const tenantId = await tenant();
      const sourceId = await odooSource(tenantId, odoo);
      const person = estate.people[2]!;
      const email = odoo.records("res.partner").find((p) => p.id === person)!.email;
      const consentOf = async () => (await emailConsentOf(tenantId, person))?.consent_email;
      const newsletter = odoo.create("mailing.list", { name: "Lettre du domaine" });
      const events = odoo.create("mailing.list", { name: "Portes ouvertes" });
      const contact = odoo.create("mailing.contact", { email });
      odoo.create(subscriptions, { contact_id: contact, list_id: newsletter, opt_out: true });
      const onEvents = odoo.create(subscriptions, { contact_id: contact, list_id: events });
      await sync(tenantId, sourceId, true);
      expect(await consentOf()).toBe("opt_out");

      // A source synced before 2026-12-05 kept no list of the subscriptions that were off:
      // nothing is taken as a return on a guess.
      await services.db.db.execute(
        sql`update sources set cursor = cursor - 'mailing.subscription.off_ids' where id = ${sourceId}::uuid`,
      );
      // The newsletter is deleted, and its subscriptions with it; the address is still on another list.
      odoo.clock.advance(3600);
      odoo.unlink("mailing.list", [newsletter]);
      expect(odoo.records(subscriptions).filter((s) => s.opt_out === true)).toEqual([]);
      await sync(tenantId, sourceId);
      expect(await consentOf()).toBe("opt_out");
      await sync(tenantId, sourceId);
      expect(await consentOf()).toBe("opt_out");

      // The estate puts the address on a new list: that is not the person coming back.
      odoo.clock.advance(3600);
      const christmas = odoo.create("mailing.list", { name: "Noël" });
      odoo.create(subscriptions, { contact_id: contact, list_id: christmas });
      await sync(tenantId, sourceId);
      expect(await consentOf()).toBe("opt_out");

      // Nor is the estate editing the list it is still on (the subscription written since, on
      // as it always was).
      odoo.clock.advance(3600);
      odoo.write(subscriptions, [onEvents], { opt_out: false });
      await sync(tenantId, sourceId);
      expect(await consentOf()).toBe("opt_out");

      // Nor is a full sync: the objection is not read from the lists any more, and stands.
      await sync(tenantId, sourceId, true);
      expect(await consentOf()).toBe("opt_out");

      // The person leaves the events list and comes back to it: that lifts what Odoo recorded.
      odoo.clock.advance(3600);
      odoo.write(subscriptions, [onEvents], { opt_out: true });
      await sync(tenantId, sourceId);
      expect(await consentOf()).toBe("opt_out");
      odoo.clock.advance(3600);
      odoo.write(subscriptions, [onEvents], { opt_out: false });
      await sync(tenantId, sourceId);
      expect(await consentOf()).toBe("unknown");
    },
  );

  onPglite(
    "raises no 'customer unknown' anomaly for a sale to a partner outside the customers' domain",
    async () => {
      const { odoo, estate } = await fakeEstate("17.0");
      // The estate's own company buys a case for its tasting room: a partner no customer sync reads.
      const own = odoo.records("res.company")[0]!.partner_id as number;
      const order = odoo.create("sale.order", {
        partner_id: own,
        date_order: "2024-05-02 09:00:00",
        state: "sale",
      });
      odoo.create("sale.order.line", {
        order_id: order,
        product_id: estate.products.cremant,
        product_uom_qty: 6,
        price_unit: 12.5,
      });
      const tenantId = await tenant();
      const sourceId = await odooSource(tenantId, odoo);
      expect((await sync(tenantId, sourceId, true)).status).toBe("succeeded");
      const [unknown] = await queryRows<{ n: number; stubs: number }>(
        services.db.db,
        sql`select (select count(*)::int from anomalies where tenant_id = ${tenantId}::uuid and code = 'customer.unknown') as n,
                 (select count(*)::int from customer_identities where tenant_id = ${tenantId}::uuid
                    and external_id = ${String(own)}) as stubs`,
      );
      expect(unknown).toEqual({ n: 0, stubs: 1 }); // the sale is kept, on a record of its own
    },
  );

  onPglite(
    "a mailing list's objection stands when CRM Reco's Odoo user may no longer read the lists",
    async () => {
      const { odoo, estate } = await fakeEstate("17.0", { massMailing: true });
      const tenantId = await tenant();
      const sourceId = await odooSource(tenantId, odoo);
      const email = odoo.records("res.partner").find((p) => p.id === estate.people[1])!.email;
      const list = odoo.create("mailing.list", { name: "Lettre du domaine" });
      const contact = odoo.create("mailing.contact", { email });
      odoo.create("mailing.subscription", { contact_id: contact, list_id: list, opt_out: true });
      await sync(tenantId, sourceId);
      const optedOut = async () =>
        (
          await queryRows<{ external_id: string }>(
            services.db.db,
            sql`select i.external_id from customers c join customer_identities i on i.customer_id = c.id
              where c.tenant_id = ${tenantId}::uuid and c.consent_email = 'opt_out'`,
          )
        ).map((r) => r.external_id);
      expect(await optedOut()).toEqual([String(estate.people[1])]);

      // The estate gives CRM Reco another user, who may not read the lists.
      await services.db.db.execute(
        sql`update sources set config = config || '{"login": "no-lists"}'::jsonb where id = ${sourceId}::uuid`,
      );
      await setSourceSecret(
        services.db.db,
        tenantId,
        sourceId,
        sealSecret(services.secretKey, "key-of-no-lists-0123456"),
      );
      odoo.clock.advance(3600);
      const summary = await sync(tenantId, sourceId);
      expect(summary.runs.find((r) => r.entity === "customers")).toMatchObject({
        status: "succeeded",
        rowsUpdated: 0,
      });
      await sync(tenantId, sourceId, true);
      expect(await optedOut()).toEqual([String(estate.people[1])]);
    },
  );

  it("reads a partner blacklisted since once, even when the estate's mapping leaves the blacklist out", async () => {
    const { odoo, estate } = await fakeEstate("17.0");
    const tenantId = await tenant();
    const sourceId = await odooSource(tenantId, odoo);
    const { consent_email: _unused, ...withoutConsent } = defaultOdooMappings.customers;
    await saveMappingVersion(services.db.db, {
      tenantId,
      sourceId,
      entity: "customers",
      headerSignature: headerSignature([...odooColumns.customers]),
      fields: withoutConsent,
    });
    await sync(tenantId, sourceId);
    // A source synced before 2026-12 kept no list of the blacklisted partners.
    await services.db.db.execute(
      sql`update sources set cursor = cursor - 'res.partner.blacklisted' where id = ${sourceId}::uuid`,
    );
    odoo.clock.advance(3600);
    const email = odoo.records("res.partner").find((p) => p.id === estate.people[2])!.email;
    odoo.create("mail.blacklist", { email });
    const customersRead = async () =>
      (await sync(tenantId, sourceId)).runs.find((r) => r.entity === "customers")!.rowsRead;
    const first = await customersRead();
    // The overlap only: not the blacklisted partner again at every sync.
    expect(await customersRead()).toBe(first - 1);
    expect(await customersRead()).toBe(first - 1);
  });

  it.each(everyCase ? (["16.0", "19.0"] as const) : (["17.0"] as const))(
    "on Odoo %s, takes in a web-shop customer (a portal user), and one an earlier domain left out at the next comparison of ids",
    async (version) => {
      const { odoo, estate } = await fakeEstate(version);
      const tenantId = await tenant();
      // As sources saved it until 2026-12: every partner with a user left out, web-shop ones too.
      const sourceId = await odooSource(tenantId, odoo, {
        partnerDomain: [["user_ids", "=", false]],
      });
      await sync(tenantId, sourceId, true);
      odoo.clock.advance(3600);
      odoo.write("res.partner", [estate.people[0]!], { phone: "06 99 99 99 99" });
      await sync(tenantId, sourceId); // the cursor moves on, past every partner but that one
      const customerIds = async () =>
        (
          await queryRows<{ external_id: string; email: string | null }>(
            services.db.db,
            sql`select i.external_id, c.email from customer_identities i join customers c on c.id = i.customer_id
              where i.source_id = ${sourceId}::uuid`,
          )
        ).map((r) => `${r.external_id} ${r.email ?? ""}`);
      const belgian = `${estate.belgian} lucas.peeters@example.be`;
      expect(await customerIds()).not.toContain(belgian);

      await services.db.db.execute(
        sql.raw(
          readFileSync(
            new URL("../../../migrations/0006_odoo_partner_domain_default.sql", import.meta.url),
            "utf8",
          ),
        ),
      );
      // Unchanged partners are not read again by every sync, only at the comparison of ids.
      expect((await sync(tenantId, sourceId)).status).toBe("succeeded");
      expect(await customerIds()).not.toContain(belgian);
      await services.db.db.execute(
        sql`update sources set cursor = cursor || '{"reconciledAt": "2000-01-01T00:00:00.000Z"}'::jsonb where id = ${sourceId}::uuid`,
      );
      const compared = await sync(tenantId, sourceId);
      expect(compared.status).toBe("succeeded");
      expect(await customerIds()).toContain(belgian);
      // Staff and the website's own accounts are still not customers.
      const synced = await canonicalSnapshot(services.db.db, tenantId);
      expect(synced.customers.map((c) => c.external_id)).toEqual(
        estate.customers.map(String).sort(),
      );
    },
  );

  it("tells wines from the estate's other goods by their Odoo category, and follows a product moved to another", async () => {
    const { odoo } = await fakeEstate("17.0");
    const accessories = odoo.create("product.category", { name: "Accessoires", parent_id: 1 });
    const wines = odoo.create("product.category", { name: "Vins", parent_id: 1 });
    const rack = odoo.create("product.product", {
      name: "Porte-bouteilles mural",
      default_code: "PB-1",
      lst_price: 39,
      categ_id: accessories,
    });
    odoo.create("product.product", {
      name: "Atelier",
      default_code: "ATL",
      lst_price: 14,
      categ_id: wines,
    });
    const tenantId = await tenant();
    const sourceId = await odooSource(tenantId, odoo);
    await sync(tenantId, sourceId);
    const kinds = async () =>
      Object.fromEntries(
        (
          await queryRows<{ sku: string; kind: string }>(
            services.db.db,
            sql`select sku, kind || ':' || category as kind from products
                where tenant_id = ${tenantId}::uuid and sku in ('PB-1', 'ATL', 'RI-21')`,
          )
        ).map((r) => [r.sku, r.kind]),
      );
    expect(await kinds()).toEqual({
      "PB-1": "other:All / Accessoires",
      ATL: "wine:All / Vins",
      "RI-21": "wine:All",
    });
    // Synced before categories were read (2026-12-04): the next sync reads every variant once.
    await services.db.db.execute(
      sql`update products set category = null, kind = 'wine' where tenant_id = ${tenantId}::uuid`,
    );
    await services.db.db.execute(
      sql`update sources set cursor = cursor - 'product.product.categories_read' where id = ${sourceId}::uuid`,
    );
    await sync(tenantId, sourceId);
    expect(await kinds()).toEqual({
      "PB-1": "other:All / Accessoires",
      ATL: "wine:All / Vins",
      "RI-21": "wine:All",
    });
    odoo.clock.advance(3600);
    const [template] = odoo.records("product.product").filter((p) => p.id === rack);
    odoo.write("product.template", [template!.product_tmpl_id as number], { categ_id: wines });
    await sync(tenantId, sourceId);
    expect((await kinds())["PB-1"]).toBe("wine:All / Vins");

    // The estate renames a category: its products' family changes, not their write_date.
    // (A product written later first, so that the sync's overlap does not read them anyway.)
    odoo.clock.advance(3600);
    odoo.create("product.product", { name: "Tire-bouchon", default_code: "TB", categ_id: 1 });
    await sync(tenantId, sourceId);
    odoo.clock.advance(3600);
    const written = odoo.records("product.product").map((p) => [p.id, p.write_date]);
    odoo.write("product.category", [wines], { name: "Accessoires de cave" });
    expect(odoo.records("product.product").map((p) => [p.id, p.write_date])).toEqual(written);
    const renamed = await sync(tenantId, sourceId);
    expect(renamed.runs.find((r) => r.entity === "products")!.rowsUpdated).toBe(2);
    expect(await kinds()).toEqual({
      "PB-1": "other:All / Accessoires de cave",
      ATL: "other:All / Accessoires de cave",
      "RI-21": "wine:All",
    });
    // Read once: the next sync finds nothing to change, and reads only the last product written
    // again (the overlap, once as a variant and once through its template), not the renamed
    // category's products.
    const again = await sync(tenantId, sourceId);
    const products = again.runs.find((r) => r.entity === "products")!;
    expect([products.rowsUpdated, products.rowsRead]).toEqual([0, 2]);
  });

  it("keeps a wine's sales when Odoo gives it an internal reference, and says when the new one is another wine's", async () => {
    const { odoo, estate } = await fakeEstate("17.0");
    const tenantId = await tenant();
    const sourceId = await odooSource(tenantId, odoo);
    await sync(tenantId, sourceId);
    const wines = async () =>
      Object.fromEntries(
        (
          await queryRows<{ sku: string; id: string; lines: number }>(
            services.db.db,
            sql`select p.sku, p.id, count(l.id)::int as lines from products p
                left join order_lines l on l.product_id = p.id
                where p.tenant_id = ${tenantId}::uuid group by p.id`,
          )
        ).map((w) => [w.sku, { id: w.id, lines: w.lines }]),
      );
    const before = await wines();
    const coffret = before[`odoo-${estate.products.coffret}`]!;
    expect(coffret.lines).toBeGreaterThan(0);

    // Known to Odoo since 2026-12 only: the next sync reads every variant once to learn them.
    await services.db.db.execute(
      sql`delete from product_identities where source_id = ${sourceId}::uuid`,
    );
    await sync(tenantId, sourceId);
    const [{ n }] = (await queryRows<{ n: number }>(
      services.db.db,
      sql`select count(*)::int as n from product_identities where source_id = ${sourceId}::uuid`,
    )) as [{ n: number }];
    expect(n).toBe(Object.keys(before).length);

    // An iSaVigne export already lists the 2024 Sylvaner.
    const file = await createSource(services.db.db, tenantId, { name: "iSaVigne", kind: "file" });
    const bytes = new TextEncoder().encode("Code article;Désignation\nSY-24;Sylvaner 2024\n");
    await importFile(services, {
      tenantId,
      sourceId: file.id,
      entity: "products",
      fileName: "articles.csv",
      checksum: randomUUID(),
      open: async () => new Blob([bytes]).stream(),
      trigger: "cli",
    });

    // iSaVigne sold the 2021 Riesling too: the wine is named by two sources.
    const sale = new TextEncoder().encode(
      "N° facture;Date;Code client;Code article;Qté\nF1;01/03/2024;C1;RI-21;6\n",
    );
    const sold = await importFile(services, {
      tenantId,
      sourceId: file.id,
      entity: "order_lines",
      fileName: "ventes.csv",
      checksum: randomUUID(),
      open: async () => new Blob([sale]).stream(),
      trigger: "cli",
    });
    expect(sold).toMatchObject({ status: "succeeded", rowsInserted: 1 });

    odoo.clock.advance(3600);
    odoo.write("product.product", [estate.products.coffret], { default_code: "COF-1" });
    odoo.write("product.product", [estate.products.sylvaner], { default_code: "SY-24" });
    odoo.write("product.product", [estate.products.riesling21], { default_code: "RI-21B" });
    // Odoo does not require references to be unique: two variants given the same one.
    odoo.write("product.product", [estate.products.pinotNoir, estate.products.gewurz], {
      default_code: "DUO",
    });
    const changed = await sync(tenantId, sourceId);
    expect(changed.status).toBe("succeeded");
    const after = await wines();
    // The same wine, its sales and code: no new wine without history beside it.
    expect(after["COF-1"]).toEqual(coffret);
    expect(after[`odoo-${estate.products.coffret}`]).toBeUndefined();
    // SY-24 was already a wine: the two stay apart (lines read again go to SY-24), and staff
    // are told.
    expect(after["SY-23"]!.id).toBe(before["SY-23"]!.id);
    expect(after["SY-24"]!.id).not.toBe(before["SY-23"]!.id);
    // Named by iSaVigne's sales, the Riesling keeps its code for them; so do the two wines
    // that took the same reference.
    for (const sku of ["RI-21", "PN-22", "GW-19"]) expect(after[sku]!.id).toBe(before[sku]!.id);
    expect(after["RI-21B"]).toBeDefined();
    expect(after["DUO"]).toBeDefined();
    const anomalies = await queryRows<{ details: unknown }>(
      services.db.db,
      sql`select details from anomalies where tenant_id = ${tenantId}::uuid and code = 'product.code_changed'`,
    );
    const said = anomalies.map((a) => JSON.stringify(a.details));
    for (const change of ["SY-23 → SY-24", "RI-21 → RI-21B", "PN-22 → DUO", "GW-19 → DUO"])
      expect(
        said.some((s) => s.includes(change)),
        change,
      ).toBe(true);
    expect(anomalies).toHaveLength(4);
  });

  onPglite("reads a record changed between two pages again, and skips none", async () => {
    const { odoo, estate } = await fakeEstate("19.0");
    const tenantId = await tenant();
    const sourceId = await odooSource(tenantId, odoo);
    let partnerPages = 0;
    odoo.onCall((call) => {
      if (call.model !== "res.partner" || call.method !== "search_read") return;
      if (++partnerPages !== 2) return;
      odoo.clock.advance(5);
      // One already read on page 1, one not read yet: both must end up current.
      odoo.write("res.partner", [estate.cave], { phone: "03 88 00 00 01" });
      odoo.write("res.partner", [estate.belgian], { city: "Liège", zip: "4000" });
    });
    const summary = await sync(tenantId, sourceId);
    odoo.onCall(null);
    expect(summary.status).toBe("succeeded");
    expect(await canonicalSnapshot(services.db.db, tenantId)).toEqual(await importedFromCsv(odoo));
  });

  const healingFaults = [
    ["a timeout", { kind: "timeout" as const }],
    ["two HTTP 500", { kind: "http" as const, status: 500 as const, times: 2 }],
    ["a 502 from the proxy", { kind: "http" as const, status: 502 as const }],
    ["a 503 with Retry-After", { kind: "http" as const, status: 503 as const, retryAfter: 0 }],
    ["a 429", { kind: "http" as const, status: 429 as const, retryAfter: 0, times: 2 }],
  ] as const;
  if (everyCase)
    it.each(healingFaults)(
      "recovers from %s on a page by retrying, and completes",
      async (_name, fault) => {
        const { odoo } = await fakeEstate("19.0");
        const tenantId = await tenant();
        const sourceId = await odooSource(tenantId, odoo);
        let pages = 0;
        odoo.onCall((call) => {
          if (call.model === "sale.order.line" && call.method === "search_read" && ++pages === 2)
            odoo.inject({ ...fault, match: { model: "sale.order.line", method: "search_read" } });
        });
        const summary = await sync(tenantId, sourceId);
        odoo.onCall(null);
        expect(summary.status).toBe("succeeded");
        expect(await canonicalSnapshot(services.db.db, tenantId)).toEqual(
          await importedFromCsv(odoo),
        );
      },
    );

  it("reads once, page after page, a mass edit that wrote many partners at one instant", async () => {
    const { odoo, estate } = await fakeEstate("17.0");
    const tenantId = await tenant();
    const sourceId = await odooSource(tenantId, odoo); // pages of 10
    await sync(tenantId, sourceId);
    // One transaction in Odoo (an import, a mass edit): one write_date to the microsecond, read
    // back to the second. Asking for "after that second" again matched the same page for ever.
    odoo.clock.advance(3600.4);
    const rows = odoo
      .records("res.partner")
      .filter((p) => estate.customers.includes(p.id as number));
    const partners = rows.map((p) => p.id as number);
    expect(partners.length).toBeGreaterThan(25);
    // Their city written again as it was: changed for Odoo, not for us.
    for (const p of rows) odoo.write("res.partner", [p.id as number], { city: p.city });
    odoo.clock.advance(1);
    const [late] = partners;
    odoo.write("res.partner", [late!], { email: "plus.tard@example.fr" }); // the second after

    const second = await sync(tenantId, sourceId);
    expect(second.status).toBe("succeeded");
    const customers = second.runs.find((r) => r.entity === "customers")!;
    // Every partner once (the late one at its new write_date), none twice, none lost.
    expect(customers.rowsRead).toBe(partners.length);
    expect(customers.rowsUpdated).toBe(1);
    const lateRow = odoo.records("res.partner").find((p) => p.id === late)!;
    expect((await cursorOf(tenantId, sourceId))["res.partner"]).toBe(
      String(lateRow.write_date).slice(0, 19),
    );
  });

  it("a fault that lasts fails the run clearly, keeps the committed pages and their cursor, and the next sync completes", async () => {
    const { odoo } = await fakeEstate("17.0");
    const tenantId = await tenant();
    const sourceId = await odooSource(tenantId, odoo);
    let pages = 0;
    odoo.onCall((call) => {
      if (call.model === "res.partner" && call.method === "search_read" && ++pages === 2)
        odoo.inject({
          kind: "http",
          status: 502,
          times: policy.retries + 1,
          match: { model: "res.partner", method: "search_read" },
        });
    });
    const failed = await sync(tenantId, sourceId);
    odoo.onCall(null);
    expect(failed.status).toBe("failed");
    expect(failed.runs).toHaveLength(1);
    expect(failed.runs[0]).toMatchObject({ entity: "customers", status: "failed" });
    expect(failed.errors[0]!.code).toBe("odoo.unavailable");
    const [{ n }] = (await queryRows<{ n: number }>(
      services.db.db,
      sql`select count(*)::int as n from customer_identities where tenant_id = ${tenantId}::uuid`,
    )) as [{ n: number }];
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(odooCsvExports(odoo).customers.trim().split("\n").length - 1);
    const cursor = (await cursorOf(tenantId, sourceId))["res.partner"];
    const [last] = await queryRows<{ external_id: string }>(
      services.db.db,
      sql`select external_id from customer_identities where tenant_id = ${tenantId}::uuid order by external_id::int desc limit 1`,
    );
    const lastCommitted = odoo
      .records("res.partner")
      .find((p) => String(p.id) === last!.external_id);
    expect(cursor).toBe(String(lastCommitted!.write_date).slice(0, 19)); // Odoo reads it to the second
    const runs = await queryRows<{ status: string; error_code: string; error_message: string }>(
      services.db.db,
      sql`select status, error_code, error_message from sync_runs where source_id = ${sourceId}::uuid`,
    );
    expect(runs).toEqual([
      expect.objectContaining({ status: "failed", error_code: "odoo.unavailable" }),
    ]);

    const resumed = await sync(tenantId, sourceId);
    expect(resumed.status).toBe("succeeded");
    expect(await canonicalSnapshot(services.db.db, tenantId)).toEqual(await importedFromCsv(odoo));
  });

  onPglite(
    "a refused key is not retried, and changes neither the data nor the cursor",
    async () => {
      const { odoo } = await fakeEstate("19.0");
      const tenantId = await tenant();
      const sourceId = await odooSource(tenantId, odoo);
      await sync(tenantId, sourceId);
      const before = await canonicalSnapshot(services.db.db, tenantId);
      const cursor = await cursorOf(tenantId, sourceId);
      odoo.write("res.partner", [odoo.records("res.partner").at(-1)!.id as number], {
        city: "Metz",
      });
      const calls = odoo.calls.length;
      odoo.inject({ kind: "access_denied", times: 100, match: { model: "res.partner" } });
      const refused = await sync(tenantId, sourceId);
      expect(refused).toMatchObject({ status: "failed", errors: [{ code: "odoo.access_denied" }] });
      expect(odoo.calls.slice(calls).filter((c) => c.model === "res.partner")).toHaveLength(1);
      expect(await canonicalSnapshot(services.db.db, tenantId)).toEqual(before);
      expect(await cursorOf(tenantId, sourceId)).toEqual(cursor);
    },
  );

  it("maps the estate's custom x_ fields like CSV columns, once a mapping is saved for them", async () => {
    const odoo = await startFakeOdoo({
      version: "18.0",
      customFields: { "product.product": { x_millesime: "integer", x_couleur: "char" } },
    });
    fakes.push(odoo);
    odoo.create("product.product", {
      name: "Cuvée Sélection",
      default_code: "SEL",
      lst_price: 22,
      x_millesime: 2018,
      x_couleur: "rouge",
    });
    const tenantId = await tenant();
    const sourceId = await odooSource(tenantId, odoo);
    await services.db.db.execute(
      sql`update sources set credentials_encrypted = ${sealSecret(services.secretKey, "admin")} where id = ${sourceId}::uuid`,
    );
    const source = await getSource(services.db.db, tenantId, sourceId);
    const preview = await previewOdooSource(services, source, "products", 5);
    expect(preview.columns).toEqual(expect.arrayContaining(["x_millesime", "x_couleur"]));
    expect(preview.saved).toBe(false);
    await saveMappingVersion(services.db.db, {
      tenantId,
      sourceId,
      entity: "products",
      headerSignature: headerSignature(preview.columns),
      fields: { ...preview.mapping.fields, vintage: "x_millesime", color: "x_couleur" },
    });
    expect((await sync(tenantId, sourceId)).status).toBe("succeeded");
    const [wine] = await queryRows<{ vintage: number; color: string }>(
      services.db.db,
      sql`select vintage, color from products where tenant_id = ${tenantId}::uuid and sku = 'SEL'`,
    );
    expect(wine).toEqual({ vintage: 2018, color: "red" });
  });

  onPglite("closes a run left running by a dead process before syncing again", async () => {
    const { odoo } = await fakeEstate("17.0");
    const tenantId = await tenant();
    const sourceId = await odooSource(tenantId, odoo);
    await services.db.db.execute(
      sql`insert into sync_runs (tenant_id, source_id, entity, trigger, file_name, status)
          values (${tenantId}::uuid, ${sourceId}::uuid, 'customers', 'schedule', 'Odoo res.partner', 'running')`,
    );
    expect((await sync(tenantId, sourceId)).status).toBe("succeeded");
    const runs = await queryRows<{ status: string; error_code: string | null }>(
      services.db.db,
      sql`select status, error_code from sync_runs where source_id = ${sourceId}::uuid and trigger = 'schedule'`,
    );
    expect(runs).toEqual([{ status: "failed", error_code: "sync.interrupted" }]);
  });
});

describeEachDriver("Odoo push of approved recommendations", (driver) => {
  let services: Services & { close(): Promise<void> };
  let odoo: FakeOdoo;
  beforeAll(async () => {
    services = await createTestServices(driver);
    odoo = await startFakeOdoo({
      version: "19.0",
      users: [{ uid: 2, login: "admin", password: "admin", apiKeys: ["key-of-admin-0123456789"] }],
      start: new Date("2024-06-01T08:00:00Z"),
    });
    seedOdooEstate(odoo);
  });
  afterAll(async () => {
    await odoo?.close();
    await services?.close();
  });

  it("writes each approved recommendation once as an activity on its partner, even after a crash between Odoo and us", async () => {
    const tenantId = (
      await ensureTenant(services.db.db, { slug: `t-${randomUUID()}`, name: "Domaine" })
    ).id;
    const source = await createSource(services.db.db, tenantId, {
      name: "Odoo",
      kind: "odoo",
      config: { url: odoo.url, database: "estate", login: "admin", pageSize: 50 },
    });
    await setSourceSecret(
      services.db.db,
      tenantId,
      source.id,
      sealSecret(services.secretKey, "key-of-admin-0123456789"),
    );
    expect(
      (await syncOdooSource(services, { tenantId, sourceId: source.id, trigger: "cli", policy }))
        .status,
    ).toBe("succeeded");
    const history = await loadHistory(services.db.db, tenantId);
    await generateRecommendations(
      services.db.db,
      tenantId,
      history,
      { algorithm: "popularity", k: 2, rules: defaultRules },
      () => services.clock.now(),
    );
    const approved = await queryRows<{ id: string; partner: string }>(
      services.db.db,
      sql`update recommendations r set status = 'approved' from customer_identities ci
          where ci.customer_id = r.customer_id and r.id in (
            select id from (select distinct on (customer_id) id from recommendations
                            where tenant_id = ${tenantId}::uuid order by customer_id, rank) one_each
            order by id limit 4)
          returning r.id, ci.external_id as partner`,
    );
    expect(approved).toHaveLength(4);
    // A to-do to propose a wine is a contact: three customers agreed to e-mails, the fourth (a
    // private customer) objected to e-mails and calls.
    const [objecting, ...agreeing] = approved;
    // Their salespeople in Odoo: Marie follows the first; the second's left the estate (archived);
    // the third's too, but it is a contact of a company Marie follows.
    const salesperson = (login: string, active = true) =>
      odoo.create("res.users", {
        login,
        active,
        partner_id: odoo.create("res.partner", { name: login }),
      });
    const marie = salesperson("marie");
    const partnerOf = (i: number) => Number(agreeing[i]!.partner);
    odoo.write("res.partner", [partnerOf(0)], { user_id: marie });
    const paul = salesperson("paul", false);
    odoo.write("res.partner", [partnerOf(1)], { user_id: paul });
    const shop = odoo.create("res.partner", {
      name: "Cave Test",
      is_company: true,
      user_id: marie,
    });
    odoo.write("res.partner", [partnerOf(2)], {
      parent_id: shop,
      is_company: false,
      user_id: paul,
    });
    await services.db.db.execute(
      sql`update customers c set kind = 'private', email = 'client@exemple.fr',
                 consent_email = case when r.id = ${objecting!.id}::uuid then 'opt_out' else 'opt_in' end,
                 consent_phone = case when r.id = ${objecting!.id}::uuid then 'opt_out' else consent_phone end
          from recommendations r where r.customer_id = c.id
            and r.id = any(${`{${approved.map((a) => a.id).join(",")}}`}::uuid[])`,
    );

    const push = () =>
      pushRecommendationsToOdoo(services, { tenantId, sourceId: source.id, policy });
    expect(await push()).toMatchObject({
      pushed: 3,
      alreadyInOdoo: 0,
      errors: [],
      skipped: [{ recommendationId: objecting!.id, reason: expect.stringContaining("opted_out") }],
    });
    const activities = odoo.records("mail.activity");
    expect(activities).toHaveLength(3);
    expect(activities.map((a) => [a.res_model, String(a.res_id)]).sort()).toEqual(
      agreeing.map((a) => ["res.partner", a.partner]).sort(),
    );
    // Each to-do is on its salesperson's list; without one still at the estate, the API user's.
    const ownerOf = (i: number) => activities.find((a) => a.res_id === partnerOf(i))!.user_id;
    expect([ownerOf(0), ownerOf(1), ownerOf(2)]).toEqual([marie, 2, marie]);
    expect(String(activities[0]!.note)).toMatch(/crm-reco:[0-9a-f-]{36}/);

    expect(await push()).toMatchObject({ pushed: 0, alreadyInOdoo: 0 });
    // As if we had died after Odoo wrote the activities but before we recorded them.
    await services.db.db.execute(sql`delete from odoo_pushes where tenant_id = ${tenantId}::uuid`);
    expect(await push()).toMatchObject({ pushed: 0, alreadyInOdoo: 3 });
    expect(odoo.records("mail.activity")).toHaveLength(3);
    const [{ n }] = (await queryRows<{ n: number }>(
      services.db.db,
      sql`select count(*)::int as n from contacts where tenant_id = ${tenantId}::uuid and channel = 'odoo_activity'`,
    )) as [{ n: number }];
    expect(n).toBeGreaterThanOrEqual(3);

    // Odoo refuses a to-do to a user who may not read the partner (multi-company rules; a
    // UserError in Odoo 16's _check_access_assignation): it then goes to the API's user, and the
    // push goes on.
    odoo.unlink(
      "mail.activity",
      odoo.records("mail.activity").map((a) => a.id as number),
    );
    await services.db.db.execute(sql`delete from odoo_pushes where tenant_id = ${tenantId}::uuid`);
    odoo.write("res.partner", [partnerOf(1)], { user_id: marie });
    odoo.inject({
      kind: "server_error",
      name: "odoo.exceptions.UserError",
      message:
        "Assigned user marie has no access to the document and is not able to handle this activity.",
      match: { model: "mail.activity", method: "create" },
    });
    expect(await push()).toMatchObject({ pushed: 3, errors: [] });
    const owners = odoo.records("mail.activity").map((a) => a.user_id);
    expect(owners).toHaveLength(3);
    expect(owners.filter((o) => o === marie)).toHaveLength(2);
    expect(owners.filter((o) => o === 2)).toHaveLength(1);
  });
});
