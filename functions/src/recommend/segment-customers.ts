import { sql } from "drizzle-orm";
import { computeSegments, dayNumber, isoDay, type Segment, type Tier } from "@crm-reco/core";
import { arrayParam, type Db, queryRows, type Tx } from "../adapters/db/database.ts";
import { isCreditNoteBySumSql } from "../repos/credit-notes.ts";

export interface SegmentedCustomer extends Segment {
  kind: "private" | "trade" | null;
}

const isoDayOrNull = (day: number | null) => (day === null ? null : isoDay(day));

/**
 * RFM segments of every active customer as of a date, from their orders (days of distinct orders,
 * money spent: line totals, else quantity × unit price, else the order total).
 */
export async function segmentCustomers(
  db: Db | Tx,
  tenantId: string,
  asOf: string,
): Promise<Map<string, SegmentedCustomer>> {
  const rows = await queryRows<{
    customer_id: string;
    kind: "private" | "trade" | null;
    days: string;
    monetary: number;
  }>(
    db,
    sql`with amounts as (
          select order_id, sum(coalesce(total, quantity * unit_price))::float8 as amount, sum(quantity)::float8 as quantity
          from order_lines where tenant_id = ${tenantId}::uuid group by order_id)
        select o.customer_id, c.kind,
               coalesce(string_agg(o.order_date::text, ',') filter (where not ${isCreditNoteBySumSql(sql`a.quantity`)}), '') as days,
               coalesce(sum(coalesce(a.amount, o.total_incl_tax::float8, 0)), 0)::float8 as monetary
        from orders o join customers c on c.id = o.customer_id left join amounts a on a.order_id = o.id
        where o.tenant_id = ${tenantId}::uuid and o.order_date <= ${asOf}::date
          and c.merged_into is null and c.erased_at is null
        group by o.customer_id, c.kind`,
  );
  const segments = computeSegments(
    rows.map((r) => ({
      customerId: r.customer_id,
      orderDays: r.days.split(",").filter(Boolean).map(dayNumber),
      monetary: r.monetary,
    })),
    dayNumber(asOf),
  );
  const kinds = new Map(rows.map((r) => [r.customer_id, r.kind]));
  return new Map([...segments].map(([id, s]) => [id, { ...s, kind: kinds.get(id) ?? null }]));
}

/** Replaces the estate's stored segments (recomputed with every run: filters and targets read them). */
export async function storeSegments(
  tx: Tx,
  tenantId: string,
  segments: Map<string, SegmentedCustomer>,
): Promise<void> {
  await tx.execute(sql`delete from customer_segments where tenant_id = ${tenantId}::uuid`);
  if (segments.size === 0) return;
  const list = [...segments];
  const col = (pick: (s: SegmentedCustomer) => unknown, type: string) =>
    arrayParam(
      list.map(([, s]) => pick(s)),
      type,
    );
  await tx.execute(
    sql`insert into customer_segments (customer_id, tenant_id, recency, frequency, monetary, tier, reorder_interval_days, expected_next_order_on, last_order_on)
        select u.customer_id, ${tenantId}::uuid, u.recency, u.frequency, u.monetary, u.tier, u.reorder, u.next_on, u.last_on
        from unnest(${arrayParam(
          list.map(([id]) => id),
          "uuid",
        )}, ${col((s) => s.recency, "int")}, ${col((s) => s.frequency, "int")}, ${col((s) => s.monetary, "int")}, ${col((s) => s.tier, "text")}, ${col((s) => s.reorderIntervalDays, "int")}, ${col((s) => isoDayOrNull(s.expectedNextOrderDay), "date")}, ${col((s) => isoDayOrNull(s.lastOrderDay), "date")})
             as u(customer_id, recency, frequency, monetary, tier, reorder, next_on, last_on)`,
  );
}

/** Who a run targets: some customers, RFM tiers, private vs trade (all empty: everyone). */
export interface Target {
  customerIds?: string[];
  tiers?: Tier[];
  kind?: "private" | "trade";
}

export const isEveryone = (target: Target) =>
  !target.customerIds?.length && !target.tiers?.length && !target.kind;

export const inTarget = (
  customerId: string,
  segment: SegmentedCustomer | undefined,
  target: Target,
) =>
  (!target.customerIds?.length || target.customerIds.includes(customerId)) &&
  (!target.tiers?.length || (segment !== undefined && target.tiers.includes(segment.tier))) &&
  (!target.kind || segment?.kind === target.kind);

/**
 * The segments as of the estate's latest sale, stored: after an import of sales or customers, so
 * that the customers list, its tier filter and the upcoming reorders read them before the first
 * recommendation run (a run stores its own, as of its date).
 */
export async function refreshSegments(db: Db, tenantId: string): Promise<void> {
  const [latest] = await queryRows<{ day: string | null }>(
    db,
    sql`select max(order_date)::text as day from orders where tenant_id = ${tenantId}::uuid`,
  );
  if (!latest?.day) return;
  const segments = await segmentCustomers(db, tenantId, latest.day);
  await db.transaction((tx) => storeSegments(tx, tenantId, segments));
}
