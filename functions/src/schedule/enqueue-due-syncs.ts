import { sql } from "drizzle-orm";
import type { DueSync, ScheduleProblem } from "@crm-reco/core";
import { dueSyncs } from "@crm-reco/core/cron";
import { queryRows } from "../adapters/db/database.ts";
import { enqueueJob } from "../jobs/job-records.ts";
import type { SyncPayload } from "../jobs/workers.ts";
import { OdooSourceConfig } from "../odoo/odoo-source.ts";
import type { Services } from "../services.ts";

export interface EnqueuedSync extends DueSync {
  jobId: string;
}

interface ScheduledSourceRow {
  source_id: string;
  tenant_id: string;
  schedule: string;
  time_zone: string | null;
  since_ms: number;
  last_slot_ms: number | null;
  busy: boolean;
}

/**
 * One scheduler tick, for every estate: enqueues a `sync` job for each Odoo source whose schedule
 * has come due (see `dueSyncs`). Safe to run twice for the same minute, from two processes or
 * after a crash: the job's dedupe key is the source and the slot, so one slot is one job. The
 * VPS worker runs it every minute from a pg-boss schedule, the embedded server from a timer, and
 * AWS from an EventBridge rule.
 */
export async function enqueueDueSyncs(
  services: Pick<Services, "db" | "queue" | "log">,
  now: Date,
): Promise<{ enqueued: EnqueuedSync[]; invalid: ScheduleProblem[] }> {
  const rows = await queryRows<ScheduledSourceRow>(
    services.db.db,
    sql`select s.id as source_id, s.tenant_id, s.schedule, s.config->>'timeZone' as time_zone,
          (extract(epoch from s.created_at) * 1000)::float8 as since_ms,
          (select (extract(epoch from max((j.payload->>'slot')::timestamptz)) * 1000)::float8
             from jobs j
            where j.tenant_id = s.tenant_id and j.kind = 'sync' and j.payload->>'sourceId' = s.id::text
              and j.payload->>'trigger' = 'schedule' and j.payload ? 'slot') as last_slot_ms,
          exists (select 1 from jobs j
                   where j.tenant_id = s.tenant_id and j.kind = 'sync' and j.payload->>'sourceId' = s.id::text
                     and j.status in ('queued', 'running')) as busy
        from sources s
       where s.kind = 'odoo' and s.schedule is not null`,
  );
  const { due, invalid } = dueSyncs(
    rows.map((row) => ({
      sourceId: row.source_id,
      tenantId: row.tenant_id,
      cron: row.schedule,
      // The zone the source's sync reads dates in (the estate's), with the same default.
      timeZone: row.time_zone ?? OdooSourceConfig.shape.timeZone.parse(undefined),
      since: new Date(Number(row.since_ms)),
      lastSlot: row.last_slot_ms === null ? null : new Date(Number(row.last_slot_ms)),
      busy: row.busy,
    })),
    now,
  );
  for (const problem of invalid)
    services.log.warn(
      { sourceId: problem.sourceId, tenantId: problem.tenantId, reason: problem.message },
      "source schedule cannot be read: no scheduled sync",
    );
  const enqueued: EnqueuedSync[] = [];
  for (const sync of due) {
    const slot = sync.slot.toISOString();
    const payload: SyncPayload = { sourceId: sync.sourceId, trigger: "schedule", slot };
    const job = await enqueueJob(services, {
      tenantId: sync.tenantId,
      kind: "sync",
      payload: payload as unknown as Record<string, unknown>,
      dedupeKey: `schedule:${sync.sourceId}:${slot}`,
    });
    enqueued.push({ ...sync, jobId: job.id });
  }
  if (enqueued.length > 0)
    services.log.info({ syncs: enqueued.length }, "scheduled syncs enqueued");
  return { enqueued, invalid };
}
