import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import { AppError, refusalReason, tiers } from "@crm-reco/core";
import { arrayParam, type Db, queryRows } from "../../adapters/db/database.ts";
import { pageWithTotal } from "../../adapters/db/page-with-total.ts";
import { recommendationStatuses } from "../../db/schema/index.ts";
import type { AppEnv } from "../app-env.ts";
import { emitEvent } from "../../webhooks/webhooks.ts";
import { audit } from "../audit.ts";
import { cachedAnswer } from "../cached-answer.ts";
import { requireRole } from "../auth.ts";
import { registerRecommendationContext } from "./recommendation-context.ts";
import {
  CustomerKind,
  errorResponse,
  IdParam,
  json,
  notFound,
  Page,
  Paging,
  refusals,
  security,
  jsonBody,
} from "./shared.ts";
import { CUSTOMER_PHONES, CUSTOMER_TEXT, customerName } from "../../repos/customer-profile.ts";
import { PRODUCT_TEXT } from "../../repos/products.ts";
import { matchesQuery } from "../../repos/text-search.ts";

const Status = z.enum(recommendationStatuses);
export const Recommendation = z
  .object({
    id: z.uuid(),
    customer: z.object({ id: z.uuid(), name: z.string(), code: z.string().nullable() }),
    product: z.object({ id: z.uuid(), sku: z.string(), name: z.string() }),
    algorithm: z.string(),
    rank: z.number().int(),
    score: z.number(),
    confidence: z.number().openapi({ description: "Estimated probability of a purchase, 0-1" }),
    confidenceHorizonDays: z.number().int().openapi({
      description:
        "The purchase the confidence is the probability of is one within this many days (180, fewer when the run's history was under a year)",
    }),
    customerQualityScore: z.number().nullable(),
    explanation: z.object({ fr: z.string(), en: z.string(), fallback: z.boolean() }),
    status: Status,
    rejectReason: z.string().nullable(),
    decidedAt: z.string().nullable(),
    runId: z.uuid(),
    campaignId: z.uuid().nullable(),
    createdAt: z.string(),
    feedback: z.object({ count: z.number().int(), meanRating: z.number().nullable() }),
    emailRefusal: z.string().nullable().openapi({
      description:
        "Why the customer cannot be written to by e-mail (no_email, invalid_email, opted_out, no_consent), or null: the review list says so before the export does",
    }),
  })
  .openapi("Recommendation");

export const RecommendationFilter = z.object({
  status: Status.optional(),
  algorithm: z.string().max(40).optional(),
  minConfidence: z.coerce.number().min(0).max(1).optional(),
  maxConfidence: z.coerce.number().min(0).max(1).optional(),
  customerId: z.uuid().optional(),
  productId: z.uuid().optional(),
  campaignId: z.uuid().optional(),
  customer: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: "Part of the customer's name, company, code or e-mail" }),
  product: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: "Part of the wine's name or SKU" }),
  kind: CustomerKind.optional().openapi({ description: "The customer's kind" }),
  tier: z
    .enum(tiers)
    .optional()
    .openapi({ description: "The customer's RFM tier, as the last recommendation run set it" }),
});

const Sorting = z.object({
  sort: z.enum(["confidence", "customer", "product", "date"]).default("confidence"),
  order: z
    .enum(["asc", "desc"])
    .optional()
    .openapi({ description: "Default: highest confidence and newest first, names A to Z" }),
});

const customerNameSql = customerName("c");

/** The ORDER BY of a sort; ties always end on the review order, then the id, for stable pages. */
function orderBy(s: z.infer<typeof Sorting>): SQL {
  const desc =
    (s.order ?? (s.sort === "confidence" || s.sort === "date" ? "desc" : "asc")) === "desc";
  const dir = desc ? sql`desc` : sql`asc`;
  // The default is exactly the order the review-list indexes (migration 0002) serve.
  if (s.sort === "confidence") return sql`order by r.confidence ${dir}, r.rank, r.id`;
  const first = {
    customer: sql`${customerNameSql} ${dir}`,
    product: sql`p.name ${dir}`,
    date: sql`r.created_at ${dir}`,
  }[s.sort];
  return sql`order by ${first}, r.confidence desc, r.rank, r.id`;
}

