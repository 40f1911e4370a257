import { setImmediate as nextTurnOfEventLoop } from "node:timers/promises";
import { eq, sql } from "drizzle-orm";
import {
  anomaly,
  createColumnFormatLearner,
  type DateFormat,
  type Encoding,
  emptyQualityState,
  type FieldSuggestion,
  headerSignature,
  type ImportEntity,
  isAppError,
  type Mapping,
  mappingConfidenceOf,
  type QualityBreakdown,
  type QualityState,
  qualityOf,
  type ReadOptions,
  type RejectReason,
  resolveMapping,
  suggestMapping,
  type TableInfo,
  type TableRow,
} from "@crm-reco/core";
import { createLastRowFinder, createRowProcessor, openTable, rawOf } from "@crm-reco/core/pipeline";
import {
  arrayParam,
  type Db,
  IMPORTED_TABLES,
  queryRows,
  refreshPlannerStatistics,
} from "../adapters/db/database.ts";
import { mappings, syncRuns } from "../db/schema/index.ts";
import { findMappingForHeaders, saveMappingVersion } from "../repos/mappings.ts";
import type { Services } from "../services.ts";
import {
  createRun,
  findUnfinishedRun,
  type SyncRun,
  type SyncTrigger,
  updateRun,
} from "./sync-runs.ts";
import { createRejectionMatcher } from "./corrected-rejections.ts";
import { loadPostalTowns } from "./postal-towns.ts";
import { flagPriceOutliers } from "./price-outliers.ts";
import { type Batch, upsertAnomalies, writeBatch } from "./write-batch.ts";

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
  /**
   * Stop after the first batch committed past this instant and report `paused` (a Lambda nearing
   * its timeout): the run stays open, and the same request later resumes after that batch.
   */
  pauseAt?: Date;
}

export type AppliedSuggestion =
  FieldSuggestion | { field: string; column: string; confidence: 1; method: "file" };

export interface ImportSummary {
  runId: string | null;
  status: "succeeded" | "partial" | "failed" | "paused";
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
  /** How each field was matched ("saved", "exact", "fuzzy", or "file" for a given mapping) and how surely. */
  mappingSuggestions: AppliedSuggestion[];
  mappingId: string | null;
  qualityScore: number | null;
  quality: QualityBreakdown | null;
  /** Anomalies this run found, by severity. */
  anomalies: { critical: number; high: number; medium: number; low: number };
  warnings: Array<{ code: string; message: string; details?: Record<string, unknown> }>;
  errors: Array<{ code: string; message: string }>;
  /** The first rejected rows, for a quick look; all of them are stored with the run. */
  rejectedSample: Array<{ line: number; reasons: RejectReason[] }>;
  durationMs: number;
}

const SAMPLE_ROWS = 200;

/**
 * Rows are parsed synchronously between two reads of the file (one every few hundred lines), and
 * the batch being written needs the event loop for each of its statements' answers: handing it
 * back every few rows lets the database work while the next batch is parsed, instead of waiting
 * for the parser at each statement (14.5 s instead of 15.7 s for 100k lines).
 */
const ROWS_BETWEEN_TURNS = 25;

class DryRunRollback extends Error {}

