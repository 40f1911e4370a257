import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { findPostgresBinDir, freePort } from "../../test/postgres-server.ts";
import { createTestServices } from "../../test/services.ts";
import { createPgBossQueue } from "../adapters/queue/pg-boss.ts";
import type { Services } from "../services.ts";
import { type RunningServer, startVpsServer } from "./server.ts";

// health-check.sh and monitor.sh against a real server and a real PostgreSQL (systemd is not
// asked: CRM_RECO_UNITS is empty, as in a container).
const vps = join(import.meta.dirname, "../../../stacks/vps");
const dir = mkdtempSync(join(tmpdir(), "crm-reco-monitor-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a script without blocking this process, whose server it may be asking. */
function run(script: string, args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn("bash", [join(vps, script), ...args], {
      env: {
        ...process.env,
        PATH: `${findPostgresBinDir() ?? "/usr/bin"}:${process.env.PATH}`,
        CRM_RECO_ENV_FILE: join(dir, "no-such.env"),
        CRM_RECO_UNITS: "",
        ...env,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("health-check.sh", () => {
  let services: Services & { close(): Promise<void> };
  let server: RunningServer;
  beforeAll(async () => {
    services = await createTestServices("pglite");
    server = await startVpsServer({ services, port: 0, host: "127.0.0.1", webDistDir: dir });
  });
  afterAll(async () => {
    await server?.close();
    await services?.close();
  });

  it("passes when /health says the app and its database answer", async () => {
    const result = await run("health-check.sh", [], { CRM_RECO_URL: server.url });
    expect(result).toMatchObject({ status: 0, stdout: `CRM Reco is healthy (${server.url})\n` });
  });

  it("fails, saying why, when nothing answers, even after waiting", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await run("health-check.sh", ["--wait", "1"], { CRM_RECO_URL: url });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^CRM Reco is unhealthy: ${url}/health does not answer`),
    );
  });

  it("reads PORT from the settings file", async () => {
    const env = join(dir, "crm-reco.env");
    writeFileSync(env, `PORT=${new URL(server.url).port}\nHOST=127.0.0.1\n`);
    const result = await run("health-check.sh", [], { CRM_RECO_ENV_FILE: env, PORT: "" });
    expect(result).toMatchObject({ status: 0 });
  });
});

const postgres = inject("postgres");

describe.runIf(postgres)("monitor.sh", () => {
  it("summarises the queue, the jobs, the last runs, the last backup and the disk", async () => {
    const name = `mon_${randomUUID().replaceAll("-", "")}`;
    const admin = new pg.Client({ connectionString: `${postgres!.baseUrl}postgres` });
    await admin.connect();
    await admin.query(`create database ${name} template ${postgres!.templateDatabase}`);
    const url = `${postgres!.baseUrl}${name}`;
    try {
      // A job waiting in pg-boss (no worker), and the app's records of a day's work.
      const queue = await createPgBossQueue({ database: { connectionString: url } });
      await queue.send({ id: randomUUID(), kind: "import", tenantId: "t", payload: {} });
      await queue.stop();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`
        with t as (insert into tenants (slug, name) values ('domaine', 'Domaine') returning id),
             s as (insert into sources (tenant_id, name, kind) select id, 'Odoo', 'odoo' from t returning id, tenant_id),
             r as (insert into sync_runs (tenant_id, source_id, trigger, status, rows_read, rows_rejected)
                   select tenant_id, id, 'schedule', 'succeeded', 1234, 5 from s returning 1)
        insert into jobs (tenant_id, kind, status, error_code) select id, k, st, e from t,
          (values ('sync', 'succeeded', null), ('sync', 'dead', 'odoo.unreachable'), ('import', 'queued', null)) v(k, st, e)`);
      await client.end();
      const backups = join(dir, "backups");
      mkdirSync(join(backups, "20261201T031500Z"), { recursive: true });

      const result = await run("monitor.sh", [], {
        DATABASE_URL: url,
        BACKUP_DIR: backups,
        BLOB_DIR: dir,
        CRM_RECO_URL: `http://127.0.0.1:${await freePort()}`,
      });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      const out = result.stdout;
      expect(out).toMatch(/== Job queue \(pg-boss\)/);
      expect(out).toMatch(/\n\s*import\s*\|\s*1\s*\|\s*0\s*\|\s*0\s*\|\s*0\s*\|\s*0\s*\|/);
      expect(out).toMatch(/\n\s*sync\s*\|\s*0\s*\|\s*0\s*\|\s*1\s*\|\s*0\s*\|\s*1\s*\|/);
      expect(out).toMatch(
        /domaine\s*\|\s*Odoo\s*\|\s*schedule\s*\|\s*succeeded\s*\|.*\|\s*1234\s*\|\s*5/,
      );
      expect(out).toContain("CRM Reco is unhealthy"); // nothing serves that URL: said, not fatal
      expect(out).toContain(`20261201T031500Z in ${backups}`);
      expect(out).toMatch(/== Disk\nFilesystem/);
      expect(out).toMatch(/database_size/);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
