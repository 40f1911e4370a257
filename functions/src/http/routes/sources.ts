import { createHash, randomUUID } from "node:crypto";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { bodyLimit } from "hono/body-limit";
import {
  anomalyGroupLabel,
  AppError,
  headerSignature,
  importEntities,
  isAppError,
  type Mapping,
  safeCsvCell,
  sniffFileKind,
  suggestMapping,
  type TableRow,
} from "@crm-reco/core";
import { queryRows } from "../../adapters/db/database.ts";
import { pageWithTotal } from "../../adapters/db/page-with-total.ts";
import { findMappingForHeaders } from "../../repos/mappings.ts";
import { enqueueJob, getJob } from "../../jobs/job-records.ts";
import type { ImportPayload, SyncPayload } from "../../jobs/workers.ts";
import { connectionOfSource, sealSecret } from "../../odoo/odoo-source.ts";
import { previewOdooSource } from "../../odoo/preview-odoo.ts";
import { testOdooConnection } from "../../odoo/test-odoo-connection.ts";
import { createSource, getSource, setSourceSecret, type Source } from "../../repos/sources.ts";
import { prepareOdooSource, preferredLanguage, publicConfigOf } from "./odoo-sources.ts";
import type { AppEnv } from "../app-env.ts";
import { loadCsvWriter, loadPipeline } from "../../on-demand.ts";
import { audit } from "../audit.ts";
import { requireRole } from "../auth.ts";
import { Job, jobView } from "./jobs.ts";
import {
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

/** The largest file the multipart endpoint takes (an estate's full history is a few MB). */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
const UPLOAD_TYPES = [
  "text/csv",
  "text/plain",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.ms-excel",
  "application/octet-stream",
] as const;

const Entity = z.enum(importEntities);
const Run = z
  .object({
    id: z.uuid(),
    entity: z.string().nullable(),
    trigger: z.string(),
    fileName: z.string().nullable(),
    status: z.string(),
    rowsRead: z.number().int(),
    rowsInserted: z.number().int(),
    rowsUpdated: z.number().int(),
    rowsUnchanged: z.number().int(),
    rowsRejected: z.number().int(),
    qualityScore: z.number().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    errorMessage: z.string().nullable(),
    errorCode: z.string().nullable(),
  })
  .openapi("SyncRun");
const SourceView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(["file", "odoo"]),
    schedule: z.string().nullable(),
    /** Settings without secrets: Odoo URL, database, login, protocol, and the key's last characters. */
    config: z.record(z.string(), z.unknown()),
    hasSecret: z.boolean(),
    createdAt: z.string(),
    lastRun: Run.nullable(),
  })
  .openapi("Source");

const runColumns = sql`r.id, r.entity, r.trigger, r.file_name, r.status, r.rows_read, r.rows_inserted, r.rows_updated,
  r.rows_unchanged, r.rows_rejected, r.quality_score::float8 as quality_score,
  to_char(r.started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as started_at,
  to_char(r.finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as finished_at, r.duration_ms, r.error_message, r.error_code`;
type RunRow = Record<string, unknown>;
const runView = (r: RunRow): z.infer<typeof Run> => ({
  id: r.id as string,
  entity: (r.entity as string | null) ?? null,
  trigger: r.trigger as string,
  fileName: (r.file_name as string | null) ?? null,
  status: r.status as string,
  rowsRead: r.rows_read as number,
  rowsInserted: r.rows_inserted as number,
  rowsUpdated: r.rows_updated as number,
  rowsUnchanged: r.rows_unchanged as number,
  rowsRejected: r.rows_rejected as number,
  qualityScore: (r.quality_score as number | null) ?? null,
  startedAt: r.started_at as string,
  finishedAt: (r.finished_at as string | null) ?? null,
  durationMs: (r.duration_ms as number | null) ?? null,
  errorMessage: (r.error_message as string | null) ?? null,
  errorCode: (r.error_code as string | null) ?? null,
});

