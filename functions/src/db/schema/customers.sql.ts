import {
  type AnyPgColumn,
  check,
  date,
  index,
  integer,
  pgTable,
  real,
  jsonb,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { at, id, timestamps } from "./columns.ts";
import { sources } from "./sources.sql.ts";
import { tenantIdColumn as tenantId, users } from "./tenancy.sql.ts";

/**
 * Consent per channel. B2C needs an opt-in (or a soft opt-in for existing customers on email);
 * B2B is opt-out. `unknown` is never treated as consent for a private customer.
 */
export const consentStatuses = ["opt_in", "soft_opt_in", "opt_out", "unknown"] as const;
const consentColumn = (name: string) =>
  text(name, { enum: consentStatuses }).notNull().default("unknown");

export const customers = pgTable(
  "customers",
  {
    id: id(),
    tenantId: tenantId(),
    /** The estate's own customer code when a source provides it (e.g. iSaVigne's N° client). */
    customerCode: text("customer_code"),
    civility: text("civility"),
    firstName: text("first_name"),
    lastName: text("last_name"),
    company: text("company"),
    email: text("email"),
    /** The number to call: the landline, else the mobile. */
    phone: text("phone"),
    /** The mobile as the source gave it, beside a landline (text messages, a salesperson's call). */
    mobile: text("mobile"),
    addressLine1: text("address_line1"),
    addressLine2: text("address_line2"),
    postalCode: text("postal_code"),
    city: text("city"),
    country: text("country"),
    kind: text("kind", { enum: ["private", "trade"] })
      .notNull()
      .default("private"),
    tradeType: text("trade_type", { enum: ["wine_shop", "restaurant", "importer", "other"] }),
    language: text("language"),
    consentEmail: consentColumn("consent_email"),
    consentEmailAt: at("consent_email_at"),
    consentEmailSource: text("consent_email_source"),
    consentPost: consentColumn("consent_post"),
    consentPostAt: at("consent_post_at"),
    consentPostSource: text("consent_post_source"),
    consentPhone: consentColumn("consent_phone"),
    consentPhoneAt: at("consent_phone_at"),
    consentPhoneSource: text("consent_phone_source"),
    qualityScore: real("quality_score"),
    /** Set when this record was merged into another; the survivor holds the identities. */
    mergedInto: uuid("merged_into").references((): AnyPgColumn => customers.id, {
      onDelete: "set null",
    }),
    /** GDPR erasure: personal fields are cleared, the row stays for anonymous order statistics. */
    erasedAt: at("erased_at"),
    ...timestamps(),
  },
  (t) => [
    index("customers_tenant_email_idx").on(t.tenantId, t.email),
    index("customers_tenant_postal_idx").on(t.tenantId, t.postalCode),
    index("customers_tenant_code_idx").on(t.tenantId, t.customerCode),
  ],
);

/** (source, external id) → customer: one person seen in iSaVigne and in Odoo is one customer. */
export const customerIdentities = pgTable(
  "customer_identities",
  {
    id: id(),
    tenantId: tenantId(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    sourceId: uuid("source_id")
      .notNull()
      .references(() => sources.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    /** The record as the source last gave it, normalised: provenance for merges and undo. */
    attributes: jsonb("attributes").notNull().default({}),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("customer_identities_source_external_uq").on(t.tenantId, t.sourceId, t.externalId),
    index("customer_identities_customer_idx").on(t.customerId),
  ],
);

/** Pairs the identity resolver was unsure about, waiting for a person's decision. */
export const mergeCandidates = pgTable(
  "merge_candidates",
  {
    id: id(),
    tenantId: tenantId(),
    customerA: uuid("customer_a")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    customerB: uuid("customer_b")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    score: real("score").notNull(),
    reasons: jsonb("reasons").notNull().default([]),
    status: text("status", { enum: ["pending", "accepted", "rejected"] })
      .notNull()
      .default("pending"),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: at("decided_at"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("merge_candidates_pair_uq").on(t.tenantId, t.customerA, t.customerB),
    check("merge_candidates_ordered_pair", sql`${t.customerA} < ${t.customerB}`),
  ],
);

/** Every merge done, automatic or reviewed, with what is needed to undo it. */
export const customerMerges = pgTable(
  "customer_merges",
  {
    id: id(),
    tenantId: tenantId(),
    survivorId: uuid("survivor_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    mergedId: uuid("merged_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    method: text("method", { enum: ["exact", "probabilistic", "manual"] }).notNull(),
    score: real("score"),
    /** The merged record and moved identities/orders as they were, for undo. */
    snapshot: jsonb("snapshot").notNull(),
    mergedBy: uuid("merged_by").references(() => users.id, { onDelete: "set null" }),
    undoneAt: at("undone_at"),
    ...timestamps(),
  },
  (t) => [index("customer_merges_survivor_idx").on(t.tenantId, t.survivorId)],
);

/** RFM scores, tier and reorder rhythm, recomputed with each recommendation run. */
export const customerSegments = pgTable(
  "customer_segments",
  {
    customerId: uuid("customer_id")
      .primaryKey()
      .references(() => customers.id, { onDelete: "cascade" }),
    tenantId: tenantId(),
    recency: integer("recency").notNull(),
    frequency: integer("frequency").notNull(),
    monetary: integer("monetary").notNull(),
    tier: text("tier", {
      enum: ["champions", "loyal", "promising", "new", "at_risk", "dormant", "occasional"],
    }).notNull(),
    reorderIntervalDays: integer("reorder_interval_days"),
    expectedNextOrderOn: date("expected_next_order_on", { mode: "string" }),
    lastOrderOn: date("last_order_on", { mode: "string" }),
    ...timestamps(),
  },
  (t) => [index("customer_segments_tenant_tier_idx").on(t.tenantId, t.tier)],
);

/** Contacts made (exports, pushes to Odoo): the minimum gap between two campaigns uses them. */
export const contacts = pgTable(
  "contacts",
  {
    id: id(),
    tenantId: tenantId(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    channel: text("channel", { enum: ["email", "post", "phone", "odoo_activity"] }).notNull(),
    campaign: text("campaign"),
    contactedAt: at("contacted_at").notNull(),
    ...timestamps(),
  },
  (t) => [index("contacts_customer_idx").on(t.tenantId, t.customerId, t.contactedAt)],
);
