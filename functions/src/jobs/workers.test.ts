import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServices } from "../../test/services.ts";
import { queryRows } from "../adapters/db/database.ts";
import { ensureTenant } from "../repos/tenants.ts";
import type { Services } from "../services.ts";
import { resumeUnfinishedJobs } from "./workers.ts";

describe("jobs left unfinished by a stopped server", () => {
  let services: Services & { close(): Promise<void> };
  beforeAll(async () => {
    services = await createTestServices("pglite");
  });
  afterAll(async () => services?.close());

  it("are queued again at start and run to the end; finished ones are left alone", async () => {
    const tenant = await ensureTenant(services.db.db, { slug: "resume", name: "Resume" });
    // A regeneration queued before the stop (no history: it fails with a clear error) and one
    // that had already succeeded.
    await services.db.db.execute(
      sql`insert into jobs (tenant_id, kind, payload, status) values
            (${tenant.id}::uuid, 'regenerate', '{"k": 2}'::jsonb, 'queued'),
            (${tenant.id}::uuid, 'regenerate', '{}'::jsonb, 'succeeded')`,
    );
    expect(await resumeUnfinishedJobs(services)).toBe(1);
    let rows: Array<{ status: string; error_code: string | null; attempts: number }> = [];
    for (let i = 0; i < 200; i++) {
      rows = await queryRows(
        services.db.db,
        sql`select status, error_code, attempts from jobs where tenant_id = ${tenant.id}::uuid order by status`,
      );
      if (rows.every((r) => r.status !== "queued" && r.status !== "running")) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(rows).toEqual([
      { status: "failed", error_code: "recommend.no_history", attempts: expect.any(Number) },
      { status: "succeeded", error_code: null, attempts: 0 },
    ]);
  });
});
