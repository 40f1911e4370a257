import { eq, sql } from "drizzle-orm";
import {
  anomaly,
  type CanonicalRecord,
  canonicalFields,
  type ColumnFormats,
  defaultOdooMappings,
  emptyQualityState,
  type FlattenContext,
  flattenRecords,
  headerSignature,
  type ImportEntity,
  isAppError,
  type Mapping,
  odooColumns,
  type OdooRecord,
  type QualityBreakdown,
  qualityOf,
  type RejectReason,
  resolveMapping,
  type ResolvedField,
} from "@crm-reco/core";
import { createRowProcessor } from "@crm-reco/core/pipeline";
import {
  type Db,
  IMPORTED_TABLES,
  queryRows,
  refreshPlannerStatistics,
  type Tx,
} from "../adapters/db/database.ts";
import { syncRuns } from "../db/schema/index.ts";
import { loadPostalTowns } from "../import/postal-towns.ts";
import { flagPriceOutliers } from "../import/price-outliers.ts";
import { createRun, type SyncRun, type SyncTrigger, updateRun } from "../import/sync-runs.ts";
import { type Batch, upsertAnomalies, writeBatch } from "../import/write-batch.ts";
import { findMappingForHeaders, saveMappingVersion } from "../repos/mappings.ts";
import type { Services } from "../services.ts";

/** One page of Odoo records for one entity, with what must commit together with it. */
export interface SyncPage {
  records: OdooRecord[];
  context: FlattenContext;
  /** Cursor positions this page reaches (model → largest write_date read), saved with the page. */
  cursor: Record<string, string>;
  /** Writes that belong to this page (stale lines removed…), in the page's transaction. */
  alsoInTransaction?: (tx: Tx, written: CanonicalRecord[], runId: string) => Promise<number>;
  /** Writes the page's rows depend on, in its transaction before them. */
  beforeWriting?: (tx: Tx) => Promise<void>;
}

export interface EntitySync {
  entity: ImportEntity;
  /** The Odoo model the rows come from (named in the run). */
  model: string;
  customFields: string[];
  pages: () => AsyncIterable<SyncPage>;
  /** Work after the last page (deletion detection); returns rows removed. */
  finish?: (db: Db, runId: string) => Promise<number>;
}

export interface EntitySyncSummary {
  runId: string;
  entity: ImportEntity;
  model: string;
  status: "succeeded" | "partial" | "failed";
  rowsRead: number;
  rowsInserted: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  rowsRejected: number;
  /** Orders and lines removed because Odoo cancelled or deleted them. */
  rowsDeleted: number;
  mappingId: string;
  mapping: Mapping;
  qualityScore: number | null;
  quality: QualityBreakdown | null;
  anomalies: { critical: number; high: number; medium: number; low: number };
  errors: Array<{ code: string; message: string }>;
  rejectedSample: Array<{ line: number; reasons: RejectReason[] }>;
  durationMs: number;
}

export interface EntitySyncTarget {
  tenantId: string;
  sourceId: string;
  trigger: SyncTrigger;
  triggeredBy?: string;
}

/**
 * Runs one entity of an Odoo sync as a sync run, page by page, through the same mapping,
 * normalization, quality checks and batch writer as a file import. Each page commits in one
 * transaction together with the cursor it reaches: a sync stopped anywhere resumes from the last
 * committed page, and the overlap re-read is absorbed by the upserts.
 */