/** The WHERE clause of a filter, always within the caller's estate. */
function where(tenantId: string, f: z.infer<typeof RecommendationFilter>): SQL {
  const parts: SQL[] = [sql`r.tenant_id = ${tenantId}::uuid`];
  if (f.status) parts.push(sql`r.status = ${f.status}`);
  if (f.algorithm) parts.push(sql`r.algorithm = ${f.algorithm}`);
  if (f.minConfidence !== undefined) parts.push(sql`r.confidence >= ${f.minConfidence}`);
  if (f.maxConfidence !== undefined) parts.push(sql`r.confidence <= ${f.maxConfidence}`);
  if (f.customerId) parts.push(sql`r.customer_id = ${f.customerId}::uuid`);
  if (f.productId) parts.push(sql`r.product_id = ${f.productId}::uuid`);
  if (f.campaignId) parts.push(sql`r.campaign_id = ${f.campaignId}::uuid`);
  const customer = f.customer ? matchesQuery(f.customer, CUSTOMER_TEXT, CUSTOMER_PHONES) : null;
  if (customer)
    parts.push(sql`exists (select 1 from customers c where c.id = r.customer_id and ${customer})`);
  if (f.kind)
    parts.push(
      sql`exists (select 1 from customers c where c.id = r.customer_id and c.kind = ${f.kind})`,
    );
  if (f.tier)
    parts.push(
      sql`exists (select 1 from customer_segments s where s.customer_id = r.customer_id and s.tier = ${f.tier})`,
    );
  const product = f.product ? matchesQuery(f.product, PRODUCT_TEXT) : null;
  if (product)
    parts.push(sql`exists (select 1 from products p where p.id = r.product_id and ${product})`);
  return sql.join(parts, sql` and `);
}

interface Row {
  id: string;
  customer_id: string;
  customer_name: string;
  customer_code: string | null;
  customer_kind: "private" | "trade" | null;
  customer_email: string | null;
  customer_consent: "opt_in" | "soft_opt_in" | "opt_out" | "unknown";
  product_id: string;
  sku: string;
  product_name: string;
  algorithm: string;
  rank: number;
  score: number;
  confidence: number;
  horizon_days: number;
  customer_quality_score: number | null;
  explanation: { fr: string; en: string; fallback: boolean } | string;
  status: z.infer<typeof Status>;
  reject_reason: string | null;
  decided_at: string | null;
  run_id: string;
  campaign_id: string | null;
  created_at: string;
  feedback_count: number;
  mean_rating: number | null;
}

const select = (condition: SQL, tail: SQL = sql``, extra: SQL = sql``) => sql`
  select ${extra} r.id, r.customer_id, ${customerNameSql} as customer_name,
         c.customer_code, c.kind as customer_kind, c.email as customer_email, c.consent_email as customer_consent,
         r.product_id, p.sku, p.name as product_name, r.algorithm, r.rank, r.score, r.confidence::float8 as confidence,
         coalesce((select (run.metrics->>'horizonDays')::int from recommendation_runs run where run.id = r.run_id), 180) as horizon_days,
         r.customer_quality_score::float8 as customer_quality_score, r.explanation, r.status, r.reject_reason,
         to_char(r.decided_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as decided_at, r.run_id, r.campaign_id,
         to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at,
         (select count(*)::int from feedback f where f.recommendation_id = r.id) as feedback_count,
         (select avg(f.rating)::float8 from feedback f where f.recommendation_id = r.id) as mean_rating
  from recommendations r join customers c on c.id = r.customer_id join products p on p.id = r.product_id
  where ${condition} ${tail}`;

const view = (r: Row): z.infer<typeof Recommendation> => {
  const e = typeof r.explanation === "string" ? JSON.parse(r.explanation) : r.explanation;
  return {
    id: r.id,
    customer: { id: r.customer_id, name: r.customer_name, code: r.customer_code },
    product: { id: r.product_id, sku: r.sku, name: r.product_name },
    algorithm: r.algorithm,
    rank: r.rank,
    score: r.score,
    confidence: r.confidence,
    confidenceHorizonDays: r.horizon_days,
    customerQualityScore: r.customer_quality_score,
    explanation: { fr: e.fr, en: e.en, fallback: Boolean(e.fallback) },
    status: r.status,
    rejectReason: r.reject_reason,
    decidedAt: r.decided_at,
    runId: r.run_id,
    campaignId: r.campaign_id,
    createdAt: r.created_at,
    feedback: { count: r.feedback_count, meanRating: r.mean_rating },
    emailRefusal: refusalReason(
      {
        kind: r.customer_kind,
        consent: r.customer_consent ?? "unknown",
        email: r.customer_email,
        phone: null,
        address: null,
      },
      "email",
    ),
  };
};

export async function findRecommendation(db: Db, tenantId: string, id: string) {
  const [row] = await queryRows<Row>(
    db,
    select(sql`r.tenant_id = ${tenantId}::uuid and r.id = ${id}::uuid`),
  );
  if (!row) throw new AppError("recommendation.not_found", "No such recommendation.");
  return view(row);
}

