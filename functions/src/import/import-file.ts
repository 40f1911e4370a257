import { sql } from "drizzle-orm";
import {
  buildRecord,
  type CanonicalRecord,
  createColumnFormatLearner,
  type DateFormat,
  type ImportEntity,
  isAppError,
  type FieldSuggestion,
  headerSignature,
  type Mapping,
  openTable,
  rawOf,
  type ReadOptions,
  type RejectReason,
  resolveMapping,
  suggestMapping,
  type TableInfo,
  type TableRow,
} from "@crm-reco/core";
import { type Db, type Tx, arrayParam } from "../adapters/db/database.ts";
import type { Services } from "../services.ts";
import { addCounts, type BatchCounts, splitOnRepeatedKeys } from "./batch.ts";
import { createLineKeyer } from "./line-keys.ts";
import {
  createRun,
  findUnfinishedRun,
  recordBatch,
  type SyncRun,
  type SyncTrigger,
  updateRun,
} from "./sync-runs.ts";
import { findMappingForHeaders, saveMappingVersion } from "../repos/mappings.ts";
import { writeCustomers } from "./write-customers.ts";
import { writeOrderLines } from "./write-order-lines.ts";
import { writeProducts } from "./write-products.ts";

export interface ImportRequest {
  tenantId: string;
  sourceId: string;
  entity: ImportEntity;
  fileName: string;
  /** sha-256 of the bytes: the same file resumes an unfinished run of itself. */
  checksum: string;
  /** Opens the file from the start; called once per pass. */
  open: () => Promise<ReadableStream<Uint8Array>>;
  trigger: SyncTrigger;
  triggeredBy?: string;
  mapping?: Mapping;
  read?: ReadOptions;
  /** Forces the format of every date column (otherwise inferred from all its values). */
  dateFormat?: DateFormat;
  /** Reads, checks and writes everything, then rolls it all back: counts exactly as a real run. */
  dryRun?: boolean;
  batchSize?: number;
}

export interface ImportSummary {
  runId: string | null;
  status: "succeeded" | "partial" | "failed";
  resumed: boolean;
  dryRun: boolean;
  rowsRead: number;
  rowsInserted: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  rowsRejected: number;
  encoding: string | null;
  delimiter: string | null;
  sheet: string | null;
  mapping: Mapping | null;
  /** How each field was matched ("saved", "exact", "fuzzy") and how sure that is; "file" for a given mapping. */
  mappingSuggestions: Array<
    FieldSuggestion | { field: string; column: string; confidence: 1; method: "file" }
  >;
  mappingId: string | null;
  warnings: Array<{ code: string; message: string }>;
  errors: Array<{ code: string; message: string }>;
  /** The first rejected rows, for a quick look; all of them are stored with the run. */
  rejectedSample: Array<{ line: number; reasons: RejectReason[] }>;
  durationMs: number;
}

interface Rejected {
  line: number;
  raw: string;
  reasons: RejectReason[];
}

const writers: Record<
  ImportEntity,
  {
    keyOf: (r: CanonicalRecord) => string;
    write: (
      tx: Tx,
      tenantId: string,
      sourceId: string,
      records: CanonicalRecord[],
    ) => Promise<BatchCounts>;
  }
> = {
  customers: { keyOf: (r) => String(r.external_id), write: writeCustomers },
  products: {
    keyOf: (r) => String(r.sku),
    write: (tx, tenantId, _sourceId, records) => writeProducts(tx, tenantId, records),
  },
  order_lines: { keyOf: (r) => `${r.document_number}\u0000${r.line_key}`, write: writeOrderLines },
};

class DryRunRollback extends Error {}

/**
 * Imports one file into the canonical tables as a sync run. Rows go in batches, each committed in
 * one transaction together with its rejected rows and the run's progress, so a crash loses
 * nothing and a rerun of the same file resumes after the last committed batch. Upserts on natural
 * keys make a second import of the same file change nothing.
 */