/**
 * Imports one file into the canonical tables as a sync run. Rows go in batches, each committed in
 * one transaction with its rejected rows, anomalies and the run's progress, so a crash loses
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
  return { ...summary!, runId: null, mappingId: null, dryRun: true };
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
  const progress = run.progress as { lastLine?: number; quality?: QualityState };
  const resumeAfterLine = progress.lastLine ?? 0;
  const quality = progress.quality ?? emptyQualityState();
  const log = services.log.child({ runId: run.id, entity: request.entity });
  log.info({ resumed: Boolean(unfinished), resumeAfterLine }, "import started");

  const applied: Applied = {
    info: undefined,
    mapping: undefined,
    suggestions: [],
    mappingId: null,
    mappingConfidence: 0,
  };
  const warnings: ImportSummary["warnings"] = [];
  const rejectedSample: ImportSummary["rejectedSample"] = [];
  let writing: Promise<void> = Promise.resolve();
  let paused = false;
  // Customers and wines: where each one's last row is, so that only it is written.
  let lastRows: ReturnType<typeof createLastRowFinder> | undefined;
  const finish = (values: Partial<SyncRun>) =>
    updateRun(db, run.id, {
      ...values,
      encoding: applied.info?.encoding ?? null,
      delimiter: applied.info?.delimiter ?? null,
      finishedAt: services.clock.now(),
      durationMs: services.clock.now().getTime() - started.getTime(),
    });
  try {
    let lateEncoding: string | undefined;
    const read = {
      ...request.read,
      onEncodingFound: (encoding: Encoding) => {
        if (applied.info) applied.info.encoding = encoding;
        if (lateEncoding === encoding) return;
        lateEncoding = encoding;
        warnings.push({
          code: "encoding.late",
          message: `The first accents come after the part of the file the encoding was guessed from: the file is read as ${encoding}.`,
        });
      },
    };
    const firstPass = await openTable(await request.open(), read);
    const info = (applied.info = firstPass.info);
    warnings.push(...info.warnings.map((w) => ({ code: w.code, message: w.message })));
    const rows = firstPass.rows[Symbol.asyncIterator]();
    const sample: TableRow[] = [];
    while (sample.length < SAMPLE_ROWS) {
      const next = await rows.next();
      if (next.done) break;
      sample.push(next.value);
    }
    await chooseMapping(db, request, info, sample, applied);
    const fields = resolveMapping(applied.mapping!, info.columns);
    if (request.dateFormat) for (const f of fields) f.dateFormat ??= request.dateFormat;

    const learner = createColumnFormatLearner(request.entity, fields, {
      poolDecimals: info.format === "csv",
    });
    if (learner.needed) {
      for (const row of sample) learner.add(row.values);
      for (let next = await rows.next(); !next.done; next = await rows.next())
        learner.add(next.value.values);
    }
    const formats = { ...learner.result(), columns: info.columns };
    for (const column of formats.ambiguousDateColumns) {
      warnings.push({
        code: "date.ambiguous",
        message: `Every date in "${info.columns[column]}" reads both ways; read as day/month/year. Use --date-format mdy if they are month-first.`,
      });
    }
    await updateRun(db, run.id, { mappingId: applied.mappingId });

    const checksTowns =
      request.entity === "customers" &&
      fields.some((f) => f.key === "postal_code") &&
      fields.some((f) => f.key === "city");
    const check = checksTowns ? { postalTowns: await loadPostalTowns() } : {};
    lastRows =
      request.entity === "order_lines"
        ? undefined
        : createLastRowFinder({ entity: request.entity, fields, formats });
    if (lastRows)
      for await (const row of (await openTable(await request.open(), read)).rows) lastRows.add(row);
    const processor = createRowProcessor({
      entity: request.entity,
      fields,
      formats,
      today: started.toISOString().slice(0, 10),
      quality,
      check,
    });
    const target = {
      tenantId: request.tenantId,
      sourceId: request.sourceId,
      runId: run.id,
      entity: request.entity,
    };
    const rejections = await createRejectionMatcher(db, target);
    const batchSize = request.batchSize ?? 5000;
    let batch: Batch = newBatch(resumeAfterLine, quality);
    // One batch is written while the next is parsed; batches still commit strictly in file order.
    const flush = async () => {
      if (batch.accepted.length + batch.rejected.length + batch.superseded === 0) return;
      const full = { ...batch, quality: { ...quality } };
      batch = newBatch(full.lastLine, quality);
      await writing;
      writing = writeBatch(db, target, full).then((counts) =>
        log.debug({ lastLine: counts.lastLine }, "batch committed"),
      );
      writing.catch(() => {}); // observed by the next flush; this only stops an "unhandled" report
    };
    let rowsSinceTurn = 0;
    for await (const row of (await openTable(await request.open(), read)).rows) {
      if (++rowsSinceTurn === ROWS_BETWEEN_TURNS) {
        rowsSinceTurn = 0;
        await nextTurnOfEventLoop();
      }
      if (row.line <= resumeAfterLine) {
        processor.replay(row);
        continue;
      }
      const processed = processor.process(row);
      if (processed.accepted) rejections.accepted(row);
      if (processed.accepted && lastRows?.isSuperseded(processed.key, row.line)) batch.superseded++;
      else if (processed.accepted) batch.accepted.push(processed.record);
      else {
        batch.rejected.push({ line: row.line, raw: rawOf(row, info), reasons: processed.reasons });
        if (rejectedSample.length < 20)
          rejectedSample.push({ line: row.line, reasons: processed.reasons });
      }
      for (const a of processed.anomalies)
        batch.anomalies.push({ key: processed.key, line: row.line, anomaly: a });
      batch.lastLine = row.line;
      if (batch.accepted.length + batch.rejected.length + batch.superseded >= batchSize) {
        await flush();
        if (request.pauseAt && services.clock.now() >= request.pauseAt) {
          paused = true;
          break;
        }
      }
    }
    if (!paused) await flush();
    await writing;
    await rejections.resolve();
  } catch (error) {
    await writing.catch(() => {}); // let the batch in flight finish (or fail) before recording the outcome
    if (!isAppError(error)) {
      log.error({ err: error }, "import crashed");
      throw error;
    }
    log.warn({ code: error.code }, "import failed");
    const fileAnomaly = {
      key: request.fileName,
      line: null,
      anomaly: anomaly("file.failed", null, `${request.fileName} — ${error.message}`),
    };
    await db.transaction((tx) =>
      upsertAnomalies(
        tx,
        {
          tenantId: request.tenantId,
          sourceId: request.sourceId,
          runId: run.id,
          entity: request.entity,
        },
        [fileAnomaly],
      ),
    );
    const failed = await finish({
      status: "failed",
      errorCode: error.code,
      errorMessage: error.message,
    });
    return summarize(
      db,
      failed,
      Boolean(unfinished),
      applied,
      null,
      warnings,
      [{ code: error.code, message: error.message }],
      rejectedSample,
    );
  }

  if (paused) {
    const open = await findRun(db, run.id);
    log.info({ progress: open.progress }, "import paused");
    const summary = await summarize(
      db,
      open,
      Boolean(unfinished),
      applied,
      null,
      warnings,
      [],
      rejectedSample,
    );
    return { ...summary, status: "paused" };
  }
  // Not in a dry run: it rolls back, and would hold seven tables' locks for nothing.
  if (!request.dryRun) await refreshPlannerStatistics(db, IMPORTED_TABLES);
  if (request.entity === "order_lines")
    await flagPriceOutliers(db, {
      tenantId: request.tenantId,
      sourceId: request.sourceId,
      runId: run.id,
      entity: request.entity,
    });
  if (lastRows && request.entity === "customers") {
    const absent = await customersAbsentFrom(db, request, [...lastRows.keys()]);
    if (absent.count > 0)
      warnings.push({
        code: "customers.absent",
        message: `${absent.count} customers of this source's earlier files are not in this one, or only on rejected rows (${absent.sample.join(", ")}${absent.count > absent.sample.length ? ", …" : ""}): their records, history and consents are kept. If they were deleted in the source on purpose, erase them here.`,
        details: absent,
      });
  }
  const done = await findRun(db, run.id);
  if (done.rowsRead === 0)
    warnings.push({
      code: "file.no_rows",
      message:
        "The file has its column headers but no row under them: nothing was imported. Was it exported empty, or cut?",
    });
  const breakdown = qualityOf(quality, applied.mappingConfidence);
  const allRejected = done.rowsRead > 0 && done.rowsRejected === done.rowsRead;
  const finished = await finish({
    status: done.rowsRejected === 0 ? "succeeded" : allRejected ? "failed" : "partial",
    qualityScore: breakdown.score,
    ...(allRejected
      ? {
          errorCode: "import.all_rejected",
          errorMessage: "No row could be imported: see the rejected rows.",
        }
      : {}),
  });
  if (applied.mappingId)
    await db
      .update(mappings)
      .set({ qualityScore: breakdown.score })
      .where(eq(mappings.id, applied.mappingId));
  log.info(
    {
      rowsRead: finished.rowsRead,
      rowsRejected: finished.rowsRejected,
      qualityScore: breakdown.score,
    },
    "import finished",
  );
  const errors = finished.errorCode
    ? [{ code: finished.errorCode, message: finished.errorMessage ?? "" }]
    : [];
  return summarize(
    db,
    finished,
    Boolean(unfinished),
    applied,
    breakdown,
    warnings,
    errors,
    rejectedSample,
  );
}

interface Applied {
  info: TableInfo | undefined;
  mapping: Mapping | undefined;
  suggestions: AppliedSuggestion[];
  mappingId: string | null;
  mappingConfidence: number;
}

/** The mapping given, or the saved one for this shape, or the suggested one; saved as a version. */
async function chooseMapping(
  db: Db,
  request: ImportRequest,
  info: TableInfo,
  sample: TableRow[],
  applied: Applied,
) {
  const signature = headerSignature(info.columns);
  if (request.mapping) {
    applied.mapping = request.mapping;
    applied.suggestions = Object.entries(request.mapping.fields).map(([field, ref]) => ({
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
    applied.mapping = suggestion.mapping;
    applied.suggestions = suggestion.suggestions;
  }
  applied.mappingConfidence = mappingConfidenceOf(
    request.entity,
    Object.fromEntries(applied.suggestions.map((s) => [s.field, s.confidence])),
  );
  resolveMapping(applied.mapping, info.columns); // refuse a mapping that does not fit before saving it
  const saved = await saveMappingVersion(db, {
    tenantId: request.tenantId,
    sourceId: request.sourceId,
    entity: request.entity,
    headerSignature: signature,
    fields: applied.mapping.fields,
    createdBy: request.triggeredBy,
  });
  applied.mappingId = saved.id;
}

const newBatch = (lastLine: number, quality: QualityState): Batch => ({
  superseded: 0,
  accepted: [],
  rejected: [],
  anomalies: [],
  lastLine,
  quality,
});

async function findRun(db: Db, runId: string): Promise<SyncRun> {
  const [run] = await db.select().from(syncRuns).where(eq(syncRuns.id, runId));
  return run!;
}

async function summarize(
  db: Db,
  run: SyncRun,
  resumed: boolean,
  applied: Applied,
  quality: QualityBreakdown | null,
  warnings: ImportSummary["warnings"],
  errors: ImportSummary["errors"],
  rejectedSample: ImportSummary["rejectedSample"],
): Promise<ImportSummary> {
  const counts = await queryRows<{ severity: keyof ImportSummary["anomalies"]; n: number }>(
    db,
    sql`select severity, count(*)::int as n from anomalies where sync_run_id = ${run.id}::uuid group by severity`,
  );
  const anomalies = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const row of counts) anomalies[row.severity] = row.n;
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
    encoding: applied.info?.encoding ?? null,
    delimiter: applied.info?.delimiter ?? null,
    sheet: applied.info?.sheet ?? null,
    mapping: applied.mapping ?? null,
    mappingSuggestions: applied.suggestions,
    mappingId: applied.mappingId,
    qualityScore: quality?.score ?? null,
    quality,
    anomalies,
    warnings,
    errors,
    rejectedSample,
    durationMs: run.durationMs ?? 0,
  };
}

/**
 * Customers this source's files brought before and this customers file does not have: left or
 * deleted in the source, or a partial export. Their records stay (nothing is deleted for a row
 * missing from a file); staff are told, with the first few codes. Customers made from a sale
 * alone were never in a customers file, and the erased are gone already.
 */
async function customersAbsentFrom(
  db: Db,
  request: ImportRequest,
  keys: string[],
): Promise<{ count: number; sample: string[] }> {
  const rows = await queryRows<{ external_id: string; total: number }>(
    db,
    sql`select i.external_id, count(*) over ()::int as total
        from customer_identities i join customers c on c.id = i.customer_id
        where i.tenant_id = ${request.tenantId}::uuid and i.source_id = ${request.sourceId}::uuid
          and c.erased_at is null and coalesce(i.attributes->>'created_from', '') <> 'order_lines'
          and not (i.external_id = any(${arrayParam(keys, "text")}))
        order by i.external_id limit 5`,
  );
  return { count: rows[0]?.total ?? 0, sample: rows.map((r) => r.external_id) };
}
