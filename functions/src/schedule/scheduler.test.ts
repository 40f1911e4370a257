import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServices, fixedClock } from "../../test/services.ts";
import { queryRows } from "../adapters/db/database.ts";
import { createInlineQueue } from "../adapters/queue/inline.ts";
import { createSource } from "../repos/sources.ts";
import { ensureTenant } from "../repos/tenants.ts";
import type { Services } from "../services.ts";
import { type RunEvery, startScheduler } from "./scheduler.ts";

describe("startScheduler", () => {
  let base: Services & { close(): Promise<void> };
  let services: Services;
  let tenantId: string;
  beforeAll(async () => {
    base = await createTestServices("pglite", fixedClock("2026-11-25T10:20:00Z"));
    // A queue with no worker: the jobs the scheduler enqueues wait, and the table shows them.
    services = { ...base, queue: createInlineQueue() };
    tenantId = (await ensureTenant(base.db.db, { slug: "ticks", name: "Ticks" })).id;
    await createSource(base.db.db, tenantId, {
      name: "Odoo",
      kind: "odoo",
      schedule: "0 3 * * *",
      config: { url: "http://127.0.0.1:9", database: "d", login: "l", timeZone: "UTC" },
    });
    await base.db.db.execute(sql`update sources set created_at = '2026-01-01T00:00:00Z'`);
  });
  afterAll(async () => base?.close());

  const slots = () =>
    queryRows<{ slot: string }>(
      base.db.db,
      sql`select payload->>'slot' as slot from jobs where tenant_id = ${tenantId}::uuid and kind = 'sync'`,
    );

  it("without pg-boss, ticks once at start (catching up), then on its timer, and stops cleanly", async () => {
    // An interval no test waits for: only the tick at start can have run when stop() returns.
    const scheduler = await startScheduler(services, undefined, 3_600_000);
    await scheduler.stop();
    expect(await slots()).toEqual([{ slot: "2026-11-25T03:00:00.000Z" }]);
  });

  it("with pg-boss, hands it a tick every minute that enqueues the due syncs", async () => {
    await base.db.db.execute(sql`update jobs set status = 'succeeded'`); // yesterday's sync ran
    const registered: Array<{ name: string; cron: string; task: () => Promise<void> }> = [];
    const runEvery: RunEvery = async (name, cron, task) =>
      void registered.push({ name, cron, task });
    const scheduler = await startScheduler(
      { ...services, clock: fixedClock("2026-11-26T09:00:00Z") },
      runEvery,
    );
    expect(registered.map(({ name, cron }) => ({ name, cron }))).toEqual([
      { name: "sync-due", cron: "* * * * *" },
    ]);
    await registered[0]!.task();
    await registered[0]!.task();
    await scheduler.stop();
    expect((await slots()).map((s) => s.slot).sort()).toEqual([
      "2026-11-25T03:00:00.000Z",
      "2026-11-26T03:00:00.000Z",
    ]);
  });
});