export async function importFile(
  services: Pick<Services, "db" | "clock" | "log">,
  request: ImportRequest,
): Promise<ImportSummary> {
  const { db } = services.db;
  if (!request.dryRun) return runImport(services, db, request);
  let summary: ImportSummary | undefined;
  try {
    await db.transaction(async (tx) => {
      summary = await runImport(services, tx as unknown as Db, request);
      throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  return { ...summary!, runId: null, dryRun: true };
}

async function runImport(
  services: Pick<Services, "clock" | "log">,
  db: Db,
  request: ImportRequest,
): Promise<ImportSummary> {
  const started = services.clock.now();
  const runKey = {
    tenantId: request.tenantId,
    sourceId: request.sourceId,
    entity: request.entity,
    fileChecksum: request.checksum,
  };
  const unfinished = await findUnfinishedRun(db, runKey);
  const run: SyncRun =
    unfinished ??
    (await createRun(
      db,
      {
        ...runKey,
        trigger: request.trigger,
        triggeredBy: request.triggeredBy,
        fileName: request.fileName,
      },
      started,
    ));
  const resumeAfterLine = Number((run.progress as { lastLine?: number }).lastLine ?? 0);
  const log = services.log.child({ runId: run.id, entity: request.entity });
  log.info({ resumed: Boolean(unfinished), resumeAfterLine }, "import started");

  let info: TableInfo | undefined;
  let mapping: Mapping | undefined;
  let suggestions: ImportSummary["mappingSuggestions"] = [];
  let mappingId: string | null = null;
  const warnings: ImportSummary["warnings"] = [];
  const rejectedSample: ImportSummary["rejectedSample"] = [];
  let totals = { read: 0, rejected: 0, ...zeroCounts };
  let writing: Promise<void> = Promise.resolve();
  try {
    const firstPass = await openTable(await request.open(), request.read);
    info = firstPass.info;
    warnings.push(...info.warnings.map((w) => ({ code: w.code, message: w.message })));
    const rows = firstPass.rows[Symbol.asyncIterator]();
    const sample: TableRow[] = [];
    for (let next = await rows.next(); !next.done; next = await rows.next()) {
      sample.push(next.value);
      if (sample.length >= SAMPLE_ROWS) break;
    }
    const signature = headerSignature(info.columns);
    if (request.mapping) {
      mapping = request.mapping;
      suggestions = Object.entries(mapping.fields).map(([field, ref]) => ({
        field,
        column: typeof ref === "string" ? ref : ref.column,
        confidence: 1 as const,
        method: "file" as const,
      }));
    } else {
      const saved = await findMappingForHeaders(
        db,
        request.tenantId,
        request.sourceId,
        request.entity,
        signature,
      );
      const suggestion = suggestMapping(
        request.entity,
        info.columns,
        sample.map((r) => r.values),
        saved && {
          headerSignature: saved.headerSignature,
          fields: saved.fields as Mapping["fields"],
        },
      );
      mapping = suggestion.mapping;
      suggestions = suggestion.suggestions;
    }
    const fields = resolveMapping(mapping, info.columns);
    if (request.dateFormat) for (const f of fields) f.dateFormat ??= request.dateFormat;

    const learner = createColumnFormatLearner(request.entity, fields);
    if (learner.needed) {
      for (const row of sample) learner.add(row.values);
      for (let next = await rows.next(); !next.done; next = await rows.next())
        learner.add(next.value.values);
    }
    const formats = learner.result();
    for (const column of formats.ambiguousDateColumns) {
      warnings.push({
        code: "date.ambiguous",
        message: `Every date in "${info.columns[column]}" reads both ways; read as day/month/year. Use --date-format mdy if they are month-first.`,
      });
    }
    const savedMapping = await saveMappingVersion(db, {
      tenantId: request.tenantId,
      sourceId: request.sourceId,
      entity: request.entity,
      headerSignature: signature,
      fields: mapping.fields,
      createdBy: request.triggeredBy,
    });
    mappingId = savedMapping.id;
    await updateRun(db, run.id, { mappingId });

    const table = await openTable(await request.open(), request.read);
    const lineKey = request.entity === "order_lines" ? createLineKeyer() : undefined;
    const batchSize = request.batchSize ?? 5000;
    let accepted: CanonicalRecord[] = [];
    let rejected: Rejected[] = [];
    let lastLine = resumeAfterLine;

    // One batch is written while the next is parsed: the database and the parser work at once,
    // and batches still commit strictly in file order.
    const flush = async () => {
      if (accepted.length + rejected.length === 0) return;
      const batch = { accepted, rejected, lastLine };
      accepted = [];
      rejected = [];
      await writing;
      writing = writeBatch(batch);
      writing.catch(() => {}); // observed by the next flush; this only stops an "unhandled" report
    };
    const writeBatch = async (batch: {
      accepted: CanonicalRecord[];
      rejected: Rejected[];
      lastLine: number;
    }) => {
      const counts = await db.transaction(async (tx) => {
        let c = zeroCounts;
        for (const part of splitOnRepeatedKeys(batch.accepted, writers[request.entity].keyOf)) {
          c = addCounts(
            c,
            await writers[request.entity].write(tx, request.tenantId, request.sourceId, part),
          );
        }
        await insertRejected(tx, request.tenantId, run.id, batch.rejected);
        const batchTotals = {
          ...c,
          read: batch.accepted.length + batch.rejected.length,
          rejected: batch.rejected.length,
          lastLine: batch.lastLine,
        };
        await recordBatch(tx, run.id, batchTotals);
        return batchTotals;
      });
      totals = {
        ...addCounts(totals, counts),
        read: totals.read + counts.read,
        rejected: totals.rejected + counts.rejected,
      };
      log.debug({ lastLine: counts.lastLine }, "batch committed");
    };

    for await (const row of table.rows) {
      if (row.line <= resumeAfterLine) {
        if (lineKey) {
          const built = buildRecord(request.entity, fields, row.values, row.extra, formats);
          if (built.ok) lineKey(built.record);
        }
        continue;
      }
      const built = buildRecord(request.entity, fields, row.values, row.extra, formats);
      if (built.ok) {
        if (lineKey) built.record.line_key = lineKey(built.record);
        accepted.push(built.record);
      } else {
        rejected.push({ line: row.line, raw: rawOf(row, info), reasons: built.reasons });
        if (rejectedSample.length < 20)
          rejectedSample.push({ line: row.line, reasons: built.reasons });
      }
      lastLine = row.line;
      if (accepted.length + rejected.length >= batchSize) await flush();
    }
    await flush();
    await writing;
  } catch (error) {
    await writing.catch(() => {}); // let the batch in flight finish (or fail) before recording the outcome
    if (!isAppError(error)) {
      log.error({ err: error }, "import crashed");
      throw error;
    }
    const failed = await updateRun(db, run.id, {
      status: "failed",
      errorCode: error.code,
      errorMessage: error.message,
      encoding: info?.encoding ?? null,
      delimiter: info?.delimiter ?? null,
      finishedAt: services.clock.now(),
      durationMs: services.clock.now().getTime() - started.getTime(),
    });
    log.warn({ code: error.code }, "import failed");
    return summarize(
      failed,
      Boolean(unfinished),
      info,
      { mapping, suggestions, mappingId },
      warnings,
      [{ code: error.code, message: error.message }],
      rejectedSample,
    );
  }

  const finished = await updateRun(db, run.id, {
    status: statusOf(totals.read + run.rowsRead, totals.rejected + run.rowsRejected),
    encoding: info.encoding ?? null,
    delimiter: info.delimiter ?? null,
    ...(totals.read + run.rowsRead > 0 &&
    totals.rejected + run.rowsRejected === totals.read + run.rowsRead
      ? {
          errorCode: "import.all_rejected",
          errorMessage: "No row could be imported: see the rejected rows.",
        }
      : {}),
    finishedAt: services.clock.now(),
    durationMs: services.clock.now().getTime() - started.getTime(),
  });
  log.info({ rowsRead: finished.rowsRead, rowsRejected: finished.rowsRejected }, "import finished");
  const errors = finished.errorCode
    ? [{ code: finished.errorCode, message: finished.errorMessage ?? "" }]
    : [];
  return summarize(
    finished,
    Boolean(unfinished),
    info,
    { mapping, suggestions, mappingId },
    warnings,
    errors,
    rejectedSample,
  );
}

const SAMPLE_ROWS = 200;

const zeroCounts: BatchCounts = { inserted: 0, updated: 0, unchanged: 0 };

function statusOf(read: number, rejected: number): ImportSummary["status"] {
  if (rejected === 0) return "succeeded";
  return rejected === read ? "failed" : "partial";
}

async function insertRejected(tx: Tx, tenantId: string, runId: string, rows: Rejected[]) {
  if (rows.length === 0) return;
  await tx.execute(
    sql`insert into rejected_rows (tenant_id, sync_run_id, line_number, raw, reasons)
        select ${tenantId}::uuid, ${runId}::uuid, u.line, u.raw, u.reasons::jsonb
        from unnest(${arrayParam(
          rows.map((r) => r.line),
          "int",
        )}, ${arrayParam(
          rows.map((r) => r.raw),
          "text",
        )}, ${arrayParam(
          rows.map((r) => JSON.stringify(r.reasons)),
          "text",
        )}) as u(line, raw, reasons)
        on conflict (sync_run_id, line_number) do nothing`,
  );
}

function summarize(
  run: SyncRun,
  resumed: boolean,
  info: TableInfo | undefined,
  applied: {
    mapping: Mapping | undefined;
    suggestions: ImportSummary["mappingSuggestions"];
    mappingId: string | null;
  },
  warnings: ImportSummary["warnings"],
  errors: ImportSummary["errors"],
  rejectedSample: ImportSummary["rejectedSample"],
): ImportSummary {
  return {
    runId: run.id,
    status: run.status === "running" || run.status === "queued" ? "failed" : run.status,
    resumed,
    dryRun: false,
    rowsRead: run.rowsRead,
    rowsInserted: run.rowsInserted,
    rowsUpdated: run.rowsUpdated,
    rowsUnchanged: run.rowsUnchanged,
    rowsRejected: run.rowsRejected,
    encoding: info?.encoding ?? null,
    delimiter: info?.delimiter ?? null,
    sheet: info?.sheet ?? null,
    mapping: applied.mapping ?? null,
    mappingSuggestions: applied.suggestions,
    mappingId: applied.mappingId,
    warnings,
    errors,
    rejectedSample,
    durationMs: run.durationMs ?? 0,
  };
}
