import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDriver } from "../../test/databases.ts";
import { createTestServices } from "../../test/services.ts";
import { queryRows } from "../adapters/db/database.ts";
import { createInlineQueue } from "../adapters/queue/inline.ts";
import { createLogger } from "../log.ts";
import { createSource } from "../repos/sources.ts";
import { ensureTenant } from "../repos/tenants.ts";
import type { Services } from "../services.ts";
import { enqueueDueSyncs } from "./enqueue-due-syncs.ts";

const at = (iso: string) => new Date(iso);

describeEachDriver("enqueueDueSyncs", (driver) => {
  let base: Services & { close(): Promise<void> };
  // Jobs are sent to an in-process queue with no worker: they wait there, and the jobs table
  // says what was enqueued, so no sync runs against an Odoo that is not there.
  let services: Services;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    base = await createTestServices(driver);
    services = { ...base, queue: createInlineQueue(), log: createLogger("silent") };
    const db = base.db.db;
    const odoo = (timeZone?: string) => ({
      url: "http://127.0.0.1:9",
      database: "estate",
      login: "api",
      ...(timeZone ? { timeZone } : {}),
    });
    const alpha = await ensureTenant(db, { slug: `sched-a-${driver}`, name: "A" });
    const beta = await ensureTenant(db, { slug: `sched-b-${driver}`, name: "B" });
    ids.alpha = alpha.id;
    ids.beta = beta.id;
    const add = async (
      tenantId: string,
      name: string,
      kind: "odoo" | "file",
      schedule: string | null,
      config: object,
    ) => (await createSource(db, tenantId, { name, kind, schedule, config })).id;
    ids.paris = await add(alpha.id, "Odoo Paris", "odoo", "0 3 * * *", odoo("Europe/Paris"));
    ids.manual = await add(alpha.id, "Odoo manual", "odoo", null, odoo());
    ids.file = await add(alpha.id, "iSaVigne", "file", "0 3 * * *", {});
    ids.broken = await add(alpha.id, "Odoo broken", "odoo", "every morning", odoo());
    // No time zone stored: the Odoo source's default, the estate's Europe/Paris.
    ids.hourly = await add(beta.id, "Odoo hourly", "odoo", "15 * * * *", odoo());
    // Registered long before the times below (the real clock may be anywhere).
    await db.execute(sql`update sources set created_at = '2026-01-01T00:00:00Z'`);
  });
  afterAll(async () => base?.close());

  const scheduledJobs = () =>
    queryRows<{
      source_id: string;
      slot: string;
      status: string;
      dedupe_key: string;
      tenant_id: string;
    }>(
      services.db.db,
      sql`select payload->>'sourceId' as source_id, payload->>'slot' as slot, status, dedupe_key, tenant_id
            from jobs where kind = 'sync' and payload->>'trigger' = 'schedule' order by slot, source_id`,
    );
  const finishAll = () =>
    services.db.db.execute(sql`update jobs set status = 'succeeded' where kind = 'sync'`);

  it("enqueues one sync per due source, in each estate, and reports a schedule it cannot read", async () => {
    const result = await enqueueDueSyncs(services, at("2026-11-25T10:20:00Z"));
    expect(result.enqueued.map((e) => [e.sourceId, e.slot.toISOString()]).sort()).toEqual(
      [
        [ids.paris, "2026-11-25T02:00:00.000Z"],
        [ids.hourly, "2026-11-25T10:15:00.000Z"],
      ].sort(),
    );
    expect(result.invalid).toEqual([
      expect.objectContaining({ sourceId: ids.broken, cron: "every morning" }),
    ]);
    expect(await scheduledJobs()).toEqual([
      {
        source_id: ids.paris,
        slot: "2026-11-25T02:00:00.000Z",
        status: "queued",
        dedupe_key: `schedule:${ids.paris}:2026-11-25T02:00:00.000Z`,
        tenant_id: ids.alpha,
      },
      {
        source_id: ids.hourly,
        slot: "2026-11-25T10:15:00.000Z",
        status: "queued",
        dedupe_key: `schedule:${ids.hourly}:2026-11-25T10:15:00.000Z`,
        tenant_id: ids.beta,
      },
    ]);
  });

  it("enqueues nothing more while those syncs wait, nor once they are done, until the next slot", async () => {
    expect((await enqueueDueSyncs(services, at("2026-11-25T10:21:00Z"))).enqueued).toEqual([]);
    await finishAll();
    expect((await enqueueDueSyncs(services, at("2026-11-25T11:00:00Z"))).enqueued).toEqual([]);
    const next = await enqueueDueSyncs(services, at("2026-11-25T11:15:00Z"));
    expect(next.enqueued.map((e) => [e.sourceId, e.slot.toISOString()])).toEqual([
      [ids.hourly, "2026-11-25T11:15:00.000Z"],
    ]);
    await finishAll();
  });

  it("after a long stop, enqueues one sync per source, for the latest slot", async () => {
    const result = await enqueueDueSyncs(services, at("2026-11-28T18:40:00Z"));
    expect(result.enqueued.map((e) => [e.sourceId, e.slot.toISOString()]).sort()).toEqual(
      [
        [ids.paris, "2026-11-28T02:00:00.000Z"],
        [ids.hourly, "2026-11-28T18:15:00.000Z"],
      ].sort(),
    );
    await finishAll();
  });

  it("makes one job of a slot however many schedulers tick at once", async () => {
    const now = at("2026-11-29T02:30:00Z");
    await Promise.all([
      enqueueDueSyncs(services, now),
      enqueueDueSyncs(services, now),
      enqueueDueSyncs(services, now),
    ]);
    const slots = (await scheduledJobs()).filter((j) => j.slot.startsWith("2026-11-29"));
    expect(slots.map((j) => [j.source_id, j.slot]).sort()).toEqual(
      [
        [ids.paris, "2026-11-29T02:00:00.000Z"],
        [ids.hourly, "2026-11-29T02:15:00.000Z"],
      ].sort(),
    );
  });
});
