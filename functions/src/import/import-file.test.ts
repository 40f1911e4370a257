import { createHash, randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDriver } from "../../test/databases.ts";
import {
  cp1252,
  customersCsv,
  customersCsvSummary,
  generatedOrderLines,
  orderLinesCsv,
  utf8,
} from "../../test/import-fixtures.ts";
import { createTestServices } from "../../test/services.ts";
import { arrayParam, queryRows } from "../adapters/db/database.ts";
import { rejectedRows, syncRuns } from "../db/schema/index.ts";
import { createSource } from "../repos/sources.ts";
import { decideAnomaly, sourceQualityScore } from "../repos/quality.ts";
import { ensureTenant } from "../repos/tenants.ts";
import type { Services } from "../services.ts";
import { type ImportRequest, importFile } from "./import-file.ts";
import { writeProducts } from "./write-products.ts";

const streamOf = (bytes: Uint8Array) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 4096) controller.enqueue(bytes.slice(i, i + 4096));
      controller.close();
    },
  });

describeEachDriver("importFile", (driver) => {
  let services: Services & { close(): Promise<void> };
  beforeAll(async () => {
    services = await createTestServices(driver);
  });
  afterAll(async () => services?.close());

  async function setup() {
    const tenant = await ensureTenant(services.db.db, {
      slug: `t-${randomUUID()}`,
      name: "Domaine",
    });
    const source = await createSource(services.db.db, tenant.id, {
      name: "iSaVigne",
      kind: "file",
    });
    return { tenantId: tenant.id, sourceId: source.id };
  }
  const request = (
    ids: { tenantId: string; sourceId: string },
    entity: ImportRequest["entity"],
    bytes: Uint8Array,
    extra: Partial<ImportRequest> = {},
  ): ImportRequest => ({
    ...ids,
    entity,
    fileName: `${entity}.csv`,
    checksum: createHash("sha256").update(bytes).digest("hex"),
    open: async () => streamOf(bytes),
    trigger: "cli",
    ...extra,
  });

  it("imports a Windows-1252 customer export, rejecting the row without a code and recording why", async () => {
    const ids = await setup();
    const summary = await importFile(services, request(ids, "customers", cp1252(customersCsv)));
    expect(summary).toMatchObject({
      ...customersCsvSummary,
    });
    const customers = await queryRows<{
      customer_code: string;
      last_name: string;
      first_name: string;
      email: string | null;
      postal_code: string;
    }>(
      services.db.db,
      sql`select customer_code, last_name, first_name, email, postal_code from customers where tenant_id = ${ids.tenantId}::uuid order by customer_code`,
    );
    expect(customers).toEqual([
      {
        customer_code: "C001",
        last_name: "Lefèvre",
        first_name: "Zoé",
        email: "zoe.lefevre@example.fr",
        postal_code: "01000",
      },
      {
        customer_code: "C002",
        last_name: "Dupré",
        first_name: "Noël",
        email: null,
        postal_code: "21200",
      },
      {
        customer_code: "C003",
        last_name: "Müller",
        first_name: "Jürgen",
        email: "jm@example.de",
        postal_code: "68000",
      },
    ]);
    const rejected = await services.db.db
      .select()
      .from(rejectedRows)
      .where(eq(rejectedRows.syncRunId, summary.runId!));
    expect(rejected).toMatchObject([
      {
        lineNumber: 5,
        raw: ";Sans;Code;;;",
        reasons: [{ field: "external_id", code: "value.required" }],
      },
    ]);
    const [run] = await services.db.db
      .select()
      .from(syncRuns)
      .where(eq(syncRuns.id, summary.runId!));
    expect(run).toMatchObject({
      status: "partial",
      fileName: "customers.csv",
      trigger: "cli",
      entity: "customers",
      rowsRead: 4,
      rowsRejected: 1,
    });
    expect(run!.finishedAt).not.toBeNull();
  });

  it("changes nothing when the same file is imported again, and updates only what changed", async () => {
    const ids = await setup();
    await importFile(services, request(ids, "customers", cp1252(customersCsv)));
    const again = await importFile(services, request(ids, "customers", cp1252(customersCsv)));
    expect(again).toMatchObject({
      rowsInserted: 0,
      rowsUpdated: 0,
      rowsUnchanged: 3,
      rowsRejected: 1,
    });
    const changed = customersCsv
      .replace("21200;Beaune", "21200;Beaune Cedex")
      .replace("C003;Müller", "C004;Roux");
    const third = await importFile(services, request(ids, "customers", cp1252(changed)));
    expect(third).toMatchObject({ rowsInserted: 1, rowsUpdated: 1, rowsUnchanged: 1 });
    const [count] = await queryRows<{ n: number }>(
      services.db.db,
      sql`select count(*)::int as n from customers where tenant_id = ${ids.tenantId}::uuid`,
    );
    expect(count!.n).toBe(4);
  });

  it("knows an invoice's lines again when the export gains or loses its line numbers", async () => {
    const ids = await setup();
    const utf8 = (text: string) => new TextEncoder().encode(text);
    const head = "N° facture;Date;N° client;Code article;Qté;Prix unitaire\r\n";
    const lines = [
      "F1;05/01/2025;C1;PN22;6;15,00",
      "F1;05/01/2025;C1;CR21;6;12,00",
      "F1;05/01/2025;C1;PN22;1;15,00", // the same wine twice on one invoice
      "F2;06/01/2025;C2;CR21;12;11,50",
    ];
    const withoutNumbers = head + lines.join("\r\n") + "\r\n";
    const numbered = (rows: string[]) =>
      "N° ligne;" + head + rows.map((l, i) => `${i === 3 ? 1 : i + 1};${l}`).join("\r\n") + "\r\n";
    const stored = async () =>
      (
        await queryRows<{ line: string }>(
          services.db.db,
          sql`select o.document_number || ' ' || p.sku || ' ' || l.quantity::float8 as line
              from order_lines l join orders o on o.id = l.order_id join products p on p.id = l.product_id
              where l.tenant_id = ${ids.tenantId}::uuid order by 1`,
        )
      ).map((r) => r.line);
    await importFile(services, request(ids, "order_lines", utf8(withoutNumbers)));
    const before = await stored();
    expect(before).toEqual(["F1 CR21 6", "F1 PN22 1", "F1 PN22 6", "F2 CR21 12"]);

    const gained = await importFile(services, request(ids, "order_lines", utf8(numbered(lines))));
    expect(gained).toMatchObject({ rowsInserted: 0, rowsUpdated: 0, rowsUnchanged: 4 });
    expect(await stored()).toEqual(before);
    // Numbered now: a line whose wine was corrected is that line, changed.
    const corrected = lines.map((l) => l.replace("C1;CR21;6;12,00", "C1;CRR21;6;12,00"));
    const fixed = await importFile(
      services,
      request(ids, "order_lines", utf8(numbered(corrected))),
    );
    expect(fixed).toMatchObject({ rowsInserted: 0, rowsUpdated: 1, rowsUnchanged: 3 });
    const after = ["F1 CRR21 6", "F1 PN22 1", "F1 PN22 6", "F2 CR21 12"];
    expect(await stored()).toEqual(after);

    const lost = corrected.join("\r\n");
    const lostNumbers = await importFile(
      services,
      request(ids, "order_lines", utf8(head + lost + "\r\n")),
    );
    expect(lostNumbers).toMatchObject({ rowsInserted: 0, rowsUpdated: 0, rowsUnchanged: 4 });
    expect(await stored()).toEqual(after);
  });

  it("leaves a numbered file's lines alone for a row whose number is blank, and moves a line's anomalies with it", async () => {
    const ids = await setup();
    const utf8 = (text: string) => new TextEncoder().encode(text);
    const numbered = utf8(
      "N° ligne;N° facture;Date;N° client;Code article;Qté;Prix unitaire\r\n" +
        "1;F1;05/01/2025;C1;PN22;6;15,00\r\n2;F1;05/01/2025;C1;CR21;6;12,00\r\n;F1;05/01/2025;C1;PORT;1;9,00\r\n",
    );
    await importFile(services, request(ids, "order_lines", numbered));
    const again = await importFile(services, request(ids, "order_lines", numbered));
    expect(again).toMatchObject({ rowsInserted: 0, rowsUpdated: 0, rowsUnchanged: 3 });

    // A line whose amount disagrees, flagged and ignored by staff, then the export gains numbers.
    const other = await setup();
    const head = "N° facture;Date;N° client;Code article;Qté;Prix unitaire;Montant\r\n";
    const rows = ["F1;05/01/2025;C1;PN22;6;15,00;90,00", "F1;05/01/2025;C1;CR21;6;12,00;80,00"];
    await importFile(services, request(other, "order_lines", utf8(head + rows.join("\r\n"))));
    const flagged = sql`select record_key, status from anomalies where tenant_id = ${other.tenantId}::uuid and code = 'order_line.total_mismatch'`;
    expect(await queryRows(services.db.db, flagged)).toEqual([
      { record_key: "F1/CR21#1", status: "open" },
    ]);
    await services.db.db.execute(
      sql`update anomalies set status = 'ignored' where tenant_id = ${other.tenantId}::uuid and code = 'order_line.total_mismatch'`,
    );
    await importFile(
      services,
      request(
        other,
        "order_lines",
        utf8("N° ligne;" + head + rows.map((r, i) => `${i + 1};${r}`).join("\r\n")),
      ),
    );
    expect(await queryRows(services.db.db, flagged)).toEqual([
      { record_key: "F1/#2", status: "ignored" },
    ]);
  });

  it("imports order lines, creating orders, stub customers and products, and keeps repeated wines as separate lines", async () => {
    const ids = await setup();
    await importFile(services, request(ids, "customers", cp1252(customersCsv)));
    const summary = await importFile(services, request(ids, "order_lines", utf8(orderLinesCsv)));
    expect(summary).toMatchObject({
      status: "partial",
      rowsRead: 6,
      rowsInserted: 4,
      rowsRejected: 2,
    });
    expect(
      summary.rejectedSample.map((r) => [r.line, r.reasons.map((reason) => reason.code)]),
    ).toEqual([
      [6, ["value.invalid_date"]],
      [7, ["value.invalid_number"]],
    ]);
    const lines = await queryRows<{
      document_number: string;
      order_date: string;
      customer_code: string;
      sku: string;
      line_key: string;
      quantity: string;
      unit_price: string;
    }>(
      services.db.db,
      sql`select o.document_number, o.order_date::text as order_date, c.customer_code, p.sku, l.line_key, l.quantity::text as quantity, l.unit_price::text as unit_price
          from order_lines l join orders o on o.id = l.order_id join customers c on c.id = o.customer_id join products p on p.id = l.product_id
          where l.tenant_id = ${ids.tenantId}::uuid order by o.document_number, l.line_key`,
    );
    expect(lines).toEqual([
      {
        document_number: "FA-1",
        order_date: "2024-03-01",
        customer_code: "C001",
        sku: "CRE-21",
        line_key: "CRE-21#1",
        quantity: "6.000",
        unit_price: "12.50",
      },
      {
        document_number: "FA-1",
        order_date: "2024-03-01",
        customer_code: "C001",
        sku: "CRE-21",
        line_key: "CRE-21#2",
        quantity: "1.000",
        unit_price: "0.00",
      },
      {
        document_number: "FA-1",
        order_date: "2024-03-01",
        customer_code: "C001",
        sku: "PN-22",
        line_key: "PN-22#1",
        quantity: "2.000",
        unit_price: "34.90",
      },
      {
        document_number: "FA-2",
        order_date: "2024-03-25",
        customer_code: "C009",
        sku: "PN-22",
        line_key: "PN-22#1",
        quantity: "2.000",
        unit_price: "34.90",
      },
    ]);
    const [products] = await queryRows<{ names: string }>(
      services.db.db,
      sql`select string_agg(name, ' | ' order by sku) as names from products where tenant_id = ${ids.tenantId}::uuid`,
    );
    expect(products!.names).toBe("Crémant 2021 | Pinot Noir 2022");
    const again = await importFile(services, request(ids, "order_lines", utf8(orderLinesCsv)));
    expect(again).toMatchObject({
      rowsInserted: 0,
      rowsUpdated: 0,
      rowsUnchanged: 4,
      rowsRejected: 2,
    });
  });

  it("imports French and English exports of the same customers with no hand-written mapping", async () => {
    const ids = await setup();
    const english =
      "Customer ID,First Name,Last Name,E-mail Address,Zip Code,City\nC001,Zoé,Lefèvre,zoe.lefevre@example.fr,01000,Bourg-en-Bresse\n";
    const fromEnglish = await importFile(services, request(ids, "customers", utf8(english)));
    expect(fromEnglish).toMatchObject({
      status: "succeeded",
      rowsInserted: 1,
      encoding: "utf-8",
      delimiter: ",",
    });
    expect(fromEnglish.mapping!.fields).toEqual({
      external_id: "Customer ID",
      first_name: "First Name",
      last_name: "Last Name",
      email: "E-mail Address",
      postal_code: "Zip Code",
      city: "City",
    });
    const fromFrench = await importFile(services, request(ids, "customers", cp1252(customersCsv)));
    expect(fromFrench).toMatchObject({ rowsInserted: 2, rowsUnchanged: 1, rowsRejected: 1 });
  });

  it("says which customers of earlier files a customers file no longer has, keeping them", async () => {
    const ids = await setup();
    const utf8 = (text: string) => new TextEncoder().encode(text);
    const file = (codes: string[]) =>
      utf8("N° client;Nom\r\n" + codes.map((c) => `${c};Client ${c}`).join("\r\n") + "\r\n");
    const first = await importFile(
      services,
      request(ids, "customers", file(["C1", "C2", "C3", "C4"])),
    );
    expect(first.warnings.filter((w) => w.code === "customers.absent")).toEqual([]);
    // A customer known from a sale only was never in a customers file.
    await importFile(
      services,
      request(
        ids,
        "order_lines",
        utf8("N° facture;Date;N° client;Code article;Qté\r\nF1;05/01/2025;C9;PN22;6\r\n"),
      ),
    );
    const second = await importFile(services, request(ids, "customers", file(["C1", "C3"])));
    expect(second.warnings.find((w) => w.code === "customers.absent")).toMatchObject({
      details: { count: 2, sample: ["C2", "C4"] },
      message: expect.stringMatching(
        /^2 customers of this source's earlier files are not in this one/,
      ),
    });
    const [kept] = await queryRows<{ n: number }>(
      services.db.db,
      sql`select count(*)::int as n from customers where tenant_id = ${ids.tenantId}::uuid`,
    );
    expect(kept!.n).toBe(5);
  });

  it("takes a customer listed on several rows as its last row says, and a second import of the file changes nothing", async () => {
    // An export that repeats each customer on each of their orders, one row after the other.
    const ids = await setup();
    const file =
      "N° client;Nom;Ville\nC1;Martin;Colmar\nC1;Martin;Colmar\nC1;Martin;Munster\nC2;Blanc;Sélestat\nC2;Blanc;Sélestat\nC3;Roux;Ribeauvillé\nC1;Martin;Munster\nC2;Blanc;Obernai\n";
    const cities = () =>
      queryRows<{ customer_code: string; city: string }>(
        services.db.db,
        sql`select customer_code, city from customers where tenant_id = ${ids.tenantId}::uuid order by customer_code`,
      );
    // Three customers created; the five rows a later row of theirs replaces change nothing.
    expect(await importFile(services, request(ids, "customers", utf8(file)))).toMatchObject({
      status: "succeeded",
      rowsRead: 8,
      rowsInserted: 3,
      rowsUpdated: 0,
      rowsUnchanged: 5,
    });
    const after = [
      { customer_code: "C1", city: "Munster" },
      { customer_code: "C2", city: "Obernai" },
      { customer_code: "C3", city: "Ribeauvillé" },
    ];
    expect(await cities()).toEqual(after);
    // Row by row, the second import would have written C1 back to Colmar and C2 to Sélestat,
    // then again to Munster and Obernai, and counted those rows as updates.
    expect(await importFile(services, request(ids, "customers", utf8(file)))).toMatchObject({
      rowsInserted: 0,
      rowsUpdated: 0,
      rowsUnchanged: 8,
    });
    const stamps = await queryRows<{ updated_at: string }>(
      services.db.db,
      sql`select updated_at::text from customers where tenant_id = ${ids.tenantId}::uuid and customer_code = 'C1'`,
    );
    const changed = file.replace("C2;Blanc;Obernai", "C2;Blanc;Barr");
    expect(await importFile(services, request(ids, "customers", utf8(changed)))).toMatchObject({
      rowsInserted: 0,
      rowsUpdated: 1,
      rowsUnchanged: 7,
    });
    expect((await cities())[1]).toEqual({ customer_code: "C2", city: "Barr" });
    expect(
      await queryRows<{ updated_at: string }>(
        services.db.db,
        sql`select updated_at::text from customers where tenant_id = ${ids.tenantId}::uuid and customer_code = 'C1'`,
      ),
    ).toEqual(stamps);
  });

  it("writes a customer listed far apart once, as their last row says, whatever the batch size", async () => {
    // An export with a row per order in date order: one customer's rows land in several batches.
    const ids = await setup();
    const file =
      "N° client;Nom;Ville\nC1;Martin;Colmar\nC2;Blanc;Sélestat\nC3;Roux;Barr\nC1;Martin;Munster\nC2;Blanc;Obernai\nC1;Martin;Turckheim\n";
    const first = await importFile(
      services,
      request(ids, "customers", utf8(file), { batchSize: 2 }),
    );
    expect(first).toMatchObject({ rowsInserted: 3, rowsUpdated: 0, rowsUnchanged: 3 });
    expect(
      await queryRows<{ customer_code: string; city: string }>(
        services.db.db,
        sql`select customer_code, city from customers where tenant_id = ${ids.tenantId}::uuid order by customer_code`,
      ),
    ).toEqual([
      { customer_code: "C1", city: "Turckheim" },
      { customer_code: "C2", city: "Obernai" },
      { customer_code: "C3", city: "Barr" },
    ]);
    const again = await importFile(
      services,
      request(ids, "customers", utf8(file), { batchSize: 2 }),
    );
    expect(again).toMatchObject({ rowsRead: 6, rowsInserted: 0, rowsUpdated: 0, rowsUnchanged: 6 });
    const [run] = await queryRows<{ progress: { lastLine: number; quality: { rows: number } } }>(
      services.db.db,
      sql`select progress from sync_runs where id = ${again.runId}::uuid`,
    );
    expect(run!.progress).toMatchObject({ lastLine: 7, quality: { rows: 6 } });
  });

  it("stores anomalies with severities, scores quality, and does not pile anomalies up on re-import", async () => {
    const ids = await setup();
    const file =
      "N° client;Nom;E-mail;Tél;CP\nC1;Martin;jean@;06 12 34 56 78;68000\nC2;Blanc;b@example.fr;12;1000\nC1;Martin;jean@;06 12 34 56 79;68000\nC3;Roux;;;\n";
    const first = await importFile(services, request(ids, "customers", utf8(file)));
    expect(first.anomalies).toEqual({ critical: 0, high: 2, medium: 1, low: 3 });
    expect(first.qualityScore).toBeGreaterThan(50);
    expect(first.qualityScore).toBeLessThan(100);
    expect(first.quality).toMatchObject({ rows: 4, uniqueness: 0.75, mappingConfidence: 1 });
    const stored = await queryRows<{
      record_key: string;
      code: string;
      severity: string;
      line_number: number;
      message: string;
    }>(
      services.db.db,
      sql`select record_key, code, severity, line_number, details->'message'->>'fr' as message from anomalies where source_id = ${ids.sourceId}::uuid order by record_key, code, field`,
    );
    expect(stored).toEqual([
      {
        record_key: "C1",
        code: "customer.duplicate_in_source",
        severity: "high",
        line_number: 4,
        message:
          "Client présent plusieurs fois dans le fichier, avec des valeurs différentes : seule sa dernière ligne est gardée (code C1)",
      },
      {
        record_key: "C1",
        code: "email.invalid",
        severity: "high",
        line_number: 4,
        message: "E-mail invalide : jean@",
      },
      {
        record_key: "C2",
        code: "phone.invalid",
        severity: "medium",
        line_number: 3,
        message: "Numéro de téléphone non valide : 12",
      },
      {
        record_key: "C3",
        code: "customer.no_contact",
        severity: "low",
        line_number: 5,
        message: "Client sans e-mail ni téléphone",
      },
      {
        record_key: "C3",
        code: "field.missing",
        severity: "low",
        line_number: 5,
        message: "Champ utile vide : E-mail",
      },
      {
        record_key: "C3",
        code: "field.missing",
        severity: "low",
        line_number: 5,
        message: "Champ utile vide : Code postal",
      },
    ]);
    const [score] = await queryRows<{ quality_score: number; postal_code: string }>(
      services.db.db,
      sql`select quality_score, postal_code from customers where tenant_id = ${ids.tenantId}::uuid and customer_code = 'C2'`,
    );
    expect(score).toMatchObject({ postal_code: "01000" });
    expect(score!.quality_score).toBeLessThan(100);

    await services.db.db.execute(
      sql`update anomalies set status = 'ignored' where source_id = ${ids.sourceId}::uuid and code = 'customer.no_contact'`,
    );
    await services.db.db.execute(
      sql`update anomalies set status = 'resolved' where source_id = ${ids.sourceId}::uuid and code = 'phone.invalid'`,
    );
    await importFile(services, request(ids, "customers", utf8(file)));
    const after = await queryRows<{ code: string; status: string }>(
      services.db.db,
      sql`select code, status from anomalies where source_id = ${ids.sourceId}::uuid order by code`,
    );
    expect(after).toEqual([
      { code: "customer.duplicate_in_source", status: "open" },
      { code: "customer.no_contact", status: "ignored" },
      { code: "email.invalid", status: "open" },
      { code: "field.missing", status: "open" },
      { code: "field.missing", status: "open" },
      { code: "phone.invalid", status: "open" },
    ]);
  });

  it("reports sales of wines and customers the source's files do not have, until those files bring them, and rejected rows as critical", async () => {
    const ids = await setup();
    const summary = await importFile(services, request(ids, "order_lines", utf8(orderLinesCsv)));
    expect(summary.anomalies.critical).toBe(2);
    const open = async () =>
      (
        await queryRows<{ anomaly: string }>(
          services.db.db,
          sql`select code || ' ' || record_key as anomaly from anomalies
              where source_id = ${ids.sourceId}::uuid and code like '%.unknown' and status = 'open' order by 1`,
        )
      ).map((r) => r.anomaly);
    expect(await open()).toEqual([
      "customer.unknown C001",
      "customer.unknown C009",
      "product.unknown CRE-21",
      "product.unknown PN-22",
    ]);
    await importFile(
      services,
      request(
        ids,
        "products",
        utf8("Code article;Désignation\nCRE-21;Crémant d'Alsace Brut 2021\n"),
      ),
    );
    await importFile(
      services,
      request(ids, "customers", utf8("N° client;Nom;E-mail\nC009;Weber;paul@weber.fr\n")),
    );
    expect(await open()).toEqual(["customer.unknown C001", "product.unknown PN-22"]);
  });

  it("resolves a refused line's anomaly once the file is imported again with the line corrected, and only then", async () => {
    const ids = await setup();
    const header = "N° facture;Date;N° client;Code article;Qté\n";
    const sales = (date: string, third = "F3;03/03/2026;C002;PN-22;6") =>
      utf8(`${header}F1;01/03/2026;C001;CRE-21;6\nF2;${date};C001;PN-22;12\n${third}\n`);
    const rejected = async () =>
      (
        await queryRows<{ line: number; status: string }>(
          services.db.db,
          sql`select line_number as line, status from anomalies
              where source_id = ${ids.sourceId}::uuid and code = 'row.rejected' order by line_number`,
        )
      ).map((r) => `${r.line} ${r.status}`);
    await importFile(
      services,
      request(ids, "order_lines", sales("31/02/2026", "F3;xx;C002;PN-22;6")),
    );
    expect(await rejected()).toEqual(["3 open", "4 open"]);
    // Another file, whose third line is another sale: not a correction of the one refused.
    await importFile(
      services,
      request(ids, "order_lines", sales("31/02/2026", "F4;05/03/2026;C003;VT-19;1")),
    );
    expect(await rejected()).toEqual(["3 open", "4 open"]);
    // The date of line 3 corrected, line 4 still wrong.
    const corrected = await importFile(
      services,
      request(ids, "order_lines", sales("28/02/2026", "F3;xx;C002;PN-22;6")),
    );
    expect(corrected.rowsRejected).toBe(1);
    expect(await rejected()).toEqual(["3 resolved", "4 open"]);
  });

  it("keeps an invoice's shipping, discount and deposit lines, on products that are no wines; the staff's word on a product outlives imports", async () => {
    const ids = await setup();
    const invoice = [
      "N° facture;Date;Code client;Code article;Désignation;Quantité;Prix unitaire TTC",
      "F1;05/01/2026;C1;CREM21;Crémant d'Alsace Brut 2021;6;12,50",
      "F1;05/01/2026;C1;PORT;Frais de port;1;15,00",
      "F1;05/01/2026;C1;REM;Remise fidélité 5%;1;-3,75",
      "F2;07/01/2026;C2;CONS;Consigne bouteille;6;0,20",
      "F2;07/01/2026;C2;CAISSE6;Caisse bois 6 bouteilles;1;8,00",
      "F2;07/01/2026;C2;REMISE19;Domaine de la Remise 2019;6;9,00",
    ].join("\n");
    const summary = await importFile(services, request(ids, "order_lines", utf8(invoice)));
    expect(summary).toMatchObject({ rowsInserted: 6, rowsRejected: 0 });
    const kinds = async () =>
      Object.fromEntries(
        (
          await queryRows<{ sku: string; kind: string; lines: number }>(
            services.db.db,
            sql`select p.sku, p.kind || ':' || count(l.id) as kind from products p left join order_lines l on l.product_id = p.id
                where p.tenant_id = ${ids.tenantId}::uuid group by p.sku, p.kind`,
          )
        ).map((r) => [r.sku, r.kind]),
      );
    // Only the wines missing from the catalogue are worth telling the staff about.
    const unknown = await queryRows<{ record_key: string }>(
      services.db.db,
      sql`select record_key from anomalies where source_id = ${ids.sourceId}::uuid and code = 'product.unknown' order by 1`,
    );
    expect(unknown.map((r) => r.record_key)).toEqual(["CREM21", "REMISE19"]);
    expect(await kinds()).toEqual({
      CREM21: "wine:1",
      PORT: "shipping:1",
      REM: "discount:1",
      CONS: "deposit:1",
      CAISSE6: "packaging:1",
      REMISE19: "wine:1",
    });
    // The staff say the wooden case is a wine (a gift case sold full); a catalogue export then
    // renames the shipping charge, still one, and the case, which stays the wine the staff said.
    await queryRows(
      services.db.db,
      sql`update products set kind = 'wine', kind_by_staff = true where tenant_id = ${ids.tenantId}::uuid and sku = 'CAISSE6'`,
    );
    const catalogue = [
      "Code article;Désignation",
      "PORT;Participation aux frais d'envoi",
      "CAISSE6;Caisse bois 6 bouteilles vide",
      "CREM21;Crémant d'Alsace Brut 2021",
    ].join("\n");
    const products = await importFile(services, request(ids, "products", utf8(catalogue)));
    expect(products).toMatchObject({ rowsRejected: 0 });
    expect(await kinds()).toMatchObject({
      PORT: "shipping:1",
      CAISSE6: "wine:1",
      CREM21: "wine:1",
    });
    const again = await importFile(services, request(ids, "products", utf8(catalogue)));
    expect(again).toMatchObject({ rowsUpdated: 0, rowsUnchanged: 3 });
    // A price list with codes only changes prices: names and kinds stay (it used to name every
    // wine after its code).
    const prices = ["Code article;Prix TTC", "CREM21;13,50", "PORT;16,00", "CAISSE6;9,005"];
    const priced = await importFile(services, request(ids, "products", utf8(prices.join("\n"))));
    expect(priced).toMatchObject({ rowsUpdated: 3, rowsUnchanged: 0, rowsRejected: 0 });
    expect(await kinds()).toMatchObject({
      PORT: "shipping:1",
      CAISSE6: "wine:1",
      CREM21: "wine:1",
    });
    const named = await queryRows<{ sku: string; name: string; price: string }>(
      services.db.db,
      sql`select sku, name, price_incl_tax::text as price from products
          where tenant_id = ${ids.tenantId}::uuid and sku in ('CREM21', 'PORT') order by sku`,
    );
    expect(named).toEqual([
      { sku: "CREM21", name: "Crémant d'Alsace Brut 2021", price: "13.50" },
      { sku: "PORT", name: "Participation aux frais d'envoi", price: "16.00" },
    ]);
    const pricedAgain = await importFile(
      services,
      request(ids, "products", utf8(prices.join("\n"))),
    );
    expect(pricedAgain).toMatchObject({ rowsUpdated: 0, rowsUnchanged: 3 });
    // Nor does any empty cell: a vintage and "not on sale" given by one file stay when the next
    // leaves them blank.
    const header = "Code article;Désignation;Millésime;En vente";
    const full = [header, "VV;Vieilles Vignes;2019;Non"].join("\n");
    const blank = [header, "VV;Vieilles Vignes;;"].join("\n");
    await importFile(services, request(ids, "products", utf8(full)));
    expect(await importFile(services, request(ids, "products", utf8(blank)))).toMatchObject({
      rowsUnchanged: 1,
      rowsRejected: 0,
    });
    const [kept] = await queryRows<{ vintage: number; active: boolean }>(
      services.db.db,
      sql`select vintage, active from products where tenant_id = ${ids.tenantId}::uuid and sku = 'VV'`,
    );
    expect(kept).toEqual({ vintage: 2019, active: false });
  });

  it("reads a product's kind from the estate's family for it, kept when a later file gives only names or only families", async () => {
    const ids = await setup();
    const kinds = async () =>
      Object.fromEntries(
        (
          await queryRows<{ sku: string; kind: string }>(
            services.db.db,
            sql`select sku, kind || ':' || coalesce(category, '') as kind from products where tenant_id = ${ids.tenantId}::uuid`,
          )
        ).map((r) => [r.sku, r.kind]),
      );
    const families = [
      "Code article;Désignation;Famille",
      "PASS;Pass découverte;Oenotourisme",
      "ATL;Cuvée de l'Atelier;Vins / Blancs",
      "FDP;Forfait;Frais de port",
    ].join("\n");
    expect(await importFile(services, request(ids, "products", utf8(families)))).toMatchObject({
      rowsInserted: 3,
      rowsRejected: 0,
    });
    expect(await kinds()).toEqual({
      PASS: "other:Oenotourisme",
      ATL: "wine:Vins / Blancs",
      FDP: "shipping:Frais de port",
    });
    // Names without families: the stored family still decides.
    const names = ["Code article;Désignation", "PASS;Pass découverte 2026", "ATL;L'Atelier"];
    await importFile(services, request(ids, "products", utf8(names.join("\n"))));
    expect(await kinds()).toMatchObject({ PASS: "other:Oenotourisme", ATL: "wine:Vins / Blancs" });
    // Families without names: the new family decides, with the stored name.
    const refiled = ["Code article;Famille", "PASS;Vins", "ATL;Accessoires"];
    await importFile(services, request(ids, "products", utf8(refiled.join("\n"))));
    expect(await kinds()).toMatchObject({ PASS: "wine:Vins", ATL: "other:Accessoires" });
    // Read whole from Odoo, an empty value is a field cleared there: the family goes.
    await services.db.db.transaction((tx) =>
      writeProducts(tx, ids.tenantId, [{ sku: "ATL", name: "L'Atelier", category: null }], true),
    );
    expect(await kinds()).toMatchObject({ ATL: "wine:" });
  });

  it("checks that each French postal code exists and serves the town written beside it", async () => {
    const ids = await setup();
    const file =
      "N° client;Nom;E-mail;CP;Ville\nC1;Martin;m@x.fr;68000;Colmar\nC2;Blanc;b@x.fr;68000;Strasbourg\nC3;Roux;r@x.fr;99999;Nulle-Part\nC4;Noir;n@x.fr;33330;St Emilion\n";
    const summary = await importFile(services, request(ids, "customers", utf8(file)));
    const found = await queryRows<{ record_key: string; code: string }>(
      services.db.db,
      sql`select record_key, code from anomalies where source_id = ${ids.sourceId}::uuid order by record_key`,
    );
    expect(found).toEqual([
      { record_key: "C2", code: "postal_code.city_mismatch" },
      { record_key: "C3", code: "postal_code.unknown" },
    ]);
    expect(summary.anomalies.medium).toBe(2);
  });

  it("mails the first address of a field holding two, and tells staff of both", async () => {
    const ids = await setup();
    const file =
      'N° client;Nom;E-mail\nC1;Martin;"Jean@Martin.fr ; marie@martin.fr"\nC2;Blanc;"b@x.fr; b@"\n';
    const summary = await importFile(services, request(ids, "customers", utf8(file)));
    expect(summary).toMatchObject({ status: "succeeded", rowsInserted: 2, rowsRejected: 0 });
    const emails = await queryRows<{ customer_code: string; email: string }>(
      services.db.db,
      sql`select customer_code, email from customers where tenant_id = ${ids.tenantId}::uuid order by customer_code`,
    );
    expect(emails).toEqual([
      { customer_code: "C1", email: "jean@martin.fr" },
      { customer_code: "C2", email: "b@x.fr; b@" }, // not two addresses: one field to correct
    ]);
    const found = await queryRows<{ record_key: string; code: string; details: unknown }>(
      services.db.db,
      sql`select record_key, code, details from anomalies where source_id = ${ids.sourceId}::uuid order by record_key`,
    );
    expect(found).toMatchObject([
      { record_key: "C1", code: "email.several" },
      { record_key: "C2", code: "email.invalid" },
    ]);
    expect(JSON.stringify(found[0]!.details)).toContain("jean@martin.fr, marie@martin.fr");
  });

  it("makes the customers and wines a sales file names as clean as the line allows, until their own files come", async () => {
    const ids = await setup();
    const file = [
      "N° facture;Date pièce;N° client;Nom client;Code article;Désignation;Qté",
      "F1;01/03/2024;C1;Mme Hélène DUPRÉ;CH21;Chablis 1er Cru Montmains 2021 75cl;6",
      "F2;02/03/2024;C2;SARL Cave Œnologie & Fils;MAG19;Magnum Côte de Beaune 2019;1",
      "F3;03/03/2024;C3;Cave du Port;CH21;Chablis 1er Cru Montmains 2021 75cl;12",
    ].join("\n");
    const summary = await importFile(services, request(ids, "order_lines", utf8(file)));
    expect(summary).toMatchObject({ status: "succeeded", rowsRejected: 0 });
    const customers = await queryRows<Record<string, string | null>>(
      services.db.db,
      sql`select customer_code, civility, first_name, last_name, company, kind from customers
          where tenant_id = ${ids.tenantId}::uuid order by customer_code`,
    );
    expect(customers).toEqual([
      {
        customer_code: "C1",
        civility: "Mme",
        first_name: "Hélène",
        last_name: "Dupré",
        company: null,
        kind: "private",
      },
      {
        customer_code: "C2",
        civility: null,
        first_name: null,
        last_name: null,
        company: "SARL Cave Œnologie & Fils",
        kind: "trade",
      },
      {
        customer_code: "C3",
        civility: null,
        first_name: null,
        last_name: "Cave du Port",
        company: null,
        kind: "private",
      },
    ]);
    const wines = await queryRows<{ sku: string; vintage: number | null; size_ml: number | null }>(
      services.db.db,
      sql`select sku, vintage, size_ml from products where tenant_id = ${ids.tenantId}::uuid order by sku`,
    );
    expect(wines).toEqual([
      { sku: "CH21", vintage: 2021, size_ml: 750 },
      { sku: "MAG19", vintage: 2019, size_ml: 1500 },
    ]);
  });

  it("keeps a customer's mobile beside their landline, and a later file without mobiles keeps it", async () => {
    const ids = await setup();
    const file =
      "N° client;Nom;Téléphone;Portable\nC1;Martin;03 89 41 23 45;06.12.34.56.78\nC2;Blanc;;06 98 76 54 32\n";
    const summary = await importFile(services, request(ids, "customers", utf8(file)));
    expect(summary).toMatchObject({ status: "succeeded", rowsInserted: 2, rowsRejected: 0 });
    await importFile(
      services,
      request(ids, "customers", utf8("N° client;Nom;Téléphone\nC1;Martin;03 89 41 23 45\n")),
    );
    const numbers = await queryRows<{ customer_code: string; phone: string; mobile: string }>(
      services.db.db,
      sql`select customer_code, phone, mobile from customers where tenant_id = ${ids.tenantId}::uuid order by customer_code`,
    );
    expect(numbers).toEqual([
      { customer_code: "C1", phone: "+33389412345", mobile: "+33612345678" },
      { customer_code: "C2", phone: "+33698765432", mobile: "+33698765432" },
    ]);
  });

  it("dates and sources each consent, lets an empty cell change nothing, and keeps another source's objection", async () => {
    const ids = await setup();
    const consents = async () =>
      queryRows<{ code: string; consent: string; source: string | null; dated: boolean }>(
        services.db.db,
        sql`select customer_code as code, consent_email as consent, consent_email_source as source,
                   consent_email_at is not null as dated
            from customers where tenant_id = ${ids.tenantId}::uuid order by customer_code`,
      );
    const file = (rows: string) => utf8(`N° client;Nom;Accepte e-mail\n${rows}`);
    await importFile(
      services,
      request(
        ids,
        "customers",
        file("C1;Martin;non\nC2;Blanc;oui\nC3;Roux;\nC4;Brun;Soft opt-in\n"),
      ),
    );
    expect(await consents()).toEqual([
      { code: "C1", consent: "opt_out", source: "iSaVigne", dated: true },
      { code: "C2", consent: "opt_in", source: "iSaVigne", dated: true },
      { code: "C3", consent: "unknown", source: null, dated: false },
      { code: "C4", consent: "soft_opt_in", source: "iSaVigne", dated: true },
    ]);

    // The same source: C1 agrees now; C2's cell left empty says nothing (it was made unknown).
    const again = await importFile(
      services,
      request(ids, "customers", file("C1;Martin;oui\nC2;Blanc;\nC3;Roux;\n")),
    );
    expect(again).toMatchObject({ rowsUpdated: 1, rowsUnchanged: 2 });
    expect((await consents()).map((c) => c.consent)).toEqual([
      "opt_in",
      "opt_in",
      "unknown",
      "soft_opt_in",
    ]);

    // C1 unsubscribes in Odoo, whose partner is the same customer (merged across sources).
    const odoo = await createSource(services.db.db, ids.tenantId, { name: "Odoo", kind: "file" });
    await services.db.db.execute(
      sql`insert into customer_identities (tenant_id, customer_id, source_id, external_id)
          select tenant_id, id, ${odoo.id}::uuid, 'P1' from customers
          where tenant_id = ${ids.tenantId}::uuid and customer_code = 'C1'`,
    );
    const fromOdoo = { tenantId: ids.tenantId, sourceId: odoo.id };
    await importFile(services, request(fromOdoo, "customers", file("P1;Martin;non\n")));
    // iSaVigne's export still says yes: the objection stands, only Odoo may lift it.
    const stale = await importFile(services, request(ids, "customers", file("C1;Martin;oui\n")));
    expect(stale).toMatchObject({ rowsUpdated: 0, rowsUnchanged: 1 });
    expect((await consents())[0]).toMatchObject({ consent: "opt_out", source: "Odoo" });
    // Taken off Odoo's blacklist: Odoo says nothing any more, so the objection goes.
    await importFile(services, request(fromOdoo, "customers", file("P1;Martin;\n")));
    expect((await consents())[0]).toMatchObject({ consent: "unknown", source: "Odoo" });
  });

  it("saves the mapping per source as a version, and reuses it for the next export of the same shape", async () => {
    const ids = await setup();
    const fuzzy = "Numéro de client;Nom;Code Postale\nC1;Martin;68000\n";
    const first = await importFile(services, request(ids, "customers", utf8(fuzzy)));
    expect(first.mappingSuggestions.find((s) => s.field === "external_id")).toMatchObject({
      column: "Numéro de client",
      method: "fuzzy",
    });
    const again = await importFile(
      services,
      request(ids, "customers", utf8(fuzzy.replace("C1;Martin", "C2;Blanc"))),
    );
    expect(again.mappingSuggestions.every((s) => s.method === "saved")).toBe(true);
    expect(again.mappingId).toBe(first.mappingId);
    const handWritten = {
      entity: "customers" as const,
      fields: { external_id: "Numéro de client", company: "Nom" },
    };
    const third = await importFile(
      services,
      request(ids, "customers", utf8(fuzzy), { mapping: handWritten }),
    );
    expect(third.mappingId).not.toBe(first.mappingId);
    const versions = await queryRows<{ version: number }>(
      services.db.db,
      sql`select version from mappings where source_id = ${ids.sourceId}::uuid order by version`,
    );
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    const fourth = await importFile(services, request(ids, "customers", utf8(fuzzy)));
    expect(fourth.mappingId).toBe(third.mappingId);
    expect(fourth.mapping!.fields).toEqual(handWritten.fields);
  });

  it.each([
    ["an empty file", new Uint8Array(), "import.empty"],
    ["a binary file", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), "import.binary"],
    [
      "a file without the required columns",
      utf8("Nom;Ville\nMartin;Colmar\n"),
      "mapping.missing_required",
    ],
  ])("fails the run of %s with a clear error", async (_name, bytes, code) => {
    const ids = await setup();
    const summary = await importFile(services, request(ids, "customers", bytes));
    expect(summary).toMatchObject({ status: "failed", rowsRead: 0, errors: [{ code }] });
    const [run] = await services.db.db
      .select()
      .from(syncRuns)
      .where(eq(syncRuns.id, summary.runId!));
    expect(run).toMatchObject({ status: "failed", errorCode: code });
    expect(summary.anomalies.critical).toBe(1);
  });

  it("flags prices far from a wine's median, scores the source, and records staff decisions", async () => {
    const ids = await setup();
    const lines = ["N° facture;Date pièce;N° client;Code article;Qté;PU TTC"];
    for (let i = 0; i < 6; i++) lines.push(`F${i};0${i + 1}/03/2024;C1;PN-22;1;34,90`);
    lines.push("F9;10/03/2024;C1;PN-22;1;349,00");
    const summary = await importFile(
      services,
      request(ids, "order_lines", utf8(lines.join("\n") + "\n")),
    );
    expect(summary.anomalies.medium).toBe(2); // the price, and C1 missing from the customers
    const [outlier] = await queryRows<{ id: string; record_key: string; message: string }>(
      services.db.db,
      sql`select id, record_key, details->'message'->>'fr' as message from anomalies where source_id = ${ids.sourceId}::uuid and code = 'price.outlier'`,
    );
    expect(outlier).toMatchObject({
      record_key: "F9/PN-22#1",
      message: "Prix inhabituel pour cet article : PN-22 à 349.00 € (médiane 34.90 €)",
    });
    expect(await sourceQualityScore(services.db.db, ids.tenantId, ids.sourceId)).toBe(
      summary.qualityScore,
    );
    const decided = await decideAnomaly(services.db.db, ids.tenantId, outlier!.id, "ignored", null);
    expect(decided).toMatchObject({ status: "ignored" });
    expect(decided.decidedAt).not.toBeNull();
    const other = await ensureTenant(services.db.db, { slug: `t-${randomUUID()}`, name: "Autre" });
    await expect(
      decideAnomaly(services.db.db, other.id, outlier!.id, "resolved", null),
    ).rejects.toMatchObject({ code: "anomaly.not_found" });
  });

  it("leaves the query planner knowing how many rows the tables hold", async () => {
    // PGlite has no autovacuum: without an ANALYZE the planner takes a table for the empty one
    // it was created as, and picks plans that scan thousands of rows per row.
    const ids = await setup();
    await importFile(services, request(ids, "order_lines", utf8(generatedOrderLines(1_200))));
    const tables = ["orders", "order_lines", "customers", "products"];
    const estimates = await queryRows<{ relname: string; reltuples: number }>(
      services.db.db,
      sql`select relname, reltuples::float8 as reltuples from pg_class where relname = any(${arrayParam(tables, "text")})`,
    );
    for (const table of tables) {
      const [{ count }] = (await queryRows<{ count: number }>(
        services.db.db,
        sql.raw(`select count(*)::int as count from ${table}`),
      )) as [{ count: number }];
      expect(count).toBeGreaterThan(0);
      expect(estimates.find((e) => e.relname === table)?.reltuples, table).toBe(count);
    }
  });

  it("fails a run whose every row is rejected", async () => {
    const ids = await setup();
    const summary = await importFile(
      services,
      request(
        ids,
        "order_lines",
        utf8("N° facture;Date;N° client;Article;Qté\nF1;hier;C1;S1;1\nF2;demain;C1;S1;1\n"),
      ),
    );
    expect(summary).toMatchObject({
      status: "failed",
      rowsRead: 2,
      rowsRejected: 2,
      errors: [{ code: "import.all_rejected" }],
    });
  });

  it("reads a Windows-1252 file whose first accent comes after the sample, and says so", async () => {
    const ids = await setup();
    const lines = ["Code client;Nom;Ville"]; // no accent in the sample
    // Past the sample and the stream's first 4 KB chunk.
    for (let i = 1; i <= 400; i++) lines.push(`C${i};Martin;Colmar`);
    lines.push("C401;Hélène Dupré;Sélestat");
    const summary = await importFile(
      services,
      request(ids, "customers", cp1252(`${lines.join("\r\n")}\r\n`), {
        read: { sampleBytes: 128 },
      }),
    );
    expect(summary).toMatchObject({
      status: "succeeded",
      rowsInserted: 401,
      rowsRejected: 0,
      encoding: "windows-1252",
      warnings: [expect.objectContaining({ code: "encoding.late" })],
    });
    const [late] = await queryRows<{ last_name: string; city: string }>(
      services.db.db,
      sql`select last_name, city from customers where tenant_id = ${ids.tenantId}::uuid and customer_code = 'C401'`,
    );
    expect(late).toEqual({ last_name: "Hélène Dupré", city: "Sélestat" });
  });

  it("keeps a trade customer trade when a later file does not say, even beside a company it files as trade", async () => {
    const ids = await setup();
    await importFile(
      services,
      request(
        ids,
        "customers",
        utf8(
          "N° client;Nom;Société;Type client\nC1;Dupont;Cave Dupont;Caviste\nC2;Roux;;Particulier\n",
        ),
      ),
    );
    await importFile(
      services,
      request(
        ids,
        "customers",
        utf8("N° client;Nom;Société\nC1;Dupont;Cave Dupont\nC2;Roux;\nC3;Roy;SARL Roy\n"),
      ),
    );
    const kinds = await queryRows<{ customer_code: string; kind: string }>(
      services.db.db,
      sql`select customer_code, kind from customers where tenant_id = ${ids.tenantId}::uuid order by customer_code`,
    );
    expect(kinds).toEqual([
      { customer_code: "C1", kind: "trade" },
      { customer_code: "C2", kind: "private" },
      { customer_code: "C3", kind: "trade" },
    ]);
  });

  it("says so when a file has its headers and no row", async () => {
    const ids = await setup();
    const summary = await importFile(
      services,
      request(ids, "customers", utf8("N° client;Nom;E-mail\r\n")),
    );
    expect(summary).toMatchObject({ status: "succeeded", rowsRead: 0 });
    expect(summary.warnings).toEqual([expect.objectContaining({ code: "file.no_rows" })]);
  });

  it("leaves no trace in a dry run, yet counts exactly", async () => {
    const ids = await setup();
    const summary = await importFile(
      services,
      request(ids, "customers", cp1252(customersCsv), { dryRun: true }),
    );
    expect(summary).toMatchObject({ runId: null, dryRun: true, rowsInserted: 3, rowsRejected: 1 });
    const [counts] = await queryRows<{ customers: number; runs: number }>(
      services.db.db,
      sql`select (select count(*)::int from customers where tenant_id = ${ids.tenantId}::uuid) as customers, (select count(*)::int from sync_runs where tenant_id = ${ids.tenantId}::uuid) as runs`,
    );
    expect(counts).toEqual({ customers: 0, runs: 0 });
  });

  it("resumes an unfinished run after its last committed batch, ending as an uninterrupted import would", async () => {
    const bytes = utf8(generatedOrderLines(3_000));
    const reference = await setup();
    await importFile(services, request(reference, "order_lines", bytes, { batchSize: 500 }));

    const ids = await setup();
    let opened = 0;
    // The second pass dies after three batches, as a killed process would.
    const crashing = request(ids, "order_lines", bytes, {
      batchSize: 500,
      open: async () => {
        opened++;
        if (opened === 1) return streamOf(bytes);
        const lines = new TextDecoder().decode(bytes).split("\r\n");
        return streamOf(utf8(lines.slice(0, 1_700).join("\r\n") + "\r\n"));
      },
    });
    const partialRun = await importFile(services, crashing);
    // Make it look like the process died before finishing: the run stays "running".
    await services.db.db
      .update(syncRuns)
      .set({ status: "running", finishedAt: null })
      .where(eq(syncRuns.id, partialRun.runId!));
    const [before] = await services.db.db
      .select()
      .from(syncRuns)
      .where(eq(syncRuns.id, partialRun.runId!));
    expect(before!.rowsRead).toBeGreaterThan(0);
    expect(before!.rowsRead).toBeLessThan(3_000);

    const resumed = await importFile(
      services,
      request(ids, "order_lines", bytes, { batchSize: 500 }),
    );
    expect(resumed).toMatchObject({
      runId: partialRun.runId,
      resumed: true,
      status: "succeeded",
      rowsRead: 3_000,
      rowsInserted: 3_000,
    });
    expect(await snapshot(ids.tenantId)).toEqual(await snapshot(reference.tenantId));
  });

  it("pauses past its deadline after a committed batch, and goes on in later calls to the same result", async () => {
    const bytes = utf8(generatedOrderLines(2_000));
    const reference = await setup();
    await importFile(services, request(reference, "order_lines", bytes, { batchSize: 400 }));

    const ids = await setup();
    // A deadline already passed: each call commits one batch more, as a Lambda near its timeout.
    const chunk = () =>
      importFile(
        services,
        request(ids, "order_lines", bytes, { batchSize: 400, pauseAt: new Date(0) }),
      );
    const first = await chunk();
    expect(first).toMatchObject({ status: "paused", rowsRead: 400 });
    const statuses = [first.status];
    let last = first;
    while (last.status === "paused" && statuses.length < 20) {
      last = await chunk();
      statuses.push(last.status);
      expect(last.runId).toBe(first.runId);
    }
    // 2,000 rows are five full batches: the fifth pauses too, and a last call finds nothing more.
    expect(statuses).toEqual(["paused", "paused", "paused", "paused", "paused", "succeeded"]);
    expect(last).toMatchObject({ rowsRead: 2_000, rowsInserted: 2_000, resumed: true });
    expect(await snapshot(ids.tenantId)).toEqual(await snapshot(reference.tenantId));
  });

  async function snapshot(tenantId: string) {
    return queryRows(
      services.db.db,
      sql`select o.document_number, o.order_date::text, c.customer_code, p.sku, p.name, l.line_key, l.quantity::text, l.unit_price::text, l.total::text
          from order_lines l join orders o on o.id = l.order_id join customers c on c.id = o.customer_id join products p on p.id = l.product_id
          where l.tenant_id = ${tenantId}::uuid order by o.document_number, l.line_key`,
    );
  }
});