const list = createRoute({
  method: "get",
  path: "/api/recommendations",
  tags: ["recommendations"],
  summary:
    "Recommendations to review, filtered, sorted (highest confidence first by default) and paged",
  security,
  request: { query: RecommendationFilter.extend(Sorting.shape).extend(Paging.shape) },
  responses: { 200: json(Page(Recommendation), "A page of recommendations"), ...refusals },
  middleware: [cachedAnswer],
});
const detail = createRoute({
  method: "get",
  path: "/api/recommendations/{id}",
  tags: ["recommendations"],
  summary: "One recommendation",
  security,
  request: { params: IdParam },
  responses: { 200: json(Recommendation, "The recommendation"), ...refusals, ...notFound },
  middleware: [cachedAnswer],
});
const Conflict = errorResponse("Already exported or sent to Odoo: it can no longer change");
const approve = createRoute({
  method: "post",
  path: "/api/recommendations/{id}/approve",
  tags: ["recommendations"],
  summary: "Approve (editor)",
  security,
  request: { params: IdParam },
  responses: { 200: json(Recommendation, "Approved"), ...refusals, ...notFound, 409: Conflict },
});
const reject = createRoute({
  method: "post",
  path: "/api/recommendations/{id}/reject",
  tags: ["recommendations"],
  summary: "Reject with a reason (editor); the models will not propose it to this customer again",
  security,
  request: {
    params: IdParam,
    body: jsonBody(z.object({ reason: z.string().trim().min(1).max(500) })),
  },
  responses: { 200: json(Recommendation, "Rejected"), ...refusals, ...notFound, 409: Conflict },
});
const bulk = createRoute({
  method: "post",
  path: "/api/recommendations/bulk",
  tags: ["recommendations"],
  summary:
    "Approve or reject many at once (editor): by ids, or every pending one matching a filter",
  security,
  request: {
    body: jsonBody(
      z
        .object({
          action: z.enum(["approve", "reject"]),
          reason: z.string().trim().min(1).max(500).optional(),
          ids: z.array(z.uuid()).min(1).max(5000).optional(),
          filter: RecommendationFilter.omit({ status: true }).optional(),
        })
        .refine((b) => (b.ids ? !b.filter : Boolean(b.filter)), {
          message: "Give either ids or filter.",
        })
        .refine((b) => b.action === "approve" || Boolean(b.reason), {
          message: "A rejection needs a reason.",
          path: ["reason"],
        }),
    ),
  },
  responses: {
    200: json(z.object({ updated: z.number().int() }), "How many changed"),
    ...refusals,
  },
});
const Feedback = z
  .object({
    rating: z.number().int().min(1).max(5),
    comment: z.string().max(2000).nullable(),
    updatedAt: z.string(),
  })
  .openapi("Feedback");
const putFeedback = createRoute({
  method: "put",
  path: "/api/recommendations/{id}/feedback",
  tags: ["recommendations"],
  summary: "Rate a recommendation 1-5 with a comment (editor; one per user, editable)",
  security,
  request: {
    params: IdParam,
    body: jsonBody(
      z.object({
        rating: z.number().int().min(1).max(5),
        comment: z.string().max(2000).nullable().optional(),
      }),
    ),
  },
  responses: { 200: json(Feedback, "Saved"), ...refusals, ...notFound },
});

async function decide(
  db: Db,
  tenantId: string,
  condition: SQL,
  decision: { status: "approved" | "rejected"; reason: string | null; userId: string | null },
) {
  return queryRows<{ id: string; before: string }>(
    db,
    sql`update recommendations r set status = ${decision.status}, reject_reason = ${decision.reason},
               decided_by = ${decision.userId}::uuid, decided_at = now(), updated_at = now()
        from (select id, status as before from recommendations where tenant_id = ${tenantId}::uuid) b
        where b.id = r.id and ${condition} and r.status <> 'exported'
          and not exists (select 1 from odoo_pushes p where p.tenant_id = r.tenant_id and p.recommendation_id = r.id)
        returning r.id, b.before`,
  );
}

