import { and, eq, sql } from "drizzle-orm";
import { isUuid, notFound } from "@crm-reco/core";
import { type Db, queryRows } from "../adapters/db/database.ts";
import { anomalies } from "../db/schema/index.ts";

/**
 * A source's quality: the mean score of the latest finished import of each entity it feeds
 * (customers, products, order lines), so one old bad file stops counting once a good one replaces
 * it. `null` before any import.
 */
export async function sourceQualityScore(
  db: Db,
  tenantId: string,
  sourceId: string,
): Promise<number | null> {
  const [row] = await queryRows<{ score: number | null }>(
    db,
    sql`select round(avg(quality_score)::numeric, 1)::float8 as score from (
          select distinct on (entity) quality_score from sync_runs
          where tenant_id = ${tenantId}::uuid and source_id = ${sourceId}::uuid and status in ('succeeded', 'partial') and quality_score is not null
          order by entity, finished_at desc) latest`,
  );
  return row?.score ?? null;
}

/** Staff's decision on an anomaly, kept with who and when; "open" reopens it. */
export async function decideAnomaly(
  db: Db,
  tenantId: string,
  anomalyId: string,
  status: "resolved" | "ignored" | "open",
  userId: string | null,
) {
  if (!isUuid(anomalyId)) throw notFound("anomaly", anomalyId);
  const [row] = await db
    .update(anomalies)
    .set({
      status,
      decidedBy: status === "open" ? null : userId,
      decidedAt: status === "open" ? null : sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(anomalies.tenantId, tenantId), eq(anomalies.id, anomalyId)))
    .returning();
  if (!row) throw notFound("anomaly", anomalyId);
  return row;
}
