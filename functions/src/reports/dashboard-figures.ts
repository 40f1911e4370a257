import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../adapters/db/database.ts";
import { loadCron } from "../on-demand.ts";
import { OdooSourceConfig } from "../odoo/odoo-source.ts";
import { isCreditNoteBySumSql, isCreditNoteSql } from "../repos/credit-notes.ts";

export const DASHBOARD_MONTHS = 24;
/** A scheduled sync starts within a minute of its slot; an hour covers a long one. */
export const SYNC_GRACE_MS = 60 * 60 * 1000;

export interface LastSync {
  sourceId: string;
  sourceName: string;
  kind: "file" | "odoo";
  schedule: string | null;
  run: {
    id: string;
    status: string;
    entity: string | null;
    fileName: string | null;
    startedAt: string;
    finishedAt: string | null;
    errorMessage: string | null;
    /** What failed, as a code the web app words in the reader's language. */
    errorCode: string | null;
  } | null;
}

export type AttentionKind =
  "failed_run" | "high_anomalies" | "merge_candidates" | "overdue_sync" | "pending_recommendations";

export interface AttentionItem {
  kind: AttentionKind;
  /** How many things of this kind wait (runs, anomalies, pairs, recommendations); 1 per source. */
  count: number;
  /** The source concerned, for a failed or overdue sync. */
  source: string | null;
  /** The page of the web app where it is dealt with. */
  link: string;
}

export interface DashboardFigures {
  customers: number;
  products: number;
  orders: number;
  sources: number;
  ordersByMonth: Array<{ month: string; orders: number; amount: number }>;
  openAnomalies: Record<string, number>;
  recommendations: Record<string, number>;
  approval: { rate: number | null; approved: number; decided: number };
  averageFeedback: number | null;
  feedbackCount: number;
  lastSyncs: LastSync[];
  needsAttention: AttentionItem[];
}