export async function runEntitySync(
  services: Pick<Services, "db" | "clock" | "log">,
  target: EntitySyncTarget,
  sync: EntitySync,
): Promise<EntitySyncSummary> {
  const { db } = services.db;
  const started = services.clock.now();
  const run = await createRun(
    db,
    {
      tenantId: target.tenantId,
      sourceId: target.sourceId,
      entity: sync.entity,
      trigger: target.trigger,
      triggeredBy: target.triggeredBy,
      fileName: `Odoo ${sync.model}`,
      fileChecksum: null,
    },
    started,
  );
  const log = services.log.child({ runId: run.id, entity: sync.entity, model: sync.model });
  const columns = [...odooColumns[sync.entity], ...sync.customFields];
  const { mapping, mappingId } = await chooseMapping(db, target, sync.entity, columns);
  await updateRun(db, run.id, { mappingId });
  const fields = resolveMapping(mapping, columns);
  const formats = odooFormats(sync.entity, fields, columns);
  const quality = emptyQualityState();
  const checksTowns = sync.entity === "customers";
  const check = checksTowns ? { postalTowns: await loadPostalTowns() } : {};
  const writeTarget = { ...target, runId: run.id, entity: sync.entity, fromSystem: true };
  const rejectedSample: EntitySyncSummary["rejectedSample"] = [];
  let deleted = 0;
  let failure: { code: string; message: string } | null = null;

  try {
    for await (const page of sync.pages()) {
      const table = flattenRecords(sync.entity, page.records, sync.customFields, page.context);
      // A fresh processor per page: a record changed between pages comes back as a newer
      // version of itself, not as a duplicate within the source.
      const processor = createRowProcessor({
        entity: sync.entity,
        fields,
        formats,
        today: started.toISOString().slice(0, 10),
        quality,
        check,
      });
      const batch: Batch = {
        accepted: [],
        superseded: 0,
        rejected: [],
        anomalies: [],
        lastLine: 0,
        quality,
      };
      for (const row of table.rows) {
        const processed = processor.process({
          line: row.id,
          values: row.values,
          extra: [],
          cells: row.values,
        });
        if (processed.accepted) batch.accepted.push(processed.record);
        else {
          const raw = JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, row.values[i]])));
          batch.rejected.push({ line: row.id, raw, reasons: processed.reasons });
          if (rejectedSample.length < 20)
            rejectedSample.push({ line: row.id, reasons: processed.reasons });
        }
        for (const a of processed.anomalies)
          batch.anomalies.push({ key: processed.key, line: row.id, anomaly: a });
        batch.lastLine = Math.max(batch.lastLine, row.id);
      }
      await writeBatch(
        db,
        writeTarget,
        { ...batch, quality: { ...quality } },
        async (tx) => {
          deleted += (await page.alsoInTransaction?.(tx, batch.accepted, run.id)) ?? 0;
          await saveCursor(tx, target.sourceId, page.cursor);
        },
        page.beforeWriting,
      );
      log.debug({ records: page.records.length, cursor: page.cursor }, "page committed");
    }
    deleted += (await sync.finish?.(db, run.id)) ?? 0;
  } catch (error) {
    if (!isAppError(error)) {
      log.error({ err: error }, "odoo sync crashed");
      await updateRun(db, run.id, {
        status: "failed",
        errorCode: "sync.crashed",
        errorMessage:
          "The sync stopped on an unexpected error; it resumes from the last page saved.",
        finishedAt: services.clock.now(),
        durationMs: services.clock.now().getTime() - started.getTime(),
      });
      throw error;
    }
    failure = { code: error.code, message: error.message };
    log.warn({ code: error.code }, "odoo sync failed");
    await db.transaction((tx) =>
      upsertAnomalies(tx, writeTarget, [
        {
          key: `odoo:${sync.model}`,
          line: null,
          anomaly: anomaly("sync.failed", null, `${sync.model} — ${error.message}`),
        },
      ]),
    );
  }

  await refreshPlannerStatistics(db, IMPORTED_TABLES);
  if (!failure && sync.entity === "order_lines") await flagPriceOutliers(db, writeTarget);
  const done = await findRun(db, run.id);
  const breakdown = done.rowsRead > 0 ? qualityOf(quality, 1) : null;
  const allRejected = done.rowsRead > 0 && done.rowsRejected === done.rowsRead;
  const status =
    failure || allRejected ? "failed" : done.rowsRejected > 0 ? "partial" : "succeeded";
  const finished = await updateRun(db, run.id, {
    status,
    qualityScore: breakdown?.score ?? null,
    errorCode: failure?.code ?? (allRejected ? "import.all_rejected" : null),
    errorMessage:
      failure?.message ??
      (allRejected ? "No record could be imported: see the rejected rows." : null),
    progress: { ...(done.progress as object), rowsDeleted: deleted },
    finishedAt: services.clock.now(),
    durationMs: services.clock.now().getTime() - started.getTime(),
  });
  log.info({ status, rowsRead: finished.rowsRead, rowsDeleted: deleted }, "odoo sync finished");
  return {
    runId: run.id,
    entity: sync.entity,
    model: sync.model,
    status,
    rowsRead: finished.rowsRead,
    rowsInserted: finished.rowsInserted,
    rowsUpdated: finished.rowsUpdated,
    rowsUnchanged: finished.rowsUnchanged,
    rowsRejected: finished.rowsRejected,
    rowsDeleted: deleted,
    mappingId,
    mapping,
    qualityScore: breakdown?.score ?? null,
    quality: breakdown,
    anomalies: await anomalyCounts(db, run.id),
    errors: finished.errorCode
      ? [{ code: finished.errorCode, message: finished.errorMessage ?? "" }]
      : [],
    rejectedSample,
    durationMs: finished.durationMs ?? 0,
  };
}

