import { type SQL, sql } from "drizzle-orm";
import type { EvaluationResult } from "@crm-reco/core";
import { type Db, queryRows } from "../adapters/db/database.ts";
import { customerName } from "../repos/customer-profile.ts";

export interface AuditFigures {
  estate: string;
  lastRun: {
    id: string;
    algorithm: string;
    finishedAt: string | null;
    dataSnapshot: Record<string, unknown>;
    weights: Record<string, number> | null;
    /** `horizonDays`: what the backtest judged, the split's next days (180 before 2026-12-04). */
    evaluation: {
      splitDate: string;
      horizonDays: number;
      k: number;
      results: EvaluationResult[];
    } | null;
  } | null;
  byStatus: Record<string, number>;
  approvalRate: number | null;
  meanRating: number | null;
  /** How the sales team received each algorithm's proposals: decisions and ratings. */
  reviewByAlgorithm: Array<{
    algorithm: string;
    proposed: number;
    approved: number;
    rejected: number;
    approvalRate: number | null;
    ratings: number;
    meanRating: number | null;
  }>;
  feedback: Array<{
    at: string;
    by: string | null;
    rating: number;
    comment: string | null;
    product: string;
    customer: string;
  }>;
  sources: Array<{
    name: string;
    runs: number;
    rowsRead: number;
    rowsRejected: number;
    qualityScore: number | null;
  }>;
  openAnomalies: Record<string, number>;
  topWines: Array<{ sku: string; name: string; recommended: number; approved: number }>;
}

const parse = (v: unknown) =>
  (typeof v === "string" ? JSON.parse(v) : v) as Record<string, unknown> | null;

type Evaluation = NonNullable<AuditFigures["lastRun"]>["evaluation"];
/** A run's stored backtest; runs made before it recorded its horizon judged the next 180 days. */
function evaluationOf(metrics: unknown): Evaluation {
  const stored = parse(metrics) as Partial<NonNullable<Evaluation>> | null;
  return stored ? ({ ...stored, horizonDays: stored.horizonDays ?? 180 } as Evaluation) : null;
}

/**
 * What the audit report shows the estate's owner (as JSON on the audit page, as a PDF to print):
 * measured metrics of the last run, review outcomes, data quality by source, open anomalies and
 * the most recommended wines. With a campaign, recommendation figures are that campaign's.
 */