const list = createRoute({
  method: "get",
  path: "/api/sources",
  tags: ["sources"],
  summary: "Data sources with their last run",
  security,
  responses: { 200: json(z.object({ items: z.array(SourceView) }), "Sources"), ...refusals },
});
const register = createRoute({
  method: "post",
  path: "/api/sources",
  tags: ["sources"],
  summary: "Register a file source or an Odoo source (admin)",
  security,
  request: {
    body: jsonBody(
      z.object({
        name: z.string().trim().min(1).max(100),
        kind: z.enum(["file", "odoo"]),
        config: z
          .record(z.string(), z.unknown())
          .default({})
          .openapi({
            example: {
              url: "https://estate.odoo.com",
              database: "estate",
              login: "bot@estate.fr",
            },
          }),
        /** Odoo API key (or password, legacy API only): stored encrypted, never returned. */
        secret: z.string().min(1).max(500).optional(),
        schedule: z.string().max(100).nullable().default(null),
      }),
    ),
  },
  responses: {
    201: json(SourceView, "Registered"),
    409: errorResponse("A source of that name exists"),
    ...refusals,
  },
});
const detail = createRoute({
  method: "get",
  path: "/api/sources/{id}",
  tags: ["sources"],
  summary: "One source",
  security,
  request: { params: IdParam },
  responses: { 200: json(SourceView, "The source"), ...refusals, ...notFound },
});
const runs = createRoute({
  method: "get",
  path: "/api/sources/{id}/runs",
  tags: ["sources"],
  summary: "Sync history of a source, newest first",
  security,
  request: { params: IdParam, query: Paging },
  responses: { 200: json(Page(Run), "Runs"), ...refusals, ...notFound },
});
const Metrics = z
  .object({
    runs: z.number().int(),
    byStatus: z.record(z.string(), z.number().int()),
    rowsRead: z.number().int(),
    rowsRejected: z.number().int(),
    lastQualityScore: z.number().nullable(),
    openAnomalies: z.record(z.string(), z.number().int()),
  })
  .openapi("SourceMetrics");
const metrics = createRoute({
  method: "get",
  path: "/api/sources/{id}/metrics",
  tags: ["sources"],
  summary: "Runs by status, rows read and rejected, quality score, open anomalies",
  security,
  request: { params: IdParam },
  responses: { 200: json(Metrics, "Metrics"), ...refusals, ...notFound },
});
const Rejected = z
  .object({
    lineNumber: z.number().int(),
    raw: z.string(),
    reasons: z.array(
      z.object({
        field: z.string().nullable().optional(),
        code: z.string(),
        message: z.string(),
        messageFr: z
          .string()
          .optional()
          .openapi({ description: "The same in French (rows rejected since 2026-12-04)" }),
      }),
    ),
  })
  .openapi("RejectedRow");
const rejected = createRoute({
  method: "get",
  path: "/api/runs/{id}/rejected-rows",
  tags: ["sources"],
  summary: "Rows a run rejected, with why (JSON pages, or ?format=csv for all of them)",
  security,
  request: {
    params: IdParam,
    query: Paging.extend({
      format: z.enum(["json", "csv"]).default("json"),
      lang: z
        .enum(["fr", "en"])
        .default("en")
        .openapi({ description: "The CSV's language (its headers and reasons)" }),
    }),
  },
  responses: {
    200: {
      description: "A page of rejected rows, or every one as CSV",
      content: {
        "application/json": { schema: Page(Rejected) },
        "text/csv": { schema: z.string() },
      },
    },
    ...refusals,
    ...notFound,
  },
});
const createUpload = createRoute({
  method: "post",
  path: "/api/uploads",
  tags: ["sources"],
  summary:
    "Where to send a file to import (here: the multipart endpoint of the source; on AWS a presigned S3 URL)",
  security,
  request: {
    body: jsonBody(
      z.object({
        sourceId: z.uuid(),
        entity: Entity,
        fileName: z.string().min(1).max(255),
        /** Needed on AWS, where the URL is signed for this type and size. */
        contentType: z.enum(UPLOAD_TYPES).default("text/csv"),
        sizeBytes: z.number().int().min(1).max(MAX_UPLOAD_BYTES).optional(),
      }),
    ),
  },
  responses: {
    200: json(
      z.union([
        z.object({
          method: z.literal("POST"),
          url: z.string(),
          encoding: z.literal("multipart/form-data"),
          fields: z.record(z.string(), z.string()),
          fileField: z.string(),
          maxBytes: z.number().int(),
        }),
        z.object({
          method: z.literal("PUT"),
          url: z.string(),
          headers: z.record(z.string(), z.string()),
          key: z.string(),
          expiresAt: z.string(),
          maxBytes: z.number().int(),
        }),
      ]),
      "Send the file there: a multipart POST to the API, or (AWS) a PUT of the bytes to the presigned URL",
    ),
    ...refusals,
    ...notFound,
  },
});
const uploadJob = createRoute({
  method: "get",
  path: "/api/uploads/job",
  tags: ["sources"],
  summary:
    "The import job of a file sent straight to storage (AWS): 404 until the storage has announced it, then the job to follow",
  security,
  request: { query: z.object({ key: z.string().min(1).max(1024) }) },
  responses: { 200: json(Job, "The import job"), ...refusals, ...notFound },
});
const upload = createRoute({
  method: "post",
  path: "/api/sources/{id}/files",
  tags: ["sources"],
  summary:
    "Upload a CSV or Excel export (multipart, field `file`, with `entity`): queued for import (editor)",
  security,
  request: {
    params: IdParam,
    // Not `required`: the validator would read the whole file into memory; the handler streams
    // the multipart body and answers 400 itself when a part is missing.
    body: {
      content: {
        "multipart/form-data": {
          schema: z.object({
            file: z.any().openapi({ type: "string", format: "binary" }),
            entity: Entity,
          }),
        },
      },
    },
  },
  responses: {
    202: json(Job, "Queued: follow the job"),
    413: errorResponse("Larger than the limit"),
    415: errorResponse("Not a CSV, text or Excel file"),
    ...refusals,
    ...notFound,
  },
});
const syncNow = createRoute({
  method: "post",
  path: "/api/sources/{id}/sync",
  tags: ["sources"],
  summary:
    "Sync now: an Odoo source syncs what changed (or everything with full=true); a file source imports its latest file again (editor)",
  security,
  request: {
    params: IdParam,
    body: {
      required: true, // `full` has a default: no body is read as `{}`
      content: { "application/json": { schema: z.object({ full: z.boolean().default(false) }) } },
    },
  },
  responses: { 202: json(Job, "Queued"), ...refusals, ...notFound },
});

