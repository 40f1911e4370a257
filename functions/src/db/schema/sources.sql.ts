import {
  index,
  unique,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { at, id, timestamps } from "./columns.ts";
import { tenantIdColumn as tenantId, users } from "./tenancy.sql.ts";

export const entities = ["customers", "products", "order_lines"] as const;

/** Where data comes from: a family of file exports (iSaVigne, Odoo CSV) or a live Odoo. */
export const sources = pgTable(
  "sources",
  {
    id: id(),
    tenantId: tenantId(),
    name: text("name").notNull(),
    kind: text("kind", { enum: ["file", "odoo"] }).notNull(),
    /** Non-secret settings: Odoo URL and database, default encoding/delimiter for files… */
    config: jsonb("config").notNull().default({}),
    /** Odoo API key or password, AES-256-GCM encrypted; never returned by the API. */
    credentialsEncrypted: text("credentials_encrypted"),
    /** Cron expression for scheduled syncs; null means manual only. */
    schedule: text("schedule"),
    /** Incremental-sync position per model (e.g. last write_date seen), advanced after commit. */
    cursor: jsonb("cursor").notNull().default({}),
    ...timestamps(),
  },
  (t) => [uniqueIndex("sources_tenant_name_uq").on(t.tenantId, t.name)],
);

/** How one source's columns map to canonical fields; a new version on every change. */
export const mappings = pgTable(
  "mappings",
  {
    id: id(),
    tenantId: tenantId(),
    sourceId: uuid("source_id")
      .notNull()
      .references(() => sources.id, { onDelete: "cascade" }),
    entity: text("entity", { enum: entities }).notNull(),
    version: integer("version").notNull(),
    /** Normalised header names, sorted and joined: the next export of the same shape reuses it. */
    headerSignature: text("header_signature").notNull(),
    fields: jsonb("fields").notNull(),
    qualityScore: real("quality_score"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("mappings_source_entity_version_uq").on(
      t.tenantId,
      t.sourceId,
      t.entity,
      t.version,
    ),
    index("mappings_signature_idx").on(t.tenantId, t.sourceId, t.headerSignature),
  ],
);

/** One import of a file or one Odoo sync: who, when, what was read and what became of it. */
export const syncRuns = pgTable(
  "sync_runs",
  {
    id: id(),
    tenantId: tenantId(),
    sourceId: uuid("source_id")
      .notNull()
      .references(() => sources.id, { onDelete: "cascade" }),
    mappingId: uuid("mapping_id").references(() => mappings.id, { onDelete: "set null" }),
    entity: text("entity", { enum: entities }),
    trigger: text("trigger", {
      enum: ["upload", "manual", "schedule", "cli", "api", "demo"],
    }).notNull(),
    triggeredBy: uuid("triggered_by").references(() => users.id, { onDelete: "set null" }),
    fileName: text("file_name"),
    fileChecksum: text("file_checksum"),
    encoding: text("encoding"),
    delimiter: text("delimiter"),
    status: text("status", {
      enum: ["queued", "running", "succeeded", "partial", "failed"],
    }).notNull(),
    rowsRead: integer("rows_read").notNull().default(0),
    rowsInserted: integer("rows_inserted").notNull().default(0),
    rowsUpdated: integer("rows_updated").notNull().default(0),
    rowsUnchanged: integer("rows_unchanged").notNull().default(0),
    rowsRejected: integer("rows_rejected").notNull().default(0),
    /** Resume point of a crashed or chunked run (last committed line or cursor). */
    progress: jsonb("progress").notNull().default({}),
    qualityScore: real("quality_score"),
    startedAt: at("started_at").notNull().defaultNow(),
    finishedAt: at("finished_at"),
    durationMs: integer("duration_ms"),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    ...timestamps(),
  },
  (t) => [index("sync_runs_source_started_idx").on(t.tenantId, t.sourceId, t.startedAt)],
);

/** A row that could not be imported, with why: nothing read is ever dropped silently. */
export const rejectedRows = pgTable(
  "rejected_rows",
  {
    id: id(),
    tenantId: tenantId(),
    syncRunId: uuid("sync_run_id")
      .notNull()
      .references(() => syncRuns.id, { onDelete: "cascade" }),
    lineNumber: integer("line_number").notNull(),
    raw: text("raw").notNull(),
    /** [{ field, code, message }] */
    reasons: jsonb("reasons").notNull(),
    ...timestamps(),
  },
  // Unique per line so that a resumed run re-recording a line changes nothing.
  (t) => [uniqueIndex("rejected_rows_run_line_uq").on(t.syncRunId, t.lineNumber)],
);

export const anomalies = pgTable(
  "anomalies",
  {
    id: id(),
    tenantId: tenantId(),
    sourceId: uuid("source_id").references(() => sources.id, { onDelete: "cascade" }),
    syncRunId: uuid("sync_run_id").references(() => syncRuns.id, { onDelete: "set null" }),
    entity: text("entity", { enum: entities }),
    /** Natural key of the record concerned (external id, sku, document number). */
    recordKey: text("record_key"),
    lineNumber: integer("line_number"),
    field: text("field"),
    code: text("code").notNull(),
    severity: text("severity", { enum: ["critical", "high", "medium", "low"] }).notNull(),
    details: jsonb("details").notNull().default({}),
    status: text("status", { enum: ["open", "resolved", "ignored"] })
      .notNull()
      .default("open"),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: at("decided_at"),
    ...timestamps(),
  },
  (t) => [
    index("anomalies_tenant_status_idx").on(t.tenantId, t.status, t.severity),
    // One open anomaly per record, field and code: re-importing does not pile up duplicates.
    unique("anomalies_identity_uq")
      .on(t.tenantId, t.sourceId, t.entity, t.recordKey, t.field, t.code)
      .nullsNotDistinct(),
  ],
);

/** Background work and its outcome, whatever queue carried it (inline, pg-boss, SQS). */
export const jobs = pgTable(
  "jobs",
  {
    id: id(),
    tenantId: tenantId(),
    kind: text("kind", { enum: ["import", "sync", "regenerate", "webhook"] }).notNull(),
    /** Natural idempotency key (e.g. bucket+key+etag of an upload); a second enqueue is a no-op. */
    dedupeKey: text("dedupe_key"),
    payload: jsonb("payload").notNull().default({}),
    status: text("status", { enum: ["queued", "running", "succeeded", "failed", "dead"] })
      .notNull()
      .default("queued"),
    attempts: integer("attempts").notNull().default(0),
    /** Progress while running (e.g. { done, total }) and the outcome once finished. */
    progress: jsonb("progress").notNull().default({}),
    result: jsonb("result"),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    startedAt: at("started_at"),
    finishedAt: at("finished_at"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("jobs_dedupe_uq").on(t.tenantId, t.kind, t.dedupeKey),
    index("jobs_tenant_status_idx").on(t.tenantId, t.status),
  ],
);

/**
 * An approved recommendation written to Odoo as an activity on the partner: once per
 * recommendation and source, whatever happens to the push that wrote it.
 */
export const odooPushes = pgTable(
  "odoo_pushes",
  {
    id: id(),
    tenantId: tenantId(),
    sourceId: uuid("source_id")
      .notNull()
      .references(() => sources.id, { onDelete: "cascade" }),
    recommendationId: uuid("recommendation_id").notNull(),
    /** The `mail.activity` id in Odoo. */
    odooActivityId: integer("odoo_activity_id").notNull(),
    odooPartnerId: integer("odoo_partner_id").notNull(),
    pushedBy: uuid("pushed_by").references(() => users.id, { onDelete: "set null" }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("odoo_pushes_recommendation_uq").on(t.tenantId, t.sourceId, t.recommendationId),
  ],
);
