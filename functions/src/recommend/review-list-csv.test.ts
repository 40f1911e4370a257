import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import Papa from "papaparse";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDriver, openTestDatabase } from "../../test/databases.ts";
import { type DbHandle, queryRows } from "../adapters/db/database.ts";
import { customers, products, recommendationRuns, recommendations } from "../db/schema/index.ts";
import { ensureTenant } from "../repos/tenants.ts";
import { writeReviewListCsv } from "./review-list-csv.ts";

const dir = mkdtempSync(join(tmpdir(), "crm-reco-review-list-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Six customers (K1…K6, created in reverse), two wines each, all pending. */
async function seed(handle: DbHandle) {
  const { db } = handle;
  const tenant = await ensureTenant(db, { slug: "liste", name: "Domaine liste" });
  const people = await db
    .insert(customers)
    .values(
      [6, 5, 4, 3, 2, 1].map((n) => ({
        tenantId: tenant.id,
        customerCode: `K${n}`,
        lastName: `Client ${n}`,
        kind: "private" as const,
      })),
    )
    .returning({ id: customers.id });
  const wines = await db
    .insert(products)
    .values([
      { tenantId: tenant.id, sku: "CR21", name: "Crémant Brut 2021" },
      { tenantId: tenant.id, sku: "PN22", name: "Pinot Noir VV 2022" },
    ])
    .returning({ id: products.id });
  const [run] = await db
    .insert(recommendationRuns)
    .values({ tenantId: tenant.id, algorithm: "hybrid", status: "succeeded" })
    .returning({ id: recommendationRuns.id });
  await db.insert(recommendations).values(
    people.flatMap((p) =>
      wines.map((w, j) => ({
        tenantId: tenant.id,
        runId: run!.id,
        customerId: p.id,
        productId: w.id,
        algorithm: "hybrid",
        score: 1 - j * 0.1,
        confidence: 0.5 - j * 0.1,
        rank: j + 1,
        explanation: { fr: `Essai ${j}`, en: `Try ${j}`, fallback: false },
      })),
    ),
  );
  return tenant.id;
}

const rowsOf = (path: string) =>
  Papa.parse<Record<string, string>>(readFileSync(path, "utf8").slice(1), {
    header: true,
    skipEmptyLines: true,
  }).data;

describeEachDriver("the review-list export", (driver) => {
  let handle: DbHandle;
  let tenantId: string;
  beforeAll(async () => {
    handle = await openTestDatabase(driver);
    tenantId = await seed(handle);
  });
  afterAll(() => handle.close());

  it("writes every customer's list in code order, ranks in turn, however many it reads at a time", async () => {
    const whole = join(dir, `${driver}-whole.csv`);
    const paged = join(dir, `${driver}-paged.csv`);
    expect(await writeReviewListCsv(handle.db, tenantId, "pending", whole)).toBe(12);
    expect(await writeReviewListCsv(handle.db, tenantId, "pending", paged, 2)).toBe(12);
    expect(readFileSync(paged, "utf8")).toBe(readFileSync(whole, "utf8"));
    expect(
      rowsOf(whole).map((r) => `${r.customer_external_id} ${r.rank} ${r.product_sku}`),
    ).toEqual([1, 2, 3, 4, 5, 6].flatMap((n) => [`K${n} 1 CR21`, `K${n} 2 PN22`]));
    expect(await writeReviewListCsv(handle.db, tenantId, "approved", whole)).toBe(0);
  });

  it("gives each decision's day in France and a rejection's reason, and none for a pending one", async () => {
    const [decided] = await queryRows<{ id: string }>(
      handle.db,
      sql`select r.id from recommendations r join customers c on c.id = r.customer_id
          where r.tenant_id = ${tenantId}::uuid and c.customer_code = 'K6' and r.rank = 2`,
    );
    // 23:30 UTC on 31 March is already 1 April in Paris.
    await handle.db.execute(
      sql`update recommendations set status = 'rejected', reject_reason = 'Plus de 2022 en stock',
            decided_at = '2026-03-31T23:30:00Z' where id = ${decided!.id}::uuid`,
    );
    const out = join(dir, `${driver}-decided.csv`);
    expect(await writeReviewListCsv(handle.db, tenantId, "all", out)).toBe(12);
    const rows = rowsOf(out);
    expect(rows.filter((r) => r.status === "rejected")).toEqual([
      expect.objectContaining({
        customer_external_id: "K6",
        product_sku: "PN22",
        decided_on: "2026-04-01",
        reject_reason: "Plus de 2022 en stock",
      }),
    ]);
    expect(rows.find((r) => r.status === "pending")).toMatchObject({
      decided_on: "",
      reject_reason: "",
    });
    await handle.db.execute(
      sql`update recommendations set status = 'pending', reject_reason = null, decided_at = null where id = ${decided!.id}::uuid`,
    );
  });

  it("writes for French Excel by default (';', decimal commas), or with ',' and decimal points", async () => {
    const french = join(dir, `${driver}-french.csv`);
    const english = join(dir, `${driver}-english.csv`);
    await writeReviewListCsv(handle.db, tenantId, "pending", french);
    await writeReviewListCsv(handle.db, tenantId, "pending", english, 1000, ",");
    const [header, first] = readFileSync(french, "utf8").slice(1).split("\r\n");
    expect(header).toBe(
      "customer_external_id;customer_name;product_sku;product_name;algorithm;rank;score;confidence;explanation;status;decided_on;reject_reason",
    );
    expect(first!.split(";")[6]).toMatch(/^\d+(,\d+)?$/);
    // Rounded as a person reads them: the stored 4-byte 0.4 is 0,4, not 0,4000000059604645.
    for (const row of rowsOf(french)) {
      expect(row.score).toMatch(/^\d+(,\d{1,4})?$/);
      expect(row.confidence).toMatch(/^0(,\d{1,3})?$|^1$/);
    }
    const [frenchRow] = rowsOf(french);
    const [englishRow] = rowsOf(english);
    expect(Number(englishRow!.score)).toBe(Number(frenchRow!.score!.replace(",", ".")));
    expect(englishRow!.confidence).toMatch(/^0(\.\d+)?$|^1$/);
  });

  // PGlite serves one connection: nothing can change between two of the export's reads there.
  it.skipIf(driver === "pglite")(
    "reads one moment: a run that replaces the list once the export has begun changes nothing in its file",
    async () => {
      const out = join(dir, `${driver}-during-a-run.csv`);
      let exporting: Promise<number> | undefined;
      // Another connection holds the wines until the export, having read its customers, waits for
      // them on its first read of their lists; it then deletes every list and lets it go on.
      await handle.db.transaction(async (tx) => {
        await tx.execute(sql`lock table products in access exclusive mode`);
        exporting = writeReviewListCsv(handle.db, tenantId, "pending", out, 2);
        for (let waited = 0; ; waited++) {
          // A transaction sees the activity as it first read it, unless told to read it again.
          await tx.execute(sql`select pg_stat_clear_snapshot()`);
          const [{ waiting }] = (await queryRows<{ waiting: number }>(
            tx,
            sql`select count(*)::int as waiting from pg_stat_activity
                where datname = current_database() and wait_event_type = 'Lock'`,
          )) as [{ waiting: number }];
          if (waiting > 0) break;
          if (waited > 500) throw new Error("The export never waited for the wines.");
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        await tx.execute(sql`delete from recommendations where tenant_id = ${tenantId}::uuid`);
      });
      expect(await exporting).toBe(12);
      expect(rowsOf(out)).toHaveLength(12);
      // Yet the lists are gone for whoever reads after.
      expect(await writeReviewListCsv(handle.db, tenantId, "pending", out)).toBe(0);
    },
  );
});