/**
 * The source's most recent file, of one entity when given (what preview and test read): the
 * newest upload's job, or a newer import run of a file kept under the uploads' key layout (the
 * CLI and the demo estate import without a job).
 */
async function latestUpload(
  services: AppEnv["Variables"]["services"],
  tenantId: string,
  sourceId: string,
  entity?: (typeof importEntities)[number],
): Promise<Pick<ImportPayload, "blobKey" | "fileName" | "entity" | "checksum" | "mapping"> | null> {
  const db = services.db.db;
  const ofEntity = entity ? sql`and payload->>'entity' = ${entity}` : sql``;
  const jobs = await queryRows<{ payload: ImportPayload | string; at: number }>(
    db,
    sql`select payload, extract(epoch from created_at)::float8 as at from jobs
        where tenant_id = ${tenantId}::uuid and kind = 'import' and payload->>'sourceId' = ${sourceId} ${ofEntity}
        order by created_at desc, id desc limit 10`,
  );
  const runs = await queryRows<{
    entity: ImportPayload["entity"];
    file_name: string;
    file_checksum: string;
    at: number;
  }>(
    db,
    sql`select entity, file_name, file_checksum, extract(epoch from started_at)::float8 as at
        from sync_runs where tenant_id = ${tenantId}::uuid and source_id = ${sourceId}::uuid and file_checksum is not null and file_name is not null
        ${entity ? sql`and entity = ${entity}` : sql``} order by started_at desc, created_at desc, id desc limit 10`,
  );
  const files = [
    ...jobs.map((j) => ({
      at: Number(j.at),
      file: (typeof j.payload === "string" ? JSON.parse(j.payload) : j.payload) as ImportPayload,
    })),
    ...runs.map((r) => ({
      at: Number(r.at),
      file: {
        blobKey: `${tenantId}/imports/${r.file_checksum}/${r.file_name}`,
        fileName: r.file_name,
        entity: r.entity,
        checksum: r.file_checksum,
      },
    })),
  ].sort((a, b) => b.at - a.at);
  // The newest file still kept: an erasure deletes the files that named the person.
  for (const { file } of files) if (await services.blobs.head(file.blobKey)) return file;
  return null;
}

/** The first rows of a stored file, as a table (the stream is cancelled after them). */
async function firstRows(
  blobs: AppEnv["Variables"]["services"]["blobs"],
  key: string,
  count: number,
) {
  const { openTable } = await loadPipeline();
  const table = await openTable(await blobs.get(key));
  const rows: TableRow[] = [];
  for await (const row of table.rows) {
    rows.push(row);
    if (rows.length >= count) break;
  }
  return { info: table.info, rows };
}