export function registerRecommendations(app: OpenAPIHono<AppEnv>) {
  registerRecommendationContext(app);
  app.openapi(list, async (c) => {
    const actor = c.get("actor");
    const q = c.req.valid("query");
    const db = c.get("services").db.db;
    const condition = where(actor.tenantId, q);
    const { rows, total } = await pageWithTotal<Row>(
      db,
      sql`select count(*)::int from recommendations r where ${condition}`,
      (total) =>
        select(condition, sql`${orderBy(q)} limit ${q.limit} offset ${q.offset}`, sql`${total},`),
    );
    return c.json({ items: rows.map(view), total, limit: q.limit, offset: q.offset }, 200);
  });

  app.openapi(detail, async (c) =>
    c.json(
      await findRecommendation(
        c.get("services").db.db,
        c.get("actor").tenantId,
        c.req.valid("param").id,
      ),
      200,
    ),
  );

  const decideOne = async (
    c: Context<AppEnv>,
    id: string,
    status: "approved" | "rejected",
    reason: string | null,
  ) => {
    const actor = requireRole(c, "editor");
    const db = c.get("services").db.db;
    const current = await findRecommendation(db, actor.tenantId, id);
    if (current.status === "exported")
      throw new AppError(
        "recommendation.conflict",
        "This recommendation was already exported; it can no longer change.",
      );
    // A sales activity in Odoo was made from it: changing it here would leave that task behind.
    const [pushed] = await queryRows(
      db,
      sql`select 1 from odoo_pushes where tenant_id = ${actor.tenantId}::uuid and recommendation_id = ${id}::uuid limit 1`,
    );
    if (pushed)
      throw new AppError(
        "recommendation.conflict",
        "This recommendation was already sent to Odoo as a sales activity; it can no longer change.",
      );
    const changed = await decide(db, actor.tenantId, sql`r.id = ${id}::uuid`, {
      status,
      reason,
      userId: actor.userId,
    });
    await audit(c, db, {
      action: status === "approved" ? "recommendation.approved" : "recommendation.rejected",
      entity: "recommendation",
      entityId: id,
      before: { status: current.status },
      after: { status, reason },
    });
    const after = await findRecommendation(db, actor.tenantId, id);
    // Receivers hear of a change, not of the same decision taken again.
    if (changed.some((r) => r.before !== status))
      await emitEvent(c.get("services"), actor.tenantId, `recommendation.${status}`, {
        ids: [id],
        ...(status === "rejected" ? { reason } : {}),
        recommendations: [after],
      });
    return after;
  };
  app.openapi(approve, async (c) =>
    c.json(await decideOne(c, c.req.valid("param").id, "approved", null), 200),
  );
  app.openapi(reject, async (c) =>
    c.json(
      await decideOne(c, c.req.valid("param").id, "rejected", c.req.valid("json").reason),
      200,
    ),
  );

  app.openapi(bulk, async (c) => {
    const actor = requireRole(c, "editor");
    const body = c.req.valid("json");
    const db = c.get("services").db.db;
    const condition = body.ids
      ? sql`r.id = any(${arrayParam(body.ids, "uuid")})`
      : sql`${where(actor.tenantId, body.filter!)} and r.status = 'pending'`;
    const status = body.action === "approve" ? "approved" : "rejected";
    const changed = await decide(db, actor.tenantId, condition, {
      status,
      reason: body.reason ?? null,
      userId: actor.userId,
    });
    await audit(c, db, {
      action: `recommendation.bulk_${status}`,
      entity: "recommendation",
      before: { ids: changed.map((r) => r.id) },
      after: { status, reason: body.reason ?? null },
    });
    const decided = changed.filter((r) => r.before !== status);
    if (decided.length > 0)
      await emitEvent(c.get("services"), actor.tenantId, `recommendation.${status}`, {
        ids: decided.map((r) => r.id),
        ...(status === "rejected" ? { reason: body.reason ?? null } : {}),
      });
    return c.json({ updated: changed.length }, 200);
  });

  app.openapi(putFeedback, async (c) => {
    const actor = requireRole(c, "editor");
    if (!actor.userId)
      throw new AppError(
        "feedback.forbidden",
        "Feedback is given by a signed-in person, not an API key.",
      );
    const db = c.get("services").db.db;
    const { id } = c.req.valid("param");
    await findRecommendation(db, actor.tenantId, id);
    const body = c.req.valid("json");
    const [row] = await queryRows<{ rating: number; comment: string | null; updated_at: string }>(
      db,
      sql`insert into feedback (tenant_id, recommendation_id, user_id, rating, comment)
          values (${actor.tenantId}::uuid, ${id}::uuid, ${actor.userId}::uuid, ${body.rating}, ${body.comment ?? null})
          on conflict (recommendation_id, user_id) do update set rating = excluded.rating, comment = excluded.comment, updated_at = now()
          returning rating, comment, to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as updated_at`,
    );
    await audit(c, db, {
      action: "feedback.saved",
      entity: "recommendation",
      entityId: id,
      after: body,
    });
    return c.json({ rating: row!.rating, comment: row!.comment, updatedAt: row!.updated_at }, 200);
  });
}
