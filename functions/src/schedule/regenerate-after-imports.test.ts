import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { JobMessage } from "@crm-reco/core";
import { describeEachDriver } from "../../test/databases.ts";
import { openTestDatabase } from "../../test/databases.ts";
import { createLogger } from "../log.ts";
import { ensureTenant } from "../repos/tenants.ts";
import type { DbHandle } from "../adapters/db/database.ts";
import { enqueueDebouncedRegeneration } from "./regenerate-after-imports.ts";

describeEachDriver("debounced regeneration", (driver) => {
  let db: DbHandle;
  const sent: Array<Omit<JobMessage, "attempt">> = [];
  const queue = {
    send: async (job: Omit<JobMessage, "attempt">) => void sent.push(job),
    work: async () => {},
    stop: async () => {},
  };
  beforeAll(async () => {
    db = await openTestDatabase(driver);
  });
  afterAll(async () => db?.close());
  const services = () => ({ db, queue, log: createLogger("silent") });

  async function jobAt(
    tenantId: string,
    kind: string,
    status: string,
    finished: string | null,
    created = finished,
  ) {
    await db.db.execute(
      sql`insert into jobs (tenant_id, kind, status, finished_at, created_at)
          values (${tenantId}::uuid, ${kind}, ${status}, ${finished}::timestamptz, coalesce(${created}::timestamptz, now()))`,
    );
  }

  it("waits for imports to go quiet, then asks for one regeneration per change", async () => {
    const tenant = (await ensureTenant(db.db, { slug: `t-${randomUUID()}`, name: "Domaine" })).id;
    await jobAt(tenant, "import", "succeeded", "2026-12-01T10:00:00Z");
    await jobAt(tenant, "import", "succeeded", "2026-12-01T10:04:00Z");
    const at = (iso: string) => enqueueDebouncedRegeneration(services(), new Date(iso));

    expect(await at("2026-12-01T10:08:00Z")).toEqual([]); // the last import is 4 minutes old
    const [first] = await at("2026-12-01T10:15:00Z");
    expect(first).toBeDefined();
    expect(sent.filter((j) => j.tenantId === tenant).map((j) => j.kind)).toEqual(["regenerate"]);
    // Asked already (and still queued): the next ticks add nothing.
    expect(await at("2026-12-01T10:20:00Z")).toEqual([]);
    await db.db.execute(sql`update jobs set status = 'succeeded' where id = ${first!}::uuid`);
    expect(await at("2026-12-01T10:25:00Z")).toEqual([]);

    // New data while an import is still running: wait for it.
    await jobAt(tenant, "import", "succeeded", "2026-12-01T11:00:00Z", "2026-12-01T10:59:00Z");
    await jobAt(tenant, "sync", "running", null, "2026-12-01T11:01:00Z");
    expect(await at("2026-12-01T11:30:00Z")).toEqual([]);
    await db.db.execute(
      sql`update jobs set status = 'succeeded', finished_at = '2026-12-01T11:05:00Z' where tenant_id = ${tenant}::uuid and kind = 'sync'`,
    );
    expect(await at("2026-12-01T11:30:00Z")).toHaveLength(1);
  });
});
