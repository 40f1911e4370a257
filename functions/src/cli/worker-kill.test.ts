import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { generatedOrderLines } from "../../test/import-fixtures.ts";
import { queryRows } from "../adapters/db/database.ts";
import { createServices, type RunningServices } from "../composition.ts";
import { loadConfig } from "../config.ts";
import { enqueueJob } from "../jobs/job-records.ts";
import type { ImportPayload } from "../jobs/workers.ts";
import { createLogger } from "../log.ts";
import { createSource } from "../repos/sources.ts";
import { ensureTenant } from "../repos/tenants.ts";

// `crm-reco serve --role worker` killed with SIGKILL in the middle of an import job, then another
// worker started: pg-boss hands the job over once the dead worker's heartbeat stops, the import
// resumes after its last committed batch, and the data ends exactly as after an import nobody
// interrupted. The job is sent as the web process sends it.
const bin = fileURLToPath(new URL("../../../bin/crm-reco.js", import.meta.url));
const postgres = inject("postgres");
const LINES = 40_000; // eight batches of 5,000: time to be killed in the middle

const SNAPSHOT = sql`select o.document_number, o.order_date::text as d, c.customer_code, p.sku, l.line_key,
    l.quantity::text as q, l.unit_price::text as u
  from order_lines l join orders o on o.id = l.order_id join customers c on c.id = o.customer_id
  join products p on p.id = l.product_id`;

/** A worker process; `output` grows with its stdout (JSON log lines and its banner). */
function startWorker(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [bin, "serve", "--role", "worker"], { env });
  const state = { output: "", exit: null as null | { code: number | null; signal: string | null } };
  child.stdout!.on("data", (chunk) => (state.output += chunk));
  child.stderr!.on("data", (chunk) => (state.output += chunk));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on("close", (code, signal) => resolve((state.exit = { code, signal }))),
  );
  return { child, state, exited };
}

async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  child?: ChildProcess,
) {
  const deadline = Date.now() + 120_000; // a loaded CI machine is slow; never a speed check
  while (!(await condition())) {
    if (child && child.exitCode !== null)
      throw new Error(`worker exited while waiting for ${what}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.runIf(postgres)("a worker killed with SIGKILL in the middle of an import", () => {
  const dir = mkdtempSync(join(tmpdir(), "crm-reco-worker-kill-"));
  const name = `wk_${randomUUID().replaceAll("-", "")}`;
  const cleanups: Array<() => Promise<void> | void> = [
    () => rmSync(dir, { recursive: true, force: true }),
  ];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("is replaced by another worker that finishes the job exactly once, losing nothing", async () => {
    const admin = new pg.Client({ connectionString: `${postgres!.baseUrl}postgres` });
    await admin.connect();
    await admin.query(`create database ${name} template ${postgres!.templateDatabase}`);
    cleanups.push(async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    });
    const env: Record<string, string> = {
      DATABASE_URL: `${postgres!.baseUrl}${name}`,
      CRM_RECO_DATA_DIR: dir,
      BLOB_DIR: join(dir, "blobs"),
      CRM_RECO_SECRET_KEY: randomBytes(32).toString("base64"),
      CRM_RECO_QUEUE: "pgboss",
      // The shortest heartbeat pg-boss allows: a dead worker's job is handed over in seconds.
      CRM_RECO_QUEUE_HEARTBEAT_SECONDS: "10",
      CRM_RECO_QUEUE_POLL_SECONDS: "0.5",
      LOG_LEVEL: "debug", // "batch committed" lines tell how far the import got
    };
    const childEnv = { ...process.env, ...env };
    delete childEnv.DB_DRIVER;

    // The web side, in this process: what an upload does.
    const web: RunningServices = await createServices(
      loadConfig(env),
      createLogger("silent"),
      "web",
    );
    cleanups.push(() => web.close());
    const bytes = new TextEncoder().encode(generatedOrderLines(LINES));
    const checksum = createHash("sha256").update(bytes).digest("hex");
    const sendImport = async (slug: string) => {
      const tenant = await ensureTenant(web.db.db, { slug, name: slug });
      const source = await createSource(web.db.db, tenant.id, {
        name: "iSaVigne",
        kind: "file",
        schedule: null,
        config: {},
      });
      const blobKey = `${tenant.id}/imports/${checksum}/ventes.csv`;
      await web.blobs.put(blobKey, bytes, "text/csv");
      const payload: ImportPayload = {
        sourceId: source.id,
        entity: "order_lines",
        blobKey,
        fileName: "ventes.csv",
        checksum,
      };
      const job = await enqueueJob(web, {
        tenantId: tenant.id,
        kind: "import",
        payload: payload as unknown as Record<string, unknown>,
        dedupeKey: `${source.id}:order_lines:${checksum}`,
      });
      return { tenantId: tenant.id, jobId: job.id };
    };
    const jobState = async (jobId: string) =>
      (
        await queryRows<{ status: string; attempts: number }>(
          web.db.db,
          sql`select status, attempts from jobs where id = ${jobId}::uuid`,
        )
      )[0]!;

    const first = startWorker(childEnv);
    cleanups.push(() => void first.child.kill("SIGKILL"));
    await waitFor(
      "the first worker",
      () => first.state.output.includes("worker is running"),
      first.child,
    );

    // The reference: the same file, imported by a worker nobody interrupts.
    const reference = await sendImport("reference");
    await waitFor(
      "the reference import",
      async () => (await jobState(reference.jobId)).status === "succeeded",
      first.child,
    );

    const crashed = await sendImport("crashed");
    const committedBefore = first.state.output.split("batch committed").length;
    await waitFor(
      "two batches of the second import",
      () => first.state.output.split("batch committed").length - committedBefore >= 2,
      first.child,
    );
    first.child.kill("SIGKILL");
    expect(await first.exited).toMatchObject({ signal: "SIGKILL" });
    expect((await jobState(crashed.jobId)).status).toBe("running");

    const second = startWorker(childEnv);
    cleanups.push(() => void second.child.kill("SIGKILL"));
    await waitFor(
      "the crashed import to finish",
      async () => (await jobState(crashed.jobId)).status === "succeeded",
      second.child,
    );
    second.child.kill("SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });

    // Handed over once (a second delivery), finished once, nothing dead-lettered.
    expect(await jobState(crashed.jobId)).toEqual({ status: "succeeded", attempts: 2 });
    const bossJobs = await queryRows<{ name: string; state: string; n: number }>(
      web.db.db,
      sql`select name, state, count(*)::int as n from pgboss.job where name like 'import%' group by 1, 2 order by 1, 2`,
    );
    expect(bossJobs).toEqual([{ name: "import", state: "completed", n: 2 }]);
    // One sync run, resumed and finished, that counted every line once.
    const runs = await queryRows(
      web.db.db,
      sql`select status, rows_read, rows_inserted, rows_rejected from sync_runs where tenant_id = ${crashed.tenantId}::uuid`,
    );
    expect(runs).toEqual([
      { status: "succeeded", rows_read: LINES, rows_inserted: LINES, rows_rejected: 0 },
    ]);
    const snapshot = async (tenantId: string) =>
      queryRows(web.db.db, sql`${SNAPSHOT} where l.tenant_id = ${tenantId}::uuid order by 1, 5`);
    const after = await snapshot(crashed.tenantId);
    expect(after).toHaveLength(LINES);
    expect(after).toEqual(await snapshot(reference.tenantId));
  }, 300_000);
});
