import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { AppError } from "@crm-reco/core";
import { queryRows } from "../../adapters/db/database.ts";
import { loadPipeline } from "../../on-demand.ts";
import type { AppEnv } from "../app-env.ts";
import { IdParam, json, notFound, refusals, security } from "./shared.ts";

const Issue = z.object({
  kind: z.enum(["rejected", "anomaly"]),
  line: z.number().int(),
  field: z.string().nullable(),
  code: z.string(),
  severity: z.string().nullable(),
  message: z.object({ fr: z.string(), en: z.string() }),
});
const RunRows = z
  .object({
    runId: z.uuid(),
    sourceId: z.uuid(),
    fileName: z.string(),
    columns: z.array(z.string()),
    headerLine: z.number().int(),
    rows: z.array(z.object({ line: z.number().int(), values: z.array(z.string()) })),
    issues: z.array(Issue),
  })
  .openapi("RunRows");

const route = createRoute({
  method: "get",
  path: "/api/runs/{id}/rows",
  tags: ["sources"],
  summary:
    "Jump to a row: the lines around one line of the file a run imported, as they are in the file, with that run's rejections and anomalies on them",
  security,
  request: {
    params: IdParam,
    query: z.object({
      line: z.coerce.number().int().min(1).default(1),
      around: z.coerce.number().int().min(0).max(20).default(3),
    }),
  },
  responses: { 200: json(RunRows, "The lines and their issues"), ...refusals, ...notFound },
});

/**
 * Where a run's file is kept: the import's content-addressed copy, or (an upload straight to S3)
 * the key its import job read.
 */
async function fileOfRun(
  db: AppEnv["Variables"]["services"]["db"]["db"],
  tenantId: string,
  runId: string,
) {
  const [run] = await queryRows<{
    id: string;
    source_id: string;
    file_name: string | null;
    file_checksum: string | null;
    job_key: string | null;
  }>(
    db,
    sql`select r.id, r.source_id, r.file_name, r.file_checksum,
          (select j.payload->>'blobKey' from jobs j where j.tenant_id = r.tenant_id and j.kind = 'import'
             and j.result->>'runId' = r.id::text limit 1) as job_key
        from sync_runs r where r.tenant_id = ${tenantId}::uuid and r.id = ${runId}::uuid`,
  );
  if (!run) throw new AppError("run.not_found", "No such run.");
  if (!run.file_name || !run.file_checksum)
    throw new AppError(
      "run.not_found",
      "This run did not read a file (an Odoo sync has no lines).",
    );
  const keys = [`${tenantId}/imports/${run.file_checksum}/${run.file_name}`, run.job_key];
  return { run, keys: keys.filter((k): k is string => Boolean(k)) };
}

export function registerRunRows(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { tenantId } = c.get("actor");
    const { db, blobs } = c.get("services");
    const { id } = c.req.valid("param");
    const { line, around } = c.req.valid("query");
    const { run, keys } = await fileOfRun(db.db, tenantId, id);
    let key: string | undefined;
    for (const k of keys) if (await blobs.head(k)) key = k;
    if (!key)
      throw new AppError(
        "file.not_found",
        `The file ${run.file_name} is no longer stored (old uploads are cleaned up).`,
      );

    const { openTable } = await loadPipeline();
    const table = await openTable(await blobs.get(key));
    const rows: Array<{ line: number; values: string[] }> = [];
    // Streamed: the lines before the window are read and dropped, the rest of the file is not read.
    for await (const row of table.rows) {
      if (row.line > line + around) break;
      if (row.line >= line - around) rows.push({ line: row.line, values: row.values });
    }

    const from = line - around;
    const to = line + around;
    const rejected = await queryRows<{
      line_number: number;
      reasons:
        | string
        | Array<{ field?: string | null; code: string; message: string; messageFr?: string }>;
    }>(
      db.db,
      sql`select line_number, reasons from rejected_rows
          where sync_run_id = ${run.id}::uuid and line_number between ${from} and ${to} order by line_number`,
    );
    const anomalies = await queryRows<{
      line_number: number;
      field: string | null;
      code: string;
      severity: string;
      details: string | { message?: { fr: string; en: string } };
    }>(
      db.db,
      sql`select line_number, field, code, severity, details from anomalies
          where tenant_id = ${tenantId}::uuid and sync_run_id = ${run.id}::uuid and line_number between ${from} and ${to}
          order by line_number, field, code`,
    );
    const parsed = <T>(v: T | string): T => (typeof v === "string" ? JSON.parse(v) : v);
    const issues: z.infer<typeof Issue>[] = [
      ...rejected.flatMap((r) =>
        parsed(r.reasons).map((reason) => ({
          kind: "rejected" as const,
          line: r.line_number,
          field: reason.field || null,
          code: reason.code,
          severity: null,
          // Rows rejected before 2026-12-04 have their reason in English only.
          message: { fr: reason.messageFr ?? reason.message, en: reason.message },
        })),
      ),
      ...anomalies.map((a) => ({
        kind: "anomaly" as const,
        line: a.line_number,
        field: a.field,
        code: a.code,
        severity: a.severity,
        message: parsed(a.details).message ?? { fr: a.code, en: a.code },
      })),
    ];
    return c.json(
      {
        runId: run.id,
        sourceId: run.source_id,
        fileName: run.file_name!,
        columns: table.info.columns,
        headerLine: table.info.headerLine,
        rows,
        issues,
      },
      200,
    );
  });
}
