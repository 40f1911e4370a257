import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { CampaignRules } from "@crm-reco/core";
import { openPglite } from "../adapters/db/pglite.ts";
import { saveCampaignRules } from "../recommend/campaign-rules.ts";

const bin = fileURLToPath(new URL("../../../bin/crm-reco.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "crm-reco-rules-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const dataDir = join(dir, "data");

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.DB_DRIVER;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args, "--data-dir", dataDir], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Opens the CLI's own database between two commands (PGlite has one user at a time). */
async function withDatabase<T>(run: (db: Awaited<ReturnType<typeof openPglite>>) => Promise<T>) {
  const db = await openPglite({ dataDir: join(dataDir, "pglite") });
  try {
    return await run(db);
  } finally {
    await db.close();
  }
}

const store = (rules: CampaignRules) =>
  withDatabase(async (db) => {
    const { rows } = await db.client.query<{ id: string }>(
      "select id from tenants where slug = 'rules'",
    );
    await saveCampaignRules(db.db, rows[0]!.id, rules);
  });
const mostPending = () =>
  withDatabase(async (db) => {
    const { rows } = await db.client.query<{ most: number }>(
      `select coalesce(max(n), 0)::int as most from (select count(*) as n from recommendations r
         join tenants t on t.id = r.tenant_id where t.slug = 'rules' and r.status = 'pending'
        group by r.customer_id) per`,
    );
    return rows[0]!.most;
  });

/** Imports order lines (a header and rows, `;`-separated) into a tenant's "ventes" source. */
async function importSales(tenant: string, lines: string[]) {
  const sales = join(dir, `${tenant}-ventes.csv`);
  writeFileSync(sales, lines.join("\n") + "\n");
  const imported = await cli([
    "import",
    sales,
    "--entity",
    "order_lines",
    "--source",
    "ventes",
    "--tenant",
    tenant,
  ]);
  expect(imported.code, imported.stderr).toBe(0);
}

describe("crm-reco recommend", () => {
  it("applies the estate's stored campaign rules, K included, when no --k is given", async () => {
    const lines = ["N° facture;Date pièce;N° client;Code article;Désignation;Qté"];
    let doc = 0;
    const wines = [
      "PN;Pinot Noir",
      "CR;Crémant",
      "RI;Riesling",
      "GW;Gewurztraminer",
      "SY;Sylvaner",
    ];
    for (let c = 0; c < 30; c++)
      for (let w = 0; w < wines.length; w++)
        if ((c + w) % 3 !== 0)
          lines.push(`R${doc++};1${w}/0${1 + (c % 6)}/2025;R${c};${wines[w]};1`);
    await importSales("rules", lines);

    const lenient = { rebuyWindowDays: 0, contactGapDays: 0, onlyActiveProducts: true };
    await store({ perCustomer: 1, ...lenient });
    const one = await cli(["recommend", "--tenant", "rules", "--json"]);
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout).recommendations).toBeGreaterThan(0);
    expect(await mostPending()).toBe(1);

    await store({ perCustomer: 3, ...lenient });
    const three = await cli(["recommend", "--tenant", "rules", "--json"]);
    expect(three.code, three.stderr).toBe(0);
    expect(await mostPending()).toBeGreaterThan(1);
  }, 240_000);

  it("keeps room in a long list for wines new to a regular who has bought most of the range", async () => {
    const lines = ["N° facture;Date pièce;N° client;Code article;Désignation;Qté"];
    const wine = (w: number) => `W${String(w).padStart(2, "0")};Cuvée ${w}`;
    let doc = 0;
    // The regular has bought 25 of the 30 wines, twice each; the others buy all 30 around.
    for (let w = 0; w < 25; w++)
      for (const month of ["02", "09"])
        lines.push(`G${doc++};1${w % 10}/${month}/2025;REG;${wine(w)};6`);
    for (let c = 0; c < 40; c++)
      for (let n = 0; n < 6; n++)
        lines.push(
          `G${doc++};0${1 + (n % 9)}/0${1 + (c % 9)}/2025;C${c};${wine((c + 5 * n) % 30)};1`,
        );
    await importSales("room", lines);
    const run = await cli([
      "recommend",
      "--tenant",
      "room",
      "--k",
      "20",
      "--rules",
      "off",
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const skus = await withDatabase(async (db) => {
      const { rows } = await db.client.query<{ sku: string }>(
        `select p.sku from recommendations r
           join customer_identities i on i.customer_id = r.customer_id
           join products p on p.id = r.product_id join tenants t on t.id = r.tenant_id
          where t.slug = 'room' and i.external_id = 'REG' order by r.rank`,
      );
      return rows.map((r) => r.sku);
    });
    expect(skus).toHaveLength(20);
    // Only five wines are new to them: all five are in their twenty.
    expect(skus.filter((sku) => Number(sku.slice(1)) >= 25).sort()).toEqual([
      "W25",
      "W26",
      "W27",
      "W28",
      "W29",
    ]);
  }, 240_000);
});
