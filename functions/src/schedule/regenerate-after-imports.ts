import { sql } from "drizzle-orm";
import { queryRows } from "../adapters/db/database.ts";
import { enqueueJob } from "../jobs/job-records.ts";
import type { Services } from "../services.ts";

/** New data must have been quiet this long before the recommendations are computed again. */
export const QUIET_MINUTES = 10;

/**
 * Debounced regeneration: for each estate whose data changed (an import or sync finished) since
 * its recommendations were last computed, and where nothing has been imported for the last few
 * minutes nor is waiting to be, one `regenerate` job. An estate uploading its three exports one
 * after the other gets one regeneration, after the last. Keyed on the latest change, so a second
 * tick for the same change enqueues nothing.
 */
export async function enqueueDebouncedRegeneration(
  services: Pick<Services, "db" | "queue">,
  now: Date,
): Promise<string[]> {
  const estates = await queryRows<{ tenant_id: string; changed_at: string }>(
    services.db.db,
    sql`with changes as (
          select tenant_id, max(finished_at) as changed_at from jobs
           where kind in ('import', 'sync') and status = 'succeeded' group by tenant_id),
        computed as (
          -- A regeneration asked after a change covers it; an automatic one says which change it was for.
          select tenant_id, max(coalesce((payload->>'changedAt')::timestamptz, created_at)) as asked_at
            from jobs where kind = 'regenerate' group by tenant_id)
        select c.tenant_id, to_char(c.changed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as changed_at
          from changes c left join computed r on r.tenant_id = c.tenant_id
         where (r.asked_at is null or r.asked_at < c.changed_at)
           and c.changed_at <= ${now.toISOString()}::timestamptz - make_interval(mins => ${QUIET_MINUTES})
           and not exists (select 1 from jobs j where j.tenant_id = c.tenant_id
                            and j.kind in ('import', 'sync', 'regenerate') and j.status in ('queued', 'running'))`,
  );
  const enqueued: string[] = [];
  for (const estate of estates) {
    const job = await enqueueJob(services, {
      tenantId: estate.tenant_id,
      kind: "regenerate",
      payload: { reason: "new data", changedAt: estate.changed_at },
      dedupeKey: `after-data:${estate.changed_at}`,
    });
    enqueued.push(job.id);
  }
  return enqueued;
}