export async function auditFigures(
  db: Db,
  tenantId: string,
  campaignId?: string,
): Promise<AuditFigures> {
  const inCampaign: SQL = campaignId ? sql` and r.campaign_id = ${campaignId}::uuid` : sql``;
  const [tenant] = await queryRows<{ name: string }>(
    db,
    sql`select name from tenants where id = ${tenantId}::uuid`,
  );
  const [run] = await queryRows<{
    id: string;
    algorithm: string;
    finished_at: string | null;
    data_snapshot: unknown;
    parameters: unknown;
    metrics: unknown;
  }>(
    db,
    sql`select r.id, r.algorithm, to_char(r.finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as finished_at, r.data_snapshot, r.parameters, r.metrics
        from recommendation_runs r where r.tenant_id = ${tenantId}::uuid and r.status = 'succeeded' ${inCampaign}
        order by r.created_at desc, r.id desc limit 1`,
  );
  const statuses = await queryRows<{ status: string; n: number }>(
    db,
    sql`select r.status, count(*)::int as n from recommendations r where r.tenant_id = ${tenantId}::uuid ${inCampaign} group by r.status`,
  );
  const byStatus = Object.fromEntries(statuses.map((s) => [s.status, s.n]));
  const positive = (byStatus.approved ?? 0) + (byStatus.exported ?? 0);
  const decided = positive + (byStatus.rejected ?? 0);
  const feedback = await queryRows<AuditFigures["feedback"][number] & { mean: number }>(
    db,
    sql`select to_char(f.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at, u.email as by, f.rating, f.comment, p.name as product,
               ${customerName("c")} as customer,
               avg(f.rating) over ()::float8 as mean
        from feedback f join recommendations r on r.id = f.recommendation_id join products p on p.id = r.product_id
        join customers c on c.id = r.customer_id left join users u on u.id = f.user_id
        where f.tenant_id = ${tenantId}::uuid ${inCampaign} order by f.updated_at desc limit 200`,
  );
  const decisions = await queryRows<{
    algorithm: string;
    proposed: number;
    approved: number;
    rejected: number;
  }>(
    db,
    sql`select r.algorithm, count(*)::int as proposed,
               count(*) filter (where r.status in ('approved', 'exported'))::int as approved,
               count(*) filter (where r.status = 'rejected')::int as rejected
        from recommendations r where r.tenant_id = ${tenantId}::uuid ${inCampaign}
        group by r.algorithm order by r.algorithm`,
  );
  const ratings = await queryRows<{ algorithm: string; ratings: number; mean: number }>(
    db,
    sql`select r.algorithm, count(*)::int as ratings, avg(f.rating)::float8 as mean
        from feedback f join recommendations r on r.id = f.recommendation_id
        where f.tenant_id = ${tenantId}::uuid ${inCampaign} group by r.algorithm`,
  );
  const sources = await queryRows<{
    name: string;
    runs: number;
    read: number;
    rejected: number;
    quality: number | null;
  }>(
    db,
    sql`select s.name, count(r.id)::int as runs, coalesce(sum(r.rows_read), 0)::int as read, coalesce(sum(r.rows_rejected), 0)::int as rejected,
               (select q.quality_score::float8 from sync_runs q where q.source_id = s.id and q.quality_score is not null order by q.started_at desc limit 1) as quality
        from sources s left join sync_runs r on r.source_id = s.id
        where s.tenant_id = ${tenantId}::uuid group by s.id, s.name order by s.name`,
  );
  const anomalies = await queryRows<{ severity: string; n: number }>(
    db,
    sql`select severity, count(*)::int as n from anomalies where tenant_id = ${tenantId}::uuid and status = 'open' group by severity`,
  );
  const topWines = await queryRows<{
    sku: string;
    name: string;
    recommended: number;
    approved: number;
  }>(
    db,
    sql`select p.sku, p.name, count(*)::int as recommended, count(*) filter (where r.status in ('approved', 'exported'))::int as approved
        from recommendations r join products p on p.id = r.product_id
        where r.tenant_id = ${tenantId}::uuid ${inCampaign} group by p.id, p.sku, p.name
        order by recommended desc, approved desc, p.sku limit 10`,
  );
  const parameters = run ? parse(run.parameters) : null;
  return {
    estate: tenant?.name ?? "",
    lastRun: run
      ? {
          id: run.id,
          algorithm: run.algorithm,
          finishedAt: run.finished_at,
          dataSnapshot: parse(run.data_snapshot) ?? {},
          weights: (parameters?.weights as Record<string, number> | null | undefined) ?? null,
          evaluation: evaluationOf(run.metrics),
        }
      : null,
    byStatus,
    approvalRate: decided === 0 ? null : positive / decided,
    meanRating: feedback[0]?.mean ?? null,
    reviewByAlgorithm: decisions.map((d) => {
      const rated = ratings.find((r) => r.algorithm === d.algorithm);
      const decidedHere = d.approved + d.rejected;
      return {
        ...d,
        approvalRate: decidedHere === 0 ? null : d.approved / decidedHere,
        ratings: rated?.ratings ?? 0,
        meanRating: rated?.mean ?? null,
      };
    }),
    feedback: feedback.map(({ mean: _mean, ...f }) => f),
    sources: sources.map((s) => ({
      name: s.name,
      runs: s.runs,
      rowsRead: s.read,
      rowsRejected: s.rejected,
      qualityScore: s.quality,
    })),
    openAnomalies: Object.fromEntries(anomalies.map((a) => [a.severity, a.n])),
    topWines,
  };
}