/** The estate's saved mapping for these Odoo columns, else the default one; saved as a version. */
async function chooseMapping(
  db: Db,
  target: EntitySyncTarget,
  entity: ImportEntity,
  columns: string[],
): Promise<{ mapping: Mapping; mappingId: string }> {
  const signature = headerSignature(columns);
  const saved = await findMappingForHeaders(
    db,
    target.tenantId,
    target.sourceId,
    entity,
    signature,
  );
  const mapping: Mapping = {
    entity,
    fields: (saved?.fields as Mapping["fields"] | undefined) ?? defaultOdooMappings[entity],
  };
  resolveMapping(mapping, columns);
  const version = await saveMappingVersion(db, {
    tenantId: target.tenantId,
    sourceId: target.sourceId,
    entity,
    headerSignature: signature,
    fields: mapping.fields,
    createdBy: target.triggeredBy,
  });
  return { mapping, mappingId: version.id };
}

/** Odoo's JSON is unambiguous: ISO dates, a point for decimals, whatever the estate's locale. */
function odooFormats(
  entity: ImportEntity,
  fields: ResolvedField[],
  columns: string[],
): ColumnFormats {
  const types = new Map(canonicalFields[entity].map((f) => [f.key, f.type]));
  const dateFormat = new Map<number, "ymd">();
  const decimal = new Map<number, ".">();
  for (const f of fields) {
    const type = types.get(f.key);
    if (type === "date") dateFormat.set(f.column, "ymd");
    if (type === "number" || type === "integer") decimal.set(f.column, ".");
  }
  return { dateFormat, decimal, columns };
}

async function saveCursor(tx: Tx, sourceId: string, cursor: Record<string, string>) {
  if (Object.keys(cursor).length === 0) return;
  await tx.execute(
    sql`update sources set cursor = cursor || ${JSON.stringify(cursor)}::jsonb, updated_at = now() where id = ${sourceId}::uuid`,
  );
}

/** The run as committed so far (drizzle parses its jsonb progress on every driver). */
async function findRun(db: Db, runId: string): Promise<SyncRun> {
  const [run] = await db.select().from(syncRuns).where(eq(syncRuns.id, runId));
  return run!;
}

async function anomalyCounts(db: Db, runId: string) {
  const counts = await queryRows<{ severity: keyof EntitySyncSummary["anomalies"]; n: number }>(
    db,
    sql`select severity, count(*)::int as n from anomalies where sync_run_id = ${runId}::uuid group by severity`,
  );
  const anomalies = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const row of counts) anomalies[row.severity] = row.n;
  return anomalies;
}