const iso = (column: string) =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`);

/** The `count` months ending with the one of `now` (UTC), oldest first, as "YYYY-MM". */
export function lastMonths(now: Date, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (count - 1 - i), 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  });
}

/**
 * What the dashboard shows an estate at `now`. Rules:
 * - orders per month cover the last 24 months, months without orders included; an order's amount
 *   is the sum of its lines (quantity × unit price when a line has no total), else its total;
 * - the approval rate is approved (exported included) over decided (approved + rejected);
 * - needs attention lists, in this order: last runs that failed (one per source), open critical
 *   or high anomalies, pending merge candidates, scheduled sources whose latest slot more than
 *   an hour ago has no successful sync since, and recommendations waiting for review.
 */
export async function dashboardFigures(
  db: Db,
  tenantId: string,
  now: Date,
): Promise<DashboardFigures> {
  const t = tenantId;
  const [counts] = await queryRows<{
    customers: number;
    products: number;
    orders: number;
    sources: number;
    feedback: number | null;
    feedback_count: number;
    merge_candidates: number;
  }>(
    db,
    sql`select (select count(*)::int from customers where tenant_id = ${t}::uuid and merged_into is null and erased_at is null) as customers,
               (select count(*)::int from products where tenant_id = ${t}::uuid and kind = 'wine') as products,
               (select count(*)::int from orders o where o.tenant_id = ${t}::uuid
                  and not ${isCreditNoteSql(sql`o.id`)}) as orders,
               (select count(*)::int from sources where tenant_id = ${t}::uuid) as sources,
               (select avg(rating)::float8 from feedback where tenant_id = ${t}::uuid) as feedback,
               (select count(*)::int from feedback where tenant_id = ${t}::uuid) as feedback_count,
               (select count(*)::int from merge_candidates where tenant_id = ${t}::uuid and status = 'pending') as merge_candidates`,
  );
  const months = lastMonths(now, DASHBOARD_MONTHS);
  const monthRows = await queryRows<{ month: string; orders: number; amount: number }>(
    db,
    sql`with amounts as (
          select l.order_id, sum(coalesce(l.total, l.quantity * l.unit_price))::float8 as amount,
                 sum(l.quantity)::float8 as quantity
          from order_lines l join orders o on o.id = l.order_id
          where l.tenant_id = ${t}::uuid and o.order_date >= ${`${months[0]}-01`}::date
          group by l.order_id)
        select to_char(o.order_date, 'YYYY-MM') as month,
               count(*) filter (where not ${isCreditNoteBySumSql(sql`a.quantity`)})::int as orders,
               coalesce(sum(coalesce(a.amount, o.total_incl_tax::float8, 0)), 0)::float8 as amount
        from orders o left join amounts a on a.order_id = o.id
        where o.tenant_id = ${t}::uuid and o.order_date >= ${`${months[0]}-01`}::date
          and to_char(o.order_date, 'YYYY-MM') <= ${months.at(-1)!}
        group by 1`,
  );
  const byMonth = new Map(monthRows.map((r) => [r.month, r]));
  const anomalies = await queryRows<{ severity: string; n: number }>(
    db,
    sql`select severity, count(*)::int as n from anomalies where tenant_id = ${t}::uuid and status = 'open' group by 1`,
  );
  const recos = await queryRows<{ status: string; n: number }>(
    db,
    sql`select status, count(*)::int as n from recommendations where tenant_id = ${t}::uuid group by 1`,
  );
  const openAnomalies = Object.fromEntries(anomalies.map((a) => [a.severity, a.n]));
  const recommendations = Object.fromEntries(recos.map((r) => [r.status, r.n]));
  const approved = (recommendations.approved ?? 0) + (recommendations.exported ?? 0);
  const decided = approved + (recommendations.rejected ?? 0);
  const syncs = await lastSyncs(db, t);
  const overdue = await overdueSources(db, t, now);
  const needsAttention: AttentionItem[] = [
    ...syncs
      .filter((s) => s.run?.status === "failed")
      .map((s) => item("failed_run", 1, s.sourceName, "/sources")),
    ...attention("high_anomalies", (openAnomalies.critical ?? 0) + (openAnomalies.high ?? 0)),
    ...attention("merge_candidates", counts!.merge_candidates),
    ...overdue.map((name) => item("overdue_sync", 1, name, "/sources")),
    ...attention("pending_recommendations", recommendations.pending ?? 0),
  ];
  return {
    customers: counts!.customers,
    products: counts!.products,
    orders: counts!.orders,
    sources: counts!.sources,
    ordersByMonth: months.map((month) => ({
      month,
      orders: byMonth.get(month)?.orders ?? 0,
      amount: Math.round((byMonth.get(month)?.amount ?? 0) * 100) / 100,
    })),
    openAnomalies,
    recommendations,
    approval: { rate: decided === 0 ? null : approved / decided, approved, decided },
    averageFeedback: counts!.feedback,
    feedbackCount: counts!.feedback_count,
    lastSyncs: syncs,
    needsAttention,
  };
}

const links: Record<Exclude<AttentionKind, "failed_run" | "overdue_sync">, string> = {
  high_anomalies: "/anomalies",
  merge_candidates: "/customers/merges",
  pending_recommendations: "/recommendations",
};
const item = (kind: AttentionKind, count: number, source: string | null, link: string) => ({
  kind,
  count,
  source,
  link,
});
const attention = (kind: keyof typeof links, count: number): AttentionItem[] =>
  count > 0 ? [item(kind, count, null, links[kind])] : [];

/**
 * Every source with its latest run (by start, then by record: a fixed clock gives runs the same
 * start), sources never run included, by name (French).
 */
async function lastSyncs(db: Db, tenantId: string): Promise<LastSync[]> {
  const rows = await queryRows<{
    source_id: string;
    name: string;
    kind: "file" | "odoo";
    schedule: string | null;
    run_id: string | null;
    status: string | null;
    entity: string | null;
    file_name: string | null;
    started_at: string | null;
    finished_at: string | null;
    error_message: string | null;
    error_code: string | null;
  }>(
    db,
    sql`select s.id as source_id, s.name, s.kind, s.schedule, r.id as run_id, r.status, r.entity, r.file_name,
               ${iso("r.started_at")} as started_at, ${iso("r.finished_at")} as finished_at, r.error_message, r.error_code
        from sources s
        left join lateral (select * from sync_runs r where r.tenant_id = s.tenant_id and r.source_id = s.id
                           order by r.started_at desc, r.created_at desc, r.id desc limit 1) r on true
        where s.tenant_id = ${tenantId}::uuid`,
  );
  // The latest sync first (the list answers "what came in lately?"), sources never synced last
  // by name. Sorted here: the database's collation differs between PGlite and PostgreSQL.
  rows.sort(
    (a, b) =>
      (b.started_at ?? "").localeCompare(a.started_at ?? "") ||
      a.name.localeCompare(b.name, "fr") ||
      a.source_id.localeCompare(b.source_id),
  );
  return rows.map((r) => ({
    sourceId: r.source_id,
    sourceName: r.name,
    kind: r.kind,
    schedule: r.schedule,
    run:
      r.run_id === null
        ? null
        : {
            id: r.run_id,
            status: r.status!,
            entity: r.entity,
            fileName: r.file_name,
            startedAt: r.started_at!,
            finishedAt: r.finished_at,
            errorMessage: r.error_message,
            errorCode: r.error_code,
          },
  }));
}

/** Names of scheduled sources with no successful sync since a slot that passed over an hour ago. */
async function overdueSources(db: Db, tenantId: string, now: Date): Promise<string[]> {
  const rows = await queryRows<{
    name: string;
    schedule: string;
    time_zone: string | null;
    since_ms: number;
  }>(
    db,
    sql`select s.name, s.schedule, s.config->>'timeZone' as time_zone,
               (extract(epoch from coalesce(
                  (select max(r.started_at) from sync_runs r where r.tenant_id = s.tenant_id and r.source_id = s.id
                     and r.status in ('succeeded', 'partial')),
                  s.created_at)) * 1000)::float8 as since_ms
        from sources s where s.tenant_id = ${tenantId}::uuid and s.schedule is not null
        order by s.name`,
  );
  if (rows.length === 0) return [];
  const { latestSlot } = await loadCron();
  return rows
    .filter((row) => {
      const timeZone = row.time_zone ?? OdooSourceConfig.shape.timeZone.parse(undefined);
      try {
        const slot = latestSlot(row.schedule, timeZone, new Date(now.getTime() - SYNC_GRACE_MS));
        return slot !== null && slot.getTime() > Number(row.since_ms);
      } catch {
        // A schedule that cannot be read is reported by the scheduler, not here.
        return false;
      }
    })
    .map((row) => row.name);
}