const previewRoute = createRoute({
  method: "get",
  path: "/api/sources/{id}/preview",
  tags: ["sources"],
  summary:
    "Preview the source's latest file: how it was read, the first rows raw and normalised with the mapping that would apply, issues and quality score",
  security,
  request: {
    params: IdParam,
    query: z.object({
      rows: z.coerce.number().int().min(1).max(200).default(20),
      /** Which records: for a file source, its latest file of this entity (when not given, its latest file). */
      entity: Entity.default("customers"),
    }),
  },
  responses: {
    200: json(
      z.object({
        file: z.object({
          name: z.string(),
          entity: Entity,
          format: z.string(),
          encoding: z.string().nullable(),
          delimiter: z.string().nullable(),
          columns: z.array(z.string()),
          warnings: z.array(z.unknown()),
          /** The first rows (records) as read, one value per column. */
          rows: z.array(z.array(z.string())),
        }),
        mapping: z.record(z.string(), z.unknown()),
        missingRequired: z.array(z.string()),
        /** Rows raw and normalised, quality and anomalies; or `error` when the suggested mapping cannot be applied. */
        preview: z.record(z.string(), z.unknown()),
      }),
      "The preview",
    ),
    ...refusals,
    ...notFound,
  },
});
const validationRoute = createRoute({
  method: "get",
  path: "/api/sources/{id}/validation",
  tags: ["sources"],
  summary:
    "Validation report of the source's last run: counts, rejections by reason, open anomalies by code",
  security,
  request: { params: IdParam },
  responses: {
    200: json(
      z.object({
        lastRun: Run.nullable(),
        /** With one of the messages, as an example of what the rows have. */
        rejectedByReason: z.array(
          z.object({
            code: z.string(),
            rows: z.number().int(),
            example: z.object({ fr: z.string(), en: z.string() }),
          }),
        ),
        /**
         * By code and field, `example` saying what they have in common ("Numéro de téléphone non
         * valide (Portable)"), or one of their messages for a code the catalogue lacks.
         */
        openAnomalies: z.array(
          z.object({
            code: z.string(),
            field: z.string().nullable(),
            severity: z.string(),
            count: z.number().int(),
            example: z.object({ fr: z.string(), en: z.string() }),
          }),
        ),
      }),
      "The report",
    ),
    ...refusals,
    ...notFound,
  },
});
const testRoute = createRoute({
  method: "post",
  path: "/api/sources/{id}/test",
  tags: ["sources"],
  summary:
    "Test the connection: for an Odoo source the address, version, database, credentials and rights on each model; for a file source, that its latest file can be read and mapped",
  security,
  request: {
    params: IdParam,
    query: z.object({ lang: z.enum(["fr", "en"]).optional() }),
  },
  responses: {
    200: json(
      z.object({
        ok: z.boolean(),
        protocol: z.enum(["json2", "jsonrpc"]).nullable().optional(),
        serverVersion: z.string().nullable().optional(),
        checks: z.array(z.object({ check: z.string(), ok: z.boolean(), message: z.string() })),
      }),
      "A readable report",
    ),
    ...refusals,
    ...notFound,
  },
});

const sourceView = (s: Source, lastRun: RunRow | undefined): z.infer<typeof SourceView> => ({
  id: s.id,
  name: s.name,
  kind: s.kind,
  schedule: s.schedule,
  config: publicConfigOf(s),
  hasSecret: s.credentialsEncrypted !== null,
  createdAt: s.createdAt.toISOString(),
  lastRun: lastRun ? runView(lastRun) : null,
});

