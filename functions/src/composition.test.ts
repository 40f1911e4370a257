import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { queryRows } from "./adapters/db/database.ts";
import { createServices, type Role } from "./composition.ts";
import { loadConfig } from "./config.ts";
import { enqueueJob } from "./jobs/job-records.ts";
import { createLogger } from "./log.ts";
import { ensureTenant } from "./repos/tenants.ts";

const dir = mkdtempSync(join(tmpdir(), "crm-reco-composition-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const silent = createLogger("silent");

describe("createServices refuses, at start, a role its configuration cannot run", () => {
  it.each<[string, Record<string, string>, Role, RegExp]>([
    ["the in-process queue", { CRM_RECO_QUEUE: "inline" }, "web", /needs the pg-boss queue/],
    ["the in-process queue", { CRM_RECO_QUEUE: "inline" }, "worker", /needs the pg-boss queue/],
    ["PGlite", {}, "worker", /needs PostgreSQL/],
    ["PGlite", {}, "web", /needs PostgreSQL/],
  ])("%s with --role %s", async (_what, env, role, message) => {
    const config = loadConfig({ CRM_RECO_DATA_DIR: dir, ...env });
    await expect(createServices(config, silent, role)).rejects.toThrow(message);
    await expect(createServices(config, silent, role)).rejects.toMatchObject({
      code: "config.invalid",
    });
  });
});

const postgres = inject("postgres");

describe.runIf(postgres)("a web process and a worker process on PostgreSQL and pg-boss", () => {
  it("a job the web sends is run by the worker, and one that fails for good is recorded dead", async () => {
    const name = `c_${randomUUID().replaceAll("-", "")}`;
    const admin = new pg.Client({ connectionString: `${postgres!.baseUrl}postgres` });
    await admin.connect();
    await admin.query(`create database ${name} template ${postgres!.templateDatabase}`);
    const config = loadConfig({
      DATABASE_URL: `${postgres!.baseUrl}${name}`,
      CRM_RECO_DATA_DIR: dir,
      CRM_RECO_SECRET_KEY: randomBytes(32).toString("base64"),
      CRM_RECO_QUEUE_POLL_SECONDS: "0.5",
    });
    const web = await createServices(config, silent, "web");
    expect(await web.startBackground()).toEqual({ resumed: 0 });
    const tenant = await ensureTenant(web.db.db, { slug: "roles", name: "Roles" });
    // No order lines: the regeneration fails with recommend.no_history on every attempt.
    const job = await enqueueJob(web, { tenantId: tenant.id, kind: "regenerate", payload: {} });
    const worker = await createServices(config, silent, "worker");
    await worker.startBackground();
    const status = async () =>
      (
        await queryRows<{ status: string; error_code: string; attempts: number }>(
          web.db.db,
          sql`select status, error_code, attempts from jobs where id = ${job.id}::uuid`,
        )
      )[0]!;
    const deadline = Date.now() + 60_000;
    while ((await status()).status !== "dead" && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await status()).toEqual({
      status: "dead",
      error_code: "recommend.no_history",
      attempts: 3,
    });
    await worker.close();
    await web.close();
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  });
});
