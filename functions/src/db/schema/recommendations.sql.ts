import {
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  smallint,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { at, id, timestamps } from "./columns.ts";
import { products } from "./catalog.sql.ts";
import { customers } from "./customers.sql.ts";
import { tenantIdColumn as tenantId, users } from "./tenancy.sql.ts";

/** A named campaign (Christmas, spring trade visits…) with its own rules (K, windows, gap). */
export const campaigns = pgTable(
  "campaigns",
  {
    id: id(),
    tenantId: tenantId(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    rules: jsonb("rules").notNull().default({}),
    ...timestamps(),
  },
  (t) => [uniqueIndex("campaigns_tenant_slug_uq").on(t.tenantId, t.slug)],
);

export const recommendationRuns = pgTable(
  "recommendation_runs",
  {
    id: id(),
    tenantId: tenantId(),
    campaignId: uuid("campaign_id").references(() => campaigns.id, { onDelete: "set null" }),
    algorithm: text("algorithm").notNull(),
    parameters: jsonb("parameters").notNull().default({}),
    /** What the run saw: counts of customers, products, order lines, and the as-of date. */
    dataSnapshot: jsonb("data_snapshot").notNull().default({}),
    /** Offline evaluation measured on this tenant's own history (never claimed). */
    metrics: jsonb("metrics"),
    status: text("status", { enum: ["running", "succeeded", "failed"] }).notNull(),
    startedAt: at("started_at").notNull().defaultNow(),
    finishedAt: at("finished_at"),
    durationMs: integer("duration_ms"),
    errorMessage: text("error_message"),
    ...timestamps(),
  },
  (t) => [index("recommendation_runs_tenant_started_idx").on(t.tenantId, t.startedAt)],
);

export const recommendationStatuses = ["pending", "approved", "rejected", "exported"] as const;

export const recommendations = pgTable(
  "recommendations",
  {
    id: id(),
    tenantId: tenantId(),
    runId: uuid("run_id")
      .notNull()
      .references(() => recommendationRuns.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id").references(() => campaigns.id, { onDelete: "set null" }),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    algorithm: text("algorithm").notNull(),
    score: doublePrecision("score").notNull(),
    confidence: real("confidence").notNull(),
    /** The customer record's data-quality score (0-100) when the recommendation was made. */
    customerQualityScore: real("customer_quality_score"),
    rank: integer("rank").notNull(),
    /** { fr, en } sentences plus the structured reasons they were made from. */
    explanation: jsonb("explanation").notNull(),
    status: text("status", { enum: recommendationStatuses }).notNull().default("pending"),
    rejectReason: text("reject_reason"),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: at("decided_at"),
    exportedAt: at("exported_at"),
    ...timestamps(),
  },
  (t) => [
    // One live recommendation per campaign, customer and product; regeneration upserts on it.
    unique("recommendations_campaign_customer_product_uq")
      .on(t.tenantId, t.campaignId, t.customerId, t.productId)
      .nullsNotDistinct(),
    index("recommendations_tenant_status_idx").on(t.tenantId, t.status, t.confidence),
    // The review list's order (most confident first), with and without a status filter: a page
    // is read from the index instead of sorting every recommendation (docs/benchmarks.md).
    index("recommendations_review_order_idx").on(
      t.tenantId,
      t.status,
      t.confidence.desc().nullsFirst(),
      t.rank,
      t.id,
    ),
    index("recommendations_all_order_idx").on(
      t.tenantId,
      t.confidence.desc().nullsFirst(),
      t.rank,
      t.id,
    ),
    index("recommendations_customer_idx").on(t.tenantId, t.customerId),
    // A wine's recommendations by status (the wines list counts them for each wine on a page):
    // without it, each count read every pending recommendation of the estate (33 s for a page of
    // a 4,000-product catalogue with 217,600 pending).
    index("recommendations_product_idx").on(t.tenantId, t.productId, t.status),
  ],
);

export const feedback = pgTable(
  "feedback",
  {
    id: id(),
    tenantId: tenantId(),
    recommendationId: uuid("recommendation_id")
      .notNull()
      .references(() => recommendations.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    rating: smallint("rating").notNull(),
    comment: text("comment"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("feedback_recommendation_user_uq").on(t.recommendationId, t.userId),
    check("feedback_rating_range", sql`${t.rating} between 1 and 5`),
  ],
);