export function registerSources(app: OpenAPIHono<AppEnv>) {
  const lastRuns = async (
    c: { get: (k: "services") => AppEnv["Variables"]["services"] },
    tenantId: string,
  ) => {
    const rows = await queryRows<RunRow & { source_id: string }>(
      c.get("services").db.db,
      sql`select distinct on (r.source_id) r.source_id, ${runColumns} from sync_runs r
          where r.tenant_id = ${tenantId}::uuid order by r.source_id, r.started_at desc, r.created_at desc, r.id desc`,
    );
    return new Map(rows.map((r) => [r.source_id, r]));
  };

  app.openapi(list, async (c) => {
    const { tenantId } = c.get("actor");
    const rows = await queryRows<Source & Record<string, unknown>>(
      c.get("services").db.db,
      sql`select id, name, kind, schedule, config, credentials_encrypted as "credentialsEncrypted", created_at as "createdAt"
          from sources where tenant_id = ${tenantId}::uuid order by name`,
    );
    const last = await lastRuns(c, tenantId);
    return c.json(
      {
        items: rows.map((s) =>
          sourceView(
            { ...s, createdAt: new Date(s.createdAt as unknown as string) },
            last.get(s.id),
          ),
        ),
      },
      200,
    );
  });

  app.openapi(register, async (c) => {
    const actor = requireRole(c, "admin");
    const db = c.get("services").db.db;
    const { secret, ...body } = c.req.valid("json");
    const services = c.get("services");
    const odoo = body.kind === "odoo" ? prepareOdooSource(body.config, secret) : null;
    const created = await createSource(db, actor.tenantId, {
      ...body,
      config: odoo?.config ?? body.config,
    });
    if (odoo)
      await setSourceSecret(
        db,
        actor.tenantId,
        created.id,
        sealSecret(services.secretKey, odoo.secret),
      );
    const source = await getSource(db, actor.tenantId, created.id);
    await audit(c, db, {
      action: "source.registered",
      entity: "source",
      entityId: source.id,
      after: { name: source.name, kind: source.kind },
    });
    return c.json(sourceView(source, undefined), 201);
  });

  app.openapi(detail, async (c) => {
    const { tenantId } = c.get("actor");
    const source = await getSource(c.get("services").db.db, tenantId, c.req.valid("param").id);
    return c.json(sourceView(source, (await lastRuns(c, tenantId)).get(source.id)), 200);
  });

  app.openapi(runs, async (c) => {
    const { tenantId } = c.get("actor");
    const db = c.get("services").db.db;
    const source = await getSource(db, tenantId, c.req.valid("param").id);
    const q = c.req.valid("query");
    const { rows, total } = await pageWithTotal<RunRow>(
      db,
      sql`select count(*)::int from sync_runs where source_id = ${source.id}::uuid`,
      (total) =>
        sql`select ${runColumns}, ${total} from sync_runs r where r.tenant_id = ${tenantId}::uuid and r.source_id = ${source.id}::uuid
            order by r.started_at desc, r.created_at desc, r.id desc limit ${q.limit} offset ${q.offset}`,
    );
    return c.json({ items: rows.map(runView), total, limit: q.limit, offset: q.offset }, 200);
  });

  app.openapi(metrics, async (c) => {
    const { tenantId } = c.get("actor");
    const db = c.get("services").db.db;
    const source = await getSource(db, tenantId, c.req.valid("param").id);
    const byStatus = await queryRows<{ status: string; n: number; read: number; rejected: number }>(
      db,
      sql`select status, count(*)::int as n, sum(rows_read)::int as read, sum(rows_rejected)::int as rejected
          from sync_runs where source_id = ${source.id}::uuid group by status`,
    );
    const [last] = await queryRows<{ q: number | null }>(
      db,
      sql`select quality_score::float8 as q from sync_runs where source_id = ${source.id}::uuid and quality_score is not null order by started_at desc limit 1`,
    );
    const anomalies = await queryRows<{ severity: string; n: number }>(
      db,
      sql`select a.severity, count(*)::int as n from anomalies a join sync_runs r on r.id = a.sync_run_id
          where r.source_id = ${source.id}::uuid and a.status = 'open' group by a.severity`,
    );
    return c.json(
      {
        runs: byStatus.reduce((s, r) => s + r.n, 0),
        byStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])),
        rowsRead: byStatus.reduce((s, r) => s + r.read, 0),
        rowsRejected: byStatus.reduce((s, r) => s + r.rejected, 0),
        lastQualityScore: last?.q ?? null,
        openAnomalies: Object.fromEntries(anomalies.map((a) => [a.severity, a.n])),
      },
      200,
    );
  });

  app.openapi(rejected, async (c) => {
    const { tenantId } = c.get("actor");
    const db = c.get("services").db.db;
    const { id } = c.req.valid("param");
    const q = c.req.valid("query");
    const [run] = await queryRows<{ id: string }>(
      db,
      sql`select id from sync_runs where tenant_id = ${tenantId}::uuid and id = ${id}::uuid`,
    );
    if (!run) throw new AppError("run.not_found", "No such run.");
    const page = q.format === "csv" ? sql`` : sql`limit ${q.limit} offset ${q.offset}`;
    const rows = await queryRows<{
      line_number: number;
      raw: string;
      reasons: z.infer<typeof Rejected>["reasons"] | string;
    }>(
      db,
      sql`select line_number, raw, reasons from rejected_rows where sync_run_id = ${id}::uuid order by line_number ${page}`,
    );
    const items = rows.map((r) => ({
      lineNumber: r.line_number,
      raw: r.raw,
      reasons: typeof r.reasons === "string" ? JSON.parse(r.reasons) : r.reasons,
    }));
    if (q.format === "csv") {
      const Papa = await loadCsvWriter();
      const french = q.lang === "fr";
      const csv = Papa.unparse(
        {
          fields: french ? ["ligne", "raisons", "contenu"] : ["line", "reasons", "raw"],
          data: items.map((r) =>
            [
              r.lineNumber,
              r.reasons
                .map((x: { message: string; messageFr?: string }) =>
                  french ? (x.messageFr ?? x.message) : x.message,
                )
                .join(" ; "),
              r.raw,
            ].map((v) => safeCsvCell(v)),
          ),
        },
        { delimiter: ";", newline: "\r\n" },
      );
      return c.body(`\uFEFF${csv}\r\n`, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="rejected-rows-${id}.csv"`,
      });
    }
    const [count] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from rejected_rows where sync_run_id = ${id}::uuid`,
    );
    return c.json({ items, total: count!.n, limit: q.limit, offset: q.offset }, 200);
  });

  app.openapi(createUpload, async (c) => {
    const actor = requireRole(c, "editor");
    const body = c.req.valid("json");
    const services = c.get("services");
    const source = await getSource(services.db.db, actor.tenantId, body.sourceId);
    if (services.directUploads) {
      if (!body.sizeBytes)
        throw new AppError(
          "upload.invalid",
          "Say the file's size (sizeBytes): the upload URL is signed for it.",
        );
      const safeName = body.fileName.replace(/[/\\]/g, "_");
      // The layout the upload-created handler reads: estate, source, entity, a fresh id, the name.
      const key = `uploads/${actor.tenantId}/${source.id}/${body.entity}/${randomUUID()}/${safeName}`;
      const put = await services.directUploads.presignPut(key, body.contentType, body.sizeBytes);
      await audit(c, services.db.db, {
        action: "upload.presigned",
        entity: "source",
        entityId: source.id,
        after: { key, bytes: body.sizeBytes },
      });
      return c.json(
        {
          method: "PUT" as const,
          url: put.url,
          headers: put.headers,
          key,
          expiresAt: put.expiresAt.toISOString(),
          maxBytes: MAX_UPLOAD_BYTES,
        },
        200,
      );
    }
    return c.json(
      {
        method: "POST" as const,
        url: `/api/sources/${source.id}/files`,
        encoding: "multipart/form-data" as const,
        fields: { entity: body.entity },
        fileField: "file",
        maxBytes: MAX_UPLOAD_BYTES,
      },
      200,
    );
  });

  app.openapi(uploadJob, async (c) => {
    const { tenantId } = c.get("actor");
    const db = c.get("services").db.db;
    const key = c.req.valid("query").key;
    const [row] = await queryRows<{ id: string }>(
      db,
      sql`select id from jobs where tenant_id = ${tenantId}::uuid and kind = 'import' and payload->>'blobKey' = ${key}
          order by created_at desc limit 1`,
    );
    if (!row) throw new AppError("upload.not_found", "No import for this file yet.");
    return c.json(jobView(await getJob(db, tenantId, row.id)), 200);
  });

  app.use(
    "/api/sources/:id/files",
    bodyLimit({
      maxSize: MAX_UPLOAD_BYTES + 64 * 1024,
      onError: () => {
        throw new AppError(
          "upload.too_large",
          `Files up to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB can be uploaded.`,
        );
      },
    }),
  );
  app.openapi(upload, async (c) => {
    const actor = requireRole(c, "editor");
    const services = c.get("services");
    const source = await getSource(services.db.db, actor.tenantId, c.req.valid("param").id);
    const form = await c.req.parseBody();
    const file = form.file;
    const entity = Entity.safeParse(form.entity);
    if (!(file instanceof File))
      throw new AppError("upload.invalid", "Send the file in the multipart field `file`.");
    if (!entity.success)
      throw new AppError("upload.invalid", `entity must be one of ${importEntities.join(", ")}.`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (bytes.length === 0) throw new AppError("upload.invalid", "The file is empty.");
    const kind = sniffFileKind(bytes.subarray(0, 8192));
    if (kind !== "csv" && kind !== "xlsx")
      throw new AppError(
        "upload.unsupported_type",
        kind === "xls" || kind === "ods"
          ? "Old .xls and .ods files cannot be read: save it as .xlsx or CSV."
          : "This is not a CSV or Excel (.xlsx) file.",
      );
    const checksum = createHash("sha256").update(bytes).digest("hex");
    const fileName = file.name.replace(/[/\\]/g, "_").slice(0, 255) || "upload";
    const blobKey = `${actor.tenantId}/imports/${checksum}/${fileName}`;
    if (!(await services.blobs.head(blobKey)))
      await services.blobs.put(blobKey, bytes, file.type || undefined);
    const payload: ImportPayload = {
      sourceId: source.id,
      entity: entity.data,
      blobKey,
      fileName,
      checksum,
      triggeredBy: actor.userId,
    };
    const job = await enqueueJob(services, {
      tenantId: actor.tenantId,
      kind: "import",
      payload: payload as unknown as Record<string, unknown>,
      dedupeKey: `${source.id}:${entity.data}:${checksum}`,
    });
    await audit(c, services.db.db, {
      action: "upload.received",
      entity: "source",
      entityId: source.id,
      after: { fileName, bytes: bytes.length, jobId: job.id },
    });
    return c.json(jobView(job), 202);
  });

  app.openapi(previewRoute, async (c) => {
    const { tenantId } = c.get("actor");
    const services = c.get("services");
    const source = await getSource(services.db.db, tenantId, c.req.valid("param").id);
    if (source.kind === "odoo") {
      const { entity, rows: count } = c.req.valid("query");
      const odoo = await previewOdooSource(services, source, entity, count);
      const { previewImport } = await loadPipeline();
      const preview = previewImport(
        entity,
        odoo.columns,
        odoo.rows,
        odoo.mapping,
        services.clock.now().toISOString().slice(0, 10),
      );
      return c.json(
        {
          file: {
            name: `Odoo ${entity}`,
            entity,
            format: "odoo",
            encoding: null,
            delimiter: null,
            columns: odoo.columns,
            warnings: [],
            rows: odoo.rows.map((r) => odoo.columns.map((_, i) => r.values[i] ?? "")),
          },
          mapping: odoo.mapping.fields,
          missingRequired: [],
          preview: JSON.parse(JSON.stringify(preview)) as Record<string, unknown>,
        },
        200,
      );
    }
    // A file source previews its latest file, or its latest file of the entity asked for.
    const asked = c.req.query("entity") ? c.req.valid("query").entity : undefined;
    const upload = await latestUpload(services, tenantId, source.id, asked);
    if (!upload)
      throw new AppError(
        "source.invalid",
        asked
          ? `This source has no ${asked} file yet: upload one first.`
          : "This source has no uploaded file yet: upload one first.",
      );
    const { info, rows } = await firstRows(
      services.blobs,
      upload.blobKey,
      c.req.valid("query").rows,
    );
    const saved = await findMappingForHeaders(
      services.db.db,
      tenantId,
      source.id,
      upload.entity,
      headerSignature(info.columns),
    );
    const suggestion = suggestMapping(
      upload.entity,
      info.columns,
      rows.map((r) => r.values),
      saved
        ? { headerSignature: saved.headerSignature, fields: saved.fields as Mapping["fields"] }
        : undefined,
    );
    // A file the suggestion cannot map (a required column not found) still shows its columns
    // and rows: that is when the mapping editor is needed.
    let preview: unknown;
    const { previewImport } = await loadPipeline();
    try {
      preview = previewImport(
        upload.entity,
        info.columns,
        rows,
        suggestion.mapping,
        services.clock.now().toISOString().slice(0, 10),
        Object.fromEntries(suggestion.suggestions.map((x) => [x.field, x.confidence])),
        { poolDecimals: info.format === "csv" },
      );
    } catch (error) {
      if (!isAppError(error) || !error.code.startsWith("mapping.")) throw error;
      preview = { error: { code: error.code, message: error.message } };
    }
    return c.json(
      {
        file: {
          name: upload.fileName,
          entity: upload.entity,
          format: info.format,
          encoding: info.encoding ?? null,
          delimiter: info.delimiter ?? null,
          columns: info.columns,
          warnings: info.warnings,
          rows: rows.map((r) => info.columns.map((_, i) => r.values[i] ?? "")),
        },
        mapping: suggestion.mapping.fields,
        missingRequired: suggestion.missingRequired,
        preview: JSON.parse(JSON.stringify(preview)) as Record<string, unknown>,
      },
      200,
    );
  });

  app.openapi(validationRoute, async (c) => {
    const { tenantId } = c.get("actor");
    const db = c.get("services").db.db;
    const source = await getSource(db, tenantId, c.req.valid("param").id);
    const [last] = await queryRows<RunRow>(
      db,
      sql`select ${runColumns} from sync_runs r where r.tenant_id = ${tenantId}::uuid and r.source_id = ${source.id}::uuid
          order by r.started_at desc, r.id desc limit 1`,
    );
    const rejectedByReason = last
      ? (
          await queryRows<{ code: string; rows: number; en: string; fr: string | null }>(
            db,
            sql`select reason->>'code' as code, count(distinct x.id)::int as rows, min(reason->>'message') as en,
                       min(reason->>'messageFr') as fr
                from rejected_rows x, jsonb_array_elements(x.reasons) reason
                where x.sync_run_id = ${last.id as string}::uuid group by 1 order by 2 desc, 1`,
          )
        ).map(({ en, fr, ...r }) => ({ ...r, example: { en, fr: fr ?? en } }))
      : [];
    const anomalies = await queryRows<{
      code: string;
      field: string | null;
      severity: string;
      count: number;
      example: { fr: string; en: string } | string | null;
    }>(
      db,
      sql`select code, field, severity, count(*)::int as count, min((details->'message')::text) as example from anomalies
          where tenant_id = ${tenantId}::uuid and source_id = ${source.id}::uuid and status = 'open'
          group by code, field, severity
          order by array_position(array['critical','high','medium','low'], severity), count desc, code, field`,
    );
    const message = (example: { fr: string; en: string } | string | null, code: string) =>
      (typeof example === "string" ? JSON.parse(example) : example) ?? { fr: code, en: code };
    return c.json(
      {
        lastRun: last ? runView(last) : null,
        rejectedByReason,
        openAnomalies: anomalies.map((a) => ({
          ...a,
          example: anomalyGroupLabel(a.code, a.field) ?? message(a.example, a.code),
        })),
      },
      200,
    );
  });

  app.openapi(testRoute, async (c) => {
    const actor = requireRole(c, "editor");
    const services = c.get("services");
    const source = await getSource(services.db.db, actor.tenantId, c.req.valid("param").id);
    if (source.kind === "odoo") {
      const lang = c.req.valid("query").lang ?? preferredLanguage(c.req.header("accept-language"));
      const report = await testOdooConnection(connectionOfSource(source, services.secretKey));
      return c.json(
        {
          ok: report.ok,
          protocol: report.protocol,
          serverVersion: report.serverVersion,
          checks: report.checks.map((x) => ({
            check: x.check,
            ok: x.ok,
            message: x.message[lang],
          })),
        },
        200,
      );
    }
    const checks: Array<{ check: string; ok: boolean; message: string }> = [];
    const upload = await latestUpload(services, actor.tenantId, source.id);
    checks.push({
      check: "file",
      ok: upload !== null,
      message: upload ? `Latest file: ${upload.fileName}` : "No file uploaded for this source yet.",
    });
    if (upload) {
      try {
        const { info, rows } = await firstRows(services.blobs, upload.blobKey, 50);
        checks.push({
          check: "read",
          ok: rows.length > 0,
          message: `${info.format === "xlsx" ? `Sheet ${info.sheet}` : `CSV ${info.encoding}, delimiter "${info.delimiter}"`}, ${info.columns.length} columns${rows.length === 0 ? ", no rows" : ""}.`,
        });
        const suggestion = suggestMapping(
          upload.entity,
          info.columns,
          rows.map((r) => r.values),
        );
        checks.push({
          check: "mapping",
          ok: suggestion.missingRequired.length === 0,
          message:
            suggestion.missingRequired.length === 0
              ? `Every required column found (${suggestion.suggestions.length} fields recognised).`
              : `Required columns not found: ${suggestion.missingRequired.join(", ")}.`,
        });
      } catch (error) {
        checks.push({ check: "read", ok: false, message: (error as Error).message });
      }
    }
    return c.json({ ok: checks.every((x) => x.ok), checks }, 200);
  });

  app.openapi(syncNow, async (c) => {
    const actor = requireRole(c, "editor");
    const services = c.get("services");
    const source = await getSource(services.db.db, actor.tenantId, c.req.valid("param").id);
    if (source.kind === "odoo") {
      connectionOfSource(source, services.secretKey); // refuse now a source that cannot connect
      const payload: SyncPayload = {
        sourceId: source.id,
        full: c.req.valid("json").full === true,
        trigger: "manual",
        triggeredBy: actor.userId,
      };
      const job = await enqueueJob(services, {
        tenantId: actor.tenantId,
        kind: "sync",
        payload: payload as unknown as Record<string, unknown>,
      });
      await audit(c, services.db.db, {
        action: "source.sync_requested",
        entity: "source",
        entityId: source.id,
        after: { jobId: job.id, full: payload.full },
      });
      return c.json(jobView(job), 202);
    }
    // The latest file, whether it came as an upload (a job) or through the CLI or the demo (a run).
    const last = await latestUpload(services, actor.tenantId, source.id);
    if (!last)
      throw new AppError(
        "source.invalid",
        "This source has no uploaded file yet: upload one first.",
      );
    const payload: ImportPayload = {
      sourceId: source.id,
      ...last,
      trigger: "manual",
      triggeredBy: actor.userId,
    };
    const job = await enqueueJob(services, {
      tenantId: actor.tenantId,
      kind: "import",
      payload: payload as unknown as Record<string, unknown>,
    });
    await audit(c, services.db.db, {
      action: "source.sync_requested",
      entity: "source",
      entityId: source.id,
      after: { jobId: job.id },
    });
    return c.json(jobView(job), 202);
  });
}
