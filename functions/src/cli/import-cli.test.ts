import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { RP3BETA_BETAS } from "@crm-reco/core";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { afterAll, describe, expect, it } from "vitest";
import { openPglite } from "../adapters/db/pglite.ts";
import { writeReviewListCsv } from "../recommend/review-list-csv.ts";
import {
  cp1252,
  customersCsv,
  customersCsvSummary,
  orderLinesCsv,
} from "../../test/import-fixtures.ts";

const bin = fileURLToPath(new URL("../../../bin/crm-reco.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "crm-reco-import-cli-"));
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

const write = (name: string, bytes: Uint8Array | string) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

describe("crm-reco import", () => {
  it("prints one JSON summary with the detected format and the mapping it applied", async () => {
    const result = await cli([
      "import",
      write("clients.csv", cp1252(customersCsv)),
      "--entity",
      "customers",
      "--source",
      "iSaVigne",
      "--json",
    ]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      ...customersCsvSummary,
      errors: [],
      mapping: {
        entity: "customers",
        fields: {
          external_id: "N° client",
          last_name: "Nom",
          first_name: "Prénom",
          email: "E-mail",
          postal_code: "CP",
          city: "Ville",
        },
      },
    });
    expect(summary.runId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("imports order lines with a hand-written mapping and forced options", async () => {
    const mapping = write(
      "mapping.json",
      JSON.stringify({
        fields: {
          document_number: "N° facture",
          order_date: { column: "Date pièce", dateFormat: "dmy" },
          customer_external_id: "N° client",
          product_sku: "Code article",
          quantity: "Qté",
        },
      }),
    );
    const result = await cli([
      "import",
      write("ventes.csv", orderLinesCsv),
      "--entity",
      "order_lines",
      "--source",
      "iSaVigne",
      "--mapping",
      mapping,
      "--encoding",
      "utf-8",
      "--delimiter",
      ";",
      "--json",
    ]);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: "partial",
      rowsInserted: 4,
      rowsRejected: 2,
    });
  });

  it("reads an Excel workbook saved with a .csv name", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("Articles").addRows([
      ["Code article", "Désignation", "Couleur", "Millésime", "Prix TTC"],
      ["RIES-22", "Riesling Grand Cru 2022", "Blanc", 2022, 24.9],
    ]);
    const path = write("articles.csv", new Uint8Array(await wb.xlsx.writeBuffer()));
    const result = await cli([
      "import",
      path,
      "--entity",
      "products",
      "--source",
      "iSaVigne",
      "--json",
    ]);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: "succeeded",
      sheet: "Articles",
      rowsInserted: 1,
      encoding: null,
    });
  });

  it("exits non-zero with the failed run's error for a file it cannot read", async () => {
    const result = await cli([
      "import",
      write("vide.csv", ""),
      "--entity",
      "customers",
      "--source",
      "iSaVigne",
      "--json",
    ]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: "failed",
      errors: [{ code: "import.empty", message: "The file is empty." }],
    });
  });

  it("merges the same customers exported by two sources, with no hand-written mapping", async () => {
    const french = write(
      "isavigne-clients.csv",
      cp1252(
        "N° client;Nom;Prénom;E-mail;CP;Ville\r\nC101;LEROY;Marc;marc.leroy@example.fr;67000;Strasbourg\r\n",
      ),
    );
    const english = write(
      "odoo-contacts.csv",
      "Customer ID,First Name,Last Name,Email,Zip,City\n7,Marc,Leroy,Marc.Leroy@example.fr,67000,Strasbourg\n",
    );
    const first = JSON.parse(
      (await cli(["import", french, "--entity", "customers", "--source", "iSaVigne", "--json"]))
        .stdout,
    );
    expect(first.identities).toMatchObject({ merged: 0 });
    const second = JSON.parse(
      (await cli(["import", english, "--entity", "customers", "--source", "Odoo export", "--json"]))
        .stdout,
    );
    expect(second).toMatchObject({
      status: "succeeded",
      rowsInserted: 1,
      identities: { merged: 1 },
    });
    const again = await cli(["customers", "resolve", "--json"]);
    expect(JSON.parse(again.stdout)).toMatchObject({ merged: 0 });
  });

  it("evaluates every algorithm on the imported history, with the popularity baseline", async () => {
    const lines = ["N° facture;Date pièce;N° client;Code article;Qté"];
    let doc = 0;
    // Every customer buys A then B; half of them also C. Before the split they buy A, after it B.
    for (let c = 0; c < 30; c++) {
      lines.push(`E${doc++};0${1 + (c % 9)}/01/2024;K${c};WINE-A;1`);
      lines.push(`E${doc++};0${1 + (c % 9)}/03/2024;K${c};${c % 2 ? "WINE-C" : "WINE-A"};1`);
      if (c < 20) lines.push(`E${doc++};1${c % 9}/02/2024;K${c};WINE-B;1`);
      else lines.push(`E${doc++};1${c % 9}/08/2024;K${c};WINE-B;1`);
    }
    await cli([
      "import",
      write("eval.csv", lines.join("\n") + "\n"),
      "--entity",
      "order_lines",
      "--source",
      "eval",
      "--tenant",
      "eval",
    ]);
    const result = await cli([
      "evaluate",
      "--split-date",
      "2024-06-01",
      "--k",
      "2",
      "--tenant",
      "eval",
      "--json",
    ]);
    expect(result.code).toBe(0);
    const { results } = JSON.parse(result.stdout);
    const itemknn = results.find(
      (r: { algorithm: string; protocol: string }) =>
        r.algorithm === "itemknn" && r.protocol === "new",
    );
    expect(itemknn).toMatchObject({ customers: 10, hitRate: 1 });
    // Every model a run blends, BM25 item-kNN, and the hybrid a run would have recommended.
    expect([...new Set(results.map((r: { algorithm: string }) => r.algorithm))]).toEqual([
      "popularity",
      "repeat",
      "itemknn",
      "itemknn-bm25",
      "rp3beta",
      "ease",
      "content",
      "rebuy",
      "hybrid",
    ]);
    const hybrid = results.find(
      (r: { algorithm: string; protocol: string }) =>
        r.algorithm === "hybrid" && r.protocol === "new",
    );
    expect(hybrid).toMatchObject({ customers: 10, hitRate: 1 });
    for (const [args, message] of [
      [[], "--split-date YYYY-MM-DD is required"],
      [
        ["--split-date", "01/06/2024"],
        '--split-date must be a day written YYYY-MM-DD (e.g. 2026-06-01), not "01/06/2024".',
      ],
      [["--split-date", "2024-02-30"], "--split-date must be a day written YYYY-MM-DD"],
      [["--split-date", "2024-13-01"], "--split-date must be a day written YYYY-MM-DD"],
      [
        ["--split-date", "2030-01-01"],
        "Error (evaluate.nothing_to_judge): No sales on both sides of 2030-01-01: the history runs from 2024-01-01 to 2024-08-18.",
      ],
      [["--split-date", "2024-01-01"], "No sales on both sides of 2024-01-01"],
      // Sales after the date, but none within the days judged.
      [
        ["--split-date", "2024-04-01", "--horizon", "30"],
        "No sales on both sides of 2024-04-01 (judged over 30 days)",
      ],
      [
        ["--split-date", "2024-06-01", "--horizon", "six"],
        "--horizon must be a whole number of days",
      ],
    ] as const) {
      const refused = await cli(["evaluate", ...args, "--tenant", "eval"]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(message);
    }
  });

  it("generates recommendations, keeps staff decisions on regeneration, and exports the review list safely", async () => {
    const lines = ["N° facture;Date pièce;N° client;Code article;Désignation;Qté"];
    let doc = 0;
    for (let c = 0; c < 24; c++) {
      lines.push(`R${doc++};0${1 + (c % 9)}/01/2025;R${c};PN;Pinot Noir;1`);
      lines.push(`R${doc - 1};0${1 + (c % 9)}/01/2025;R${c};PORT;Frais de port;1`);
      if (c % 3 !== 0) lines.push(`R${doc++};1${c % 9}/02/2025;R${c};CR;=Crémant;1`);
      if (c % 2 === 0) lines.push(`R${doc++};1${c % 9}/03/2025;R${c};RI;Riesling;1`);
    }
    await cli([
      "import",
      write("reco.csv", lines.join("\n") + "\n"),
      "--entity",
      "order_lines",
      "--source",
      "reco",
      "--tenant",
      "reco",
    ]);
    const first = JSON.parse(
      (await cli(["recommend", "--tenant", "reco", "--k", "2", "--rules", "off", "--json"])).stdout,
    );
    expect(first).toMatchObject({ algorithm: "hybrid", customers: 24 });
    expect(first.recommendations).toBeGreaterThan(24);
    const db = await openPglite({ dataDir: join(dataDir, "pglite") });
    // The run records what the backtest chose: the blend and RP3beta's popularity penalty.
    const [run] = (
      await db.client.query<{ parameters: { weights: object; rp3beta: { beta: number } } }>(
        "select parameters from recommendation_runs where id = $1",
        [first.runId],
      )
    ).rows;
    expect(Object.keys(run!.parameters.weights)).toContain("rp3beta");
    expect(RP3BETA_BETAS).toContain(run!.parameters.rp3beta.beta);
    const [approved] = (
      await db.client.query<{ id: string }>(
        "update recommendations set status = 'approved' where id = (select id from recommendations order by id limit 1) returning id",
      )
    ).rows;
    await db.close();
    const second = JSON.parse(
      (await cli(["recommend", "--tenant", "reco", "--k", "2", "--rules", "off", "--json"])).stdout,
    );
    const after = await openPglite({ dataDir: join(dataDir, "pglite") });
    const statuses = (
      await after.client.query<{ id: string; status: string; run_id: string }>(
        "select id, status, run_id from recommendations",
      )
    ).rows;
    await after.close();
    expect(statuses.find((r) => r.id === approved!.id)).toMatchObject({
      status: "approved",
      run_id: first.runId,
    });
    expect(
      statuses
        .filter((r: { status: string }) => r.status === "pending")
        .every((r: { run_id: string }) => r.run_id === second.runId),
    ).toBe(true);
    const out = join(dir, "reco-export.csv");
    const exported = await cli(["export", "recommendations", "--out", out, "--tenant", "reco"]);
    expect(exported.code).toBe(0);
    const csv = readFileSync(out, "utf8");
    expect(
      csv.startsWith(
        "\uFEFFcustomer_external_id;customer_name;product_sku;product_name;algorithm;rank;score;confidence;explanation;status;decided_on;reject_reason",
      ),
    ).toBe(true);
    expect(csv).toContain("'=Crémant");
    expect(csv).not.toMatch(/;=Crémant/);
    expect(csv).not.toContain(";PORT;");
    // Read three customers at a time, the file is the same: customers in code order, ranks in turn.
    const paged = join(dir, "reco-export-paged.csv");
    const estate = await openPglite({ dataDir: join(dataDir, "pglite") });
    const [{ id: tenantId }] = (
      await estate.client.query<{ id: string }>("select id from tenants where slug = 'reco'")
    ).rows as [{ id: string }];
    const count = await writeReviewListCsv(estate.db, tenantId, "pending", paged, 3);
    await estate.close();
    expect(readFileSync(paged, "utf8")).toBe(csv);
    const rows = Papa.parse<Record<string, string>>(csv.slice(1), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(count).toBe(rows.length);
    expect(exported.stdout).toContain(`${count} recommendations written`);
    const keys = rows.map((r) => [r.customer_external_id!, Number(r.rank)] as const);
    expect(new Set(keys.map(([customer]) => customer)).size).toBeGreaterThan(3);
    expect(keys).toEqual([...keys].sort(([a, ra], [b, rb]) => (a < b ? -1 : a > b ? 1 : ra - rb)));
    const rejected = await cli(["recommend", "--tenant", "reco", "--algorithm", "wizard"]);
    expect(rejected.stderr).toContain(
      "--algorithm must be one of popularity, repeat, itemknn, rp3beta, ease, content, rebuy, hybrid",
    );
  });

  it("stores RFM segments with each run, targets tiers, and ranks the customers for a wine", async () => {
    const pending = async () => {
      const db = await openPglite({ dataDir: join(dataDir, "pglite") });
      try {
        const [row] = (
          await db.client.query<{ pending: number; segments: number }>(
            `select (select count(*)::int from recommendations r join tenants t on t.id = r.tenant_id where t.slug = 'reco' and r.status = 'pending') as pending,
                    (select count(*)::int from customer_segments s join tenants t on t.id = s.tenant_id where t.slug = 'reco') as segments`,
          )
        ).rows;
        return row!;
      } finally {
        await db.close();
      }
    };
    const everyone = JSON.parse(
      (await cli(["recommend", "--tenant", "reco", "--k", "2", "--json"])).stdout,
    );
    // Every customer's first order is within 90 days of the latest one: all are "new".
    expect(everyone.tiers).toEqual({ new: 24 });
    const before = await pending();
    expect(before.segments).toBe(24);
    const dormant = JSON.parse(
      (await cli(["recommend", "--tenant", "reco", "--tier", "dormant", "--json"])).stdout,
    );
    expect(dormant.recommendations).toBe(0);
    // A campaign for another tier leaves everyone else's pending list alone.
    expect((await pending()).pending).toBe(before.pending);
    const badTier = await cli(["recommend", "--tenant", "reco", "--tier", "vip"]);
    expect(badTier.stderr).toContain("--tier must list tiers among champions, loyal");

    const leads = JSON.parse(
      (await cli(["recommend", "--tenant", "reco", "--product", "RI", "--k", "5", "--json"]))
        .stdout,
    );
    expect(leads.product).toBe("RI");
    expect(leads.onSale).toBe(true);
    expect(leads.customers.length).toBeGreaterThan(0);
    expect(leads.customers.length).toBeLessThanOrEqual(5);
    for (const lead of leads.customers) {
      expect(lead.customer_external_id).toMatch(/^R\d+$/);
      expect(lead.explanation.fr.length).toBeGreaterThan(0);
    }
    const confidences = leads.customers.map((l: { confidence: number }) => l.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    // Read by a person: one decimal, so that a rare wine's leads do not all read "0 %".
    const text = await cli(["recommend", "--tenant", "reco", "--product", "RI", "--k", "5"]);
    expect(text.stdout).toContain(`· ${(confidences[0] * 100).toFixed(1)} % ·`);
    expect(text.stdout).not.toContain("Not on sale");
    const unknown = await cli(["recommend", "--tenant", "reco", "--product", "NOPE"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No product with SKU "NOPE"');
    // On every invoice, the carrier's charge is proposed to no one, nor has customers of its own.
    const port = await cli(["recommend", "--tenant", "reco", "--product", "PORT"]);
    expect(port.code).toBe(1);
    expect(port.stderr).toContain('"Frais de port" (PORT) is not a wine (shipping)');
  });

  it("suggests a mapping with confidences, and says what is missing", async () => {
    const path = write(
      "clients-en.csv",
      "Customer number,Last name,E-mail client,Loyalty\nC1,Martin,a@b.fr,gold\n",
    );
    const result = await cli(["mapping", "suggest", path, "--entity", "customers", "--json"]);
    expect(result.code).toBe(0);
    const suggestion = JSON.parse(result.stdout);
    expect(suggestion.suggestions).toEqual([
      { field: "external_id", column: "Customer number", confidence: 1, method: "exact" },
      { field: "last_name", column: "Last name", confidence: 1, method: "exact" },
      { field: "email", column: "E-mail client", confidence: expect.any(Number), method: "fuzzy" },
    ]);
    expect(suggestion.unmappedColumns).toEqual(["Loyalty"]);
    const missing = await cli([
      "mapping",
      "suggest",
      write("sans-code.csv", "Nom;Ville\nMartin;Colmar\n"),
      "--entity",
      "customers",
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain("MISSING required fields: external_id");
  });

  it("imports with a guessed mapping and says which columns to check", async () => {
    const path = write("clients-fautes.csv", "N° client;Nom;Vile\nC91;Martin;Colmar\n");
    const result = await cli(["import", path, "--entity", "customers", "--source", "fautes"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'check the mapping: column "Vile" taken for city at 80 % (give --mapping, or correct it in the web app\'s mapping editor)',
    );
    expect(result.stdout).not.toMatch(/check the mapping: column "(N° client|Nom)"/);
  });

  it.each([
    [
      ["import", "/nowhere/clients.csv", "--entity", "customers", "--source", "s"],
      "Error (import.file_not_found): No file at /nowhere/clients.csv.",
    ],
    [
      ["import", "x.csv", "--entity", "clients", "--source", "s"],
      'Error (cli.invalid): --entity must be one of customers, products, order_lines (not "clients").',
    ],
    [
      ["import", "x.csv", "--entity", "customers"],
      "Error (cli.invalid): --source <name> is required",
    ],
    [
      ["import", "x.csv", "--entity", "customers", "--source", "s", "--delimiter", "#"],
      "Error (cli.invalid): --delimiter must be one of",
    ],
    [
      ["import", "x.csv", "--entity", "customers", "--source", "s", "--encoding", "ebcdic"],
      "Error (cli.invalid): --encoding must be one of",
    ],
  ])("refuses %j clearly, without a stack trace", async (args, message) => {
    const result = await cli(args);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a data folder another process has open (npm start), and imports once it is closed", async () => {
    // Two processes writing one embedded database corrupt it for good: the second is refused.
    const server = spawn("sleep", ["60"]); // stands in for `npm start`, alive, holding the folder
    const lock = `${join(dataDir, "pglite")}.lock`;
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      lock,
      JSON.stringify({ pid: server.pid, since: "now", command: "crm-reco serve" }),
    );
    const args = ["import", write("busy.csv", customersCsv), "--entity", "customers"];
    try {
      const refused = await cli([...args, "--source", "iSaVigne"]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain("Error (database.in_use): The data folder");
      expect(refused.stderr).toContain(
        `in use by another process (pid ${server.pid}: crm-reco serve`,
      );
      expect(refused.stderr).not.toMatch(/\n\s+at /);
    } finally {
      server.kill("SIGKILL");
    }
    await new Promise((resolve) => server.once("exit", resolve));
    const after = await cli([...args, "--source", "iSaVigne", "--json"]);
    expect(after.code).toBe(0);
    expect(existsSync(lock)).toBe(false); // released when the command closed the database
  });
});
