import { sql } from "drizzle-orm";
import { AppError } from "@crm-reco/core";
import { type Db, queryRows } from "../adapters/db/database.ts";
import { customerName } from "../repos/customer-profile.ts";

const nameSql = customerName("c");
const iso = (column: ReturnType<typeof sql.raw>) =>
  sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

export interface RecommendationContext {
  customer: {
    id: string;
    name: string;
    code: string | null;
    kind: "private" | "trade" | null;
    tier: string | null;
    qualityScore: number | null;
    lastOrderOn: string | null;
    orders: number;
  };
  purchases: Array<{
    orderDate: string;
    documentNumber: string | null;
    sku: string | null;
    product: string | null;
    quantity: number;
    total: number | null;
  }>;
  candidates: Array<{
    id: string;
    product: { id: string; sku: string; name: string };
    algorithm: string;
    rank: number;
    confidence: number;
    status: string;
  }>;
  feedback: Array<{
    by: string | null;
    rating: number;
    comment: string | null;
    createdAt: string;
    updatedAt: string;
  }>;
}

/**
 * What a reviewer needs around one recommendation: the customer (segment, current data quality),
 * their most recent purchase lines (at most `purchaseLimit`), the other wines proposed to them
 * (any status, best rank first) and every rating given to this recommendation, newest first.
 */
export async function loadRecommendationContext(
  db: Db,
  tenantId: string,
  id: string,
  purchaseLimit = 20,
): Promise<RecommendationContext> {
  const [customer] = await queryRows<{
    id: string;
    name: string;
    code: string | null;
    kind: "private" | "trade" | null;
    tier: string | null;
    quality_score: number | null;
    last_order_on: string | null;
    orders: number;
  }>(
    db,
    sql`select c.id, ${nameSql} as name, c.customer_code as code, c.kind, s.tier, c.quality_score::float8 as quality_score,
               s.last_order_on::text as last_order_on,
               (select count(*)::int from orders o where o.customer_id = c.id and o.tenant_id = c.tenant_id) as orders
        from recommendations r join customers c on c.id = r.customer_id
        left join customer_segments s on s.customer_id = c.id
        where r.tenant_id = ${tenantId}::uuid and r.id = ${id}::uuid`,
  );
  if (!customer) throw new AppError("recommendation.not_found", "No such recommendation.");
  const purchases = await queryRows<{
    order_date: string;
    document_number: string | null;
    sku: string | null;
    product: string | null;
    quantity: number;
    total: number | null;
  }>(
    db,
    sql`select o.order_date::text as order_date, o.document_number, p.sku, coalesce(p.name, l.line_key) as product,
               l.quantity::float8 as quantity, l.total::float8 as total
        from order_lines l join orders o on o.id = l.order_id left join products p on p.id = l.product_id
        where o.customer_id = ${customer.id}::uuid and o.tenant_id = ${tenantId}::uuid
        order by o.order_date desc, o.document_number, l.id limit ${purchaseLimit}`,
  );
  const candidates = await queryRows<{
    id: string;
    product_id: string;
    sku: string;
    name: string;
    algorithm: string;
    rank: number;
    confidence: number;
    status: string;
  }>(
    db,
    sql`select r.id, p.id as product_id, p.sku, p.name, r.algorithm, r.rank, r.confidence::float8 as confidence, r.status
        from recommendations r join products p on p.id = r.product_id
        where r.tenant_id = ${tenantId}::uuid and r.customer_id = ${customer.id}::uuid and r.id <> ${id}::uuid
        order by r.rank, r.confidence desc, r.id limit 50`,
  );
  const feedback = await queryRows<{
    by: string | null;
    rating: number;
    comment: string | null;
    created_at: string;
    updated_at: string;
  }>(
    db,
    sql`select u.email as by, f.rating, f.comment, ${iso(sql.raw("f.created_at"))} as created_at,
               ${iso(sql.raw("f.updated_at"))} as updated_at
        from feedback f left join users u on u.id = f.user_id
        where f.tenant_id = ${tenantId}::uuid and f.recommendation_id = ${id}::uuid
        order by f.updated_at desc, f.id`,
  );
  return {
    customer: {
      id: customer.id,
      name: customer.name,
      code: customer.code,
      kind: customer.kind,
      tier: customer.tier,
      qualityScore: customer.quality_score,
      lastOrderOn: customer.last_order_on,
      orders: customer.orders,
    },
    purchases: purchases.map((p) => ({
      orderDate: p.order_date,
      documentNumber: p.document_number,
      sku: p.sku,
      product: p.product,
      quantity: p.quantity,
      total: p.total,
    })),
    candidates: candidates.map((c) => ({
      id: c.id,
      product: { id: c.product_id, sku: c.sku, name: c.name },
      algorithm: c.algorithm,
      rank: c.rank,
      confidence: c.confidence,
      status: c.status,
    })),
    feedback: feedback.map((f) => ({
      by: f.by,
      rating: f.rating,
      comment: f.comment,
      createdAt: f.created_at,
      updatedAt: f.updated_at,
    })),
  };
}

/** The values the review list can be filtered by: the algorithms and campaigns in use. */
export async function loadRecommendationFacets(db: Db, tenantId: string) {
  const algorithms = await queryRows<{ algorithm: string }>(
    db,
    sql`select distinct algorithm from recommendations where tenant_id = ${tenantId}::uuid order by algorithm`,
  );
  const campaigns = await queryRows<{ id: string; name: string }>(
    db,
    // Only campaigns holding recommendations: the estate-wide rules' own campaign holds none.
    sql`select c.id, c.name from campaigns c where c.tenant_id = ${tenantId}::uuid
          and exists (select 1 from recommendations r where r.tenant_id = c.tenant_id and r.campaign_id = c.id)
        order by c.name, c.id`,
  );
  return { algorithms: algorithms.map((a) => a.algorithm), campaigns };
}
