import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { fromPglite, PgBoss } from "pg-boss";
import { afterEach, describe, expect, inject, it } from "vitest";
import { openPglite } from "../db/pglite.ts";
import { createPgBossQueue, type PgBossQueue } from "./pg-boss.ts";

// What pg-boss adds to the JobQueue contract: tasks on a schedule, one across processes.
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const postgres = inject("postgres");

/** Two "processes" on one database, and a plain pg-boss to look at it and act as the clock. */
type Setup = () => Promise<{ queues: [PgBossQueue, PgBossQueue]; observer: PgBoss }>;

const onPglite: Setup = async () => {
  const db = await openPglite({ loadDataDir: new Blob([readFileSync(inject("pgliteTemplate"))]) });
  cleanups.push(() => db.close());
  const open = () =>
    createPgBossQueue({ database: { pglite: db.client }, pollingIntervalSeconds: 0.5 });
  const queues: [PgBossQueue, PgBossQueue] = [await open(), await open()];
  cleanups.push(async () => void (await Promise.all(queues.map((q) => q.stop()))));
  const observer = new PgBoss({
    db: fromPglite(db.client),
    backend: "pglite",
    supervise: false,
    schedule: false,
  });
  await observer.start();
  cleanups.push(() => observer.stop({ graceful: false }));
  return { queues, observer };
};

const onPostgres: Setup = async () => {
  const name = `b_${randomUUID().replaceAll("-", "")}`;
  const admin = new pg.Client({ connectionString: `${postgres!.baseUrl}postgres` });
  await admin.connect();
  await admin.query(`create database ${name} template ${postgres!.templateDatabase}`);
  await admin.end();
  cleanups.push(async () => {
    const dropper = new pg.Client({ connectionString: `${postgres!.baseUrl}postgres` });
    await dropper.connect();
    await dropper.query(`drop database if exists ${name} with (force)`);
    await dropper.end();
  });
  const connectionString = `${postgres!.baseUrl}${name}`;
  const open = () =>
    createPgBossQueue({ database: { connectionString }, pollingIntervalSeconds: 0.5 });
  const queues: [PgBossQueue, PgBossQueue] = [await open(), await open()];
  cleanups.push(async () => void (await Promise.all(queues.map((q) => q.stop()))));
  const observer = new PgBoss({ connectionString, supervise: false, schedule: false });
  // The database is dropped with its connections at the end (`with (force)`): a connection the
  // observer's pool still held then reports it (57P01), and an `error` event nobody listens to
  // would fail the run after the test passed. Anything else still fails it.
  observer.on("error", (error: Error & { code?: string }) => {
    if (error.code !== "57P01") throw error;
  });
  await observer.start();
  cleanups.push(() => observer.stop({ graceful: false }));
  return { queues, observer };
};

const waitFor = async (condition: () => boolean, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const setups: Array<[string, Setup | null]> = [
  ["PGlite", onPglite],
  ["PostgreSQL", postgres ? onPostgres : null],
];

for (const [name, setup] of setups)
  describe.skipIf(!setup)(
    `pg-boss every() [${name}]${setup ? "" : " (SKIPPED: no PostgreSQL)"}`,
    () => {
      it("keeps one schedule however many processes ask, and runs each occurrence in one of them", async () => {
        const { queues, observer } = await setup!();
        const ran: string[] = [];
        await queues[0].every("tick", "* * * * *", async () => void ran.push("first"));
        await queues[1].every("tick", "* * * * *", async () => void ran.push("second"));
        expect(
          (await observer.getSchedules()).map((s) => ({ name: s.name, cron: s.cron })),
        ).toEqual([{ name: "every.tick", cron: "* * * * *" }]);
        // An occurrence, as pg-boss's clock sends it (waiting for the real minute is pg-boss's test).
        expect(await observer.send("every.tick", {})).not.toBeNull();
        await waitFor(() => ran.length === 1);
        // The queue is exclusive: a tick sent while the last one is still active (its handler
        // returned, its completion not yet written) is dropped, as the clock's would be. The
        // next one goes in once the last is done.
        const deadline = Date.now() + 30_000;
        while ((await observer.send("every.tick", {})) === null) {
          if (Date.now() > deadline) throw new Error("the first tick never completed");
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await waitFor(() => ran.length === 2);
        await Promise.all(queues.map((q) => q.stop()));
        expect(ran).toHaveLength(2);
      });
    },
  );
