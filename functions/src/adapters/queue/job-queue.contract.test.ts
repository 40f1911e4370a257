import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterEach, describe, expect, inject, it } from "vitest";
import type { JobMessage, JobQueue } from "@crm-reco/core";
import { openPglite } from "../db/pglite.ts";
import { createInlineQueue, type InlineQueueOptions } from "./inline.ts";
import { createPgBossQueue } from "./pg-boss.ts";

type MakeQueue = (options: InlineQueueOptions) => Promise<JobQueue>;

// Resources a test's queue needs beyond its stop(): its database. Released after each test.
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const postgres = inject("postgres");

/** A fresh database made from the migrated template: pg-boss beside the app's tables, as on the VPS. */
async function createPostgresDatabase(server: NonNullable<typeof postgres>): Promise<string> {
  const name = `q_${randomUUID().replaceAll("-", "")}`;
  const admin = new pg.Client({ connectionString: `${server.baseUrl}postgres` });
  await admin.connect();
  await admin.query(`create database ${name} template ${server.templateDatabase}`);
  await admin.end();
  cleanups.push(async () => {
    const dropper = new pg.Client({ connectionString: `${server.baseUrl}postgres` });
    await dropper.connect();
    await dropper.query(`drop database if exists ${name} with (force)`);
    await dropper.end();
  });
  return `${server.baseUrl}${name}`;
}

// pg-boss polls at its floor so deliveries and retries take fractions of a second.
const pgBossTiming = { pollingIntervalSeconds: 0.5 };

// One contract for every JobQueue; SQS joins this list when it lands. A null maker is an
// implementation this run cannot exercise (no PostgreSQL server binaries): skipped, loudly.
const implementations: Array<[string, MakeQueue | null]> = [
  ["inline", async (options) => createInlineQueue(options)],
  [
    "pg-boss on PostgreSQL",
    postgres
      ? async (options) =>
          createPgBossQueue({
            ...options,
            ...pgBossTiming,
            database: { connectionString: await createPostgresDatabase(postgres) },
          })
      : null,
  ],
  [
    "pg-boss on PGlite",
    async (options) => {
      const db = await openPglite({
        loadDataDir: new Blob([readFileSync(inject("pgliteTemplate"))]),
      });
      cleanups.push(() => db.close());
      return createPgBossQueue({ ...options, ...pgBossTiming, database: { pglite: db.client } });
    },
  ],
];

// Generous: pg-boss delivers on its next poll, and a loaded CI machine is slow. Never a speed check.
const waitFor = async (condition: () => boolean, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

const unavailable: MakeQueue = () => Promise.reject(new Error("not available in this run"));
for (const [name, make] of implementations) {
  const title = make
    ? `JobQueue contract [${name}]`
    : `JobQueue contract [${name}] (SKIPPED: no PostgreSQL server binaries)`;
  describe.skipIf(!make)(title, () => contract(make ?? unavailable));
}

function contract(make: MakeQueue) {
  it("delivers a job to the handler of its kind, once", async () => {
    const queue = await make({});
    const seen: JobMessage[] = [];
    await queue.work("import", async (job) => void seen.push(job));
    await queue.send({
      id: "j1",
      kind: "import",
      tenantId: "t1",
      payload: { file: "clients.csv" },
    });
    await queue.send({
      id: "j1",
      kind: "import",
      tenantId: "t1",
      payload: { file: "clients.csv" },
    });
    // Jobs of a kind are delivered in the order sent: once the next one has arrived, a second
    // delivery of j1 would have too.
    await queue.send({ id: "j2", kind: "import", tenantId: "t1", payload: {} });
    await waitFor(() => seen.some((job) => job.id === "j2"));
    await queue.stop();
    expect(seen.filter((job) => job.id === "j1")).toEqual([
      { id: "j1", kind: "import", tenantId: "t1", payload: { file: "clients.csv" }, attempt: 1 },
    ]);
  });

  it("holds jobs sent before a worker registers", async () => {
    const queue = await make({});
    const seen: string[] = [];
    await queue.send({ id: "early", kind: "sync", tenantId: "t1", payload: {} });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await queue.work("sync", async (job) => void seen.push(job.id));
    await waitFor(() => seen.length === 1);
    await queue.stop();
    expect(seen).toEqual(["early"]);
  });

  it("retries a failing job, then dead-letters it after the last attempt", async () => {
    const dead: Array<{ id: string; attempt: number; error: string }> = [];
    const queue = await make({
      maxAttempts: 3,
      retryBaseMs: 1,
      onDead: (job, error) =>
        void dead.push({ id: job.id, attempt: job.attempt, error: (error as Error).message }),
    });
    const attempts: number[] = [];
    await queue.work("regenerate", async (job) => {
      attempts.push(job.attempt);
      throw new Error("poison");
    });
    await queue.send({ id: "p1", kind: "regenerate", tenantId: "t1", payload: {} });
    await waitFor(() => dead.length === 1);
    await queue.stop();
    expect(attempts).toEqual([1, 2, 3]);
    expect(dead).toEqual([{ id: "p1", attempt: 3, error: "poison" }]);
  });

  it("succeeds on a retry without dead-lettering", async () => {
    const dead: string[] = [];
    const queue = await make({
      maxAttempts: 3,
      retryBaseMs: 1,
      onDead: (job) => void dead.push(job.id),
    });
    const done: number[] = [];
    await queue.work("webhook", async (job) => {
      if (job.attempt === 1) throw new Error("transient");
      done.push(job.attempt);
    });
    await queue.send({ id: "w1", kind: "webhook", tenantId: "t1", payload: {} });
    await waitFor(() => done.length === 1);
    await queue.stop();
    expect(done).toEqual([2]);
    expect(dead).toEqual([]);
  });

  it("waits for in-flight jobs when stopped", async () => {
    const queue = await make({});
    let started = false;
    let finished = false;
    await queue.work("import", async () => {
      started = true;
      await new Promise((resolve) => setTimeout(resolve, 50));
      finished = true;
    });
    await queue.send({ id: "slow", kind: "import", tenantId: "t1", payload: {} });
    // A durable queue keeps a job nobody has picked up yet for the next start: wait for pickup.
    await waitFor(() => started);
    await queue.stop();
    expect(finished).toBe(true);
  });
}
