import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { generatedOrderLines } from "../../test/import-fixtures.ts";
import { openPglite } from "../adapters/db/pglite.ts";

// A real process killed with SIGKILL in the middle of an import, then the same command again:
// the data must end exactly as after an uninterrupted import.
const bin = fileURLToPath(new URL("../../../bin/crm-reco.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "crm-reco-kill-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, "ventes.csv");
writeFileSync(file, generatedOrderLines(12_000));

const SNAPSHOT = `select o.document_number, o.order_date::text as d, c.customer_code, p.sku, l.line_key, l.quantity::text as q, l.unit_price::text as u
  from order_lines l join orders o on o.id = l.order_id join customers c on c.id = o.customer_id join products p on p.id = l.product_id
  join tenants t on t.id = l.tenant_id where t.slug = $1 order by 1, 5`;

function importCommand(
  target: string[],
  env: NodeJS.ProcessEnv,
  tenant: string,
  onStderr?: (text: string, kill: () => void) => void,
) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>(
    (resolve) => {
      const child = spawn(
        process.execPath,
        [
          bin,
          "import",
          file,
          "--entity",
          "order_lines",
          "--source",
          "iSaVigne",
          "--tenant",
          tenant,
          "--batch-size",
          "500",
          "--json",
          "--debug",
          ...target,
        ],
        { env },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
        onStderr?.(stderr, () => child.kill("SIGKILL"));
      });
      child.on("close", (code, signal) => resolve({ code, signal, stdout }));
    },
  );
}

const killAfterThreeBatches = (stderr: string, kill: () => void) => {
  if ((stderr.match(/batch committed/g) ?? []).length >= 3) kill();
};

const baseEnv = () => {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.DB_DRIVER;
  return env;
};

describe("an import killed with SIGKILL and run again", () => {
  it("on the embedded PGlite database", async () => {
    const dataDir = join(dir, "pglite-data");
    const target = ["--data-dir", dataDir];
    expect((await importCommand(target, baseEnv(), "reference")).code).toBe(0);
    const killed = await importCommand(target, baseEnv(), "crashed", killAfterThreeBatches);
    expect(killed.signal).toBe("SIGKILL");
    const rerun = await importCommand(target, baseEnv(), "crashed");
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({
      resumed: true,
      status: "succeeded",
      rowsRead: 12_000,
      rowsInserted: 12_000,
    });

    const db = await openPglite({ dataDir: join(dataDir, "pglite") });
    const snapshot = async (tenant: string) => (await db.client.query(SNAPSHOT, [tenant])).rows;
    const crashed = await snapshot("crashed");
    expect(crashed).toHaveLength(12_000);
    expect(crashed).toEqual(await snapshot("reference"));
    await db.close();
  });

  it.runIf(inject("postgres"))("on PostgreSQL", async () => {
    const server = inject("postgres")!;
    const name = `kill_${Date.now()}`;
    const admin = new pg.Client({ connectionString: `${server.baseUrl}postgres` });
    await admin.connect();
    await admin.query(`create database ${name} template ${server.templateDatabase}`);
    const env = { ...baseEnv(), DATABASE_URL: `${server.baseUrl}${name}` };
    expect((await importCommand([], env, "reference")).code).toBe(0);
    const killed = await importCommand([], env, "crashed", killAfterThreeBatches);
    expect(killed.signal).toBe("SIGKILL");
    const rerun = await importCommand([], env, "crashed");
    expect(JSON.parse(rerun.stdout)).toMatchObject({
      resumed: true,
      status: "succeeded",
      rowsRead: 12_000,
      rowsInserted: 12_000,
    });

    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    const crashed = (await client.query(SNAPSHOT, ["crashed"])).rows;
    expect(crashed).toHaveLength(12_000);
    expect(crashed).toEqual((await client.query(SNAPSHOT, ["reference"])).rows);
    await client.end();
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  });
});
