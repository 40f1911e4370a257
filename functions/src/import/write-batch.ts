import { sql } from "drizzle-orm";
import type {
  Anomaly,
  CanonicalRecord,
  ImportEntity,
  QualityState,
  RejectReason,
} from "@crm-reco/core";
import { arrayParam, type Db, type Tx } from "../adapters/db/database.ts";
import { addCounts, type BatchCounts, lastOfEachKey, splitOnRepeatedKeys } from "./batch.ts";
import { recordBatch } from "./sync-runs.ts";
import { writeCustomers } from "./write-customers.ts";
import { writeOrderLines } from "./write-order-lines.ts";
import { writeProducts } from "./write-products.ts";

export interface KeyedAnomaly {
  key: string;
  line: number | null;
  anomaly: Anomaly;
}

export interface Batch {
  accepted: CanonicalRecord[];
  /** Rows a later row of the file replaces (the same customer or wine): counted unchanged. */
  superseded: number;
  rejected: Array<{ line: number; raw: string; reasons: RejectReason[] }>;
  anomalies: KeyedAnomaly[];
  lastLine: number;
  /** The run's quality sums once this batch is in: saved with its progress. */
  quality: QualityState;
}

export interface WriteTarget {
  tenantId: string;
  sourceId: string;
  runId: string;
  entity: ImportEntity;
  /**
   * Records read whole from a connected system (Odoo), not from a file: an empty value is a field
   * cleared there (in a file, an empty cell changes nothing), and the system's own records say
   * who its customers are (a sale to someone else is no customer file's omission).
   */
  fromSystem?: boolean;
}

type Writer = (
  tx: Tx,
  target: WriteTarget,
  records: CanonicalRecord[],
) => Promise<BatchCounts & { anomalies?: KeyedAnomaly[] }>;

/**
 * Each entity's writer, and how a batch is cut into parts with no key repeated: `superseded` rows
 * are those a later row of the same key replaces before anything is written (counted unchanged).
 */
const writers: Record<
  ImportEntity,
  {
    parts: (records: CanonicalRecord[]) => { parts: CanonicalRecord[][]; superseded: number };
    write: Writer;
  }
> = {
  customers: {
    parts: (records) => onePart(lastOfEachKey(records, (r) => String(r.external_id))),
    write: (tx, t, records) => writeCustomers(tx, t.tenantId, t.sourceId, records),
  },
  products: {
    parts: (records) => onePart(lastOfEachKey(records, (r) => String(r.sku))),
    write: (tx, t, records) => writeProducts(tx, t.tenantId, records, t.fromSystem ?? false),
  },
  order_lines: {
    // Lines of one invoice share its order: applied strictly in file order.
    parts: (records) => ({
      parts: splitOnRepeatedKeys(records, (r) => `${r.document_number}\u0000${r.line_key}`),
      superseded: 0,
    }),
    write: (tx, t, records) =>
      writeOrderLines(tx, t.tenantId, t.sourceId, records, {
        reportUnknownCustomers: !t.fromSystem,
      }),
  },
};

const onePart = ({ records, superseded }: ReturnType<typeof lastOfEachKey>) => ({
  parts: records.length > 0 ? [records] : [],
  superseded,
});

/**
 * Commits one batch in one transaction: the records, the rejected rows, the anomalies found, and
 * the run's counts and progress. Either all of it is there after a crash, or none of it.
 */
export async function writeBatch(
  db: Db,
  target: WriteTarget,
  batch: Batch,
  /** More work that must commit with the batch or not at all (an Odoo sync's cursor). */
  alsoInTransaction?: (tx: Tx) => Promise<void>,
  /** Work the batch's writes depend on, in the same transaction (a product's new code). */
  beforeWriting?: (tx: Tx) => Promise<void>,
): Promise<BatchCounts & { read: number; rejected: number; lastLine: number }> {
  return db.transaction(async (tx) => {
    await beforeWriting?.(tx);
    const { parts, superseded } = writers[target.entity].parts(batch.accepted);
    let counts: BatchCounts = { inserted: 0, updated: 0, unchanged: superseded + batch.superseded };
    const anomalies = [...batch.anomalies];
    for (const part of parts) {
      const written = await writers[target.entity].write(tx, target, part);
      counts = addCounts(counts, written);
      anomalies.push(...(written.anomalies ?? []));
    }
    await insertRejected(tx, target, batch.rejected);
    await upsertAnomalies(tx, target, anomalies);
    const totals = {
      ...counts,
      read: batch.accepted.length + batch.rejected.length + batch.superseded,
      rejected: batch.rejected.length,
      lastLine: batch.lastLine,
    };
    await recordBatch(tx, target.runId, totals, batch.quality);
    await alsoInTransaction?.(tx);
    return totals;
  });
}

async function insertRejected(tx: Tx, target: WriteTarget, rows: Batch["rejected"]) {
  if (rows.length === 0) return;
  await tx.execute(
    sql`insert into rejected_rows (tenant_id, sync_run_id, line_number, raw, reasons)
        select ${target.tenantId}::uuid, ${target.runId}::uuid, u.line, u.raw, u.reasons::jsonb
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

/**
 * Records anomalies against their record, field and code: importing the same file again updates
 * them instead of piling up copies; one staff ignored stays ignored; one marked resolved that the
 * data still shows is opened again.
 */
export async function upsertAnomalies(tx: Tx, target: WriteTarget, anomalies: KeyedAnomaly[]) {
  if (anomalies.length === 0) return;
  const unique = new Map(
    anomalies.map((a) => [`${a.key}\u0000${a.anomaly.field}\u0000${a.anomaly.code}`, a]),
  );
  const rows = [...unique.values()];
  const column = <T>(pick: (a: KeyedAnomaly) => T, type: string) =>
    arrayParam(rows.map(pick), type);
  await tx.execute(
    sql`insert into anomalies (tenant_id, source_id, sync_run_id, entity, record_key, line_number, field, code, severity, details)
        select ${target.tenantId}::uuid, ${target.sourceId}::uuid, ${target.runId}::uuid, ${target.entity}, u.record_key, u.line, u.field, u.code, u.severity, u.details::jsonb
        from unnest(${column((a) => a.key, "text")}, ${column((a) => a.line, "int")}, ${column((a) => a.anomaly.field, "text")}, ${column((a) => a.anomaly.code, "text")},
                    ${column((a) => a.anomaly.severity, "text")}, ${column((a) => JSON.stringify({ value: a.anomaly.value, message: a.anomaly.message }), "text")})
             as u(record_key, line, field, code, severity, details)
        on conflict on constraint anomalies_identity_uq do update
          set sync_run_id = excluded.sync_run_id, line_number = excluded.line_number, severity = excluded.severity, details = excluded.details,
              status = case when anomalies.status = 'resolved' then 'open' else anomalies.status end, updated_at = now()`,
  );
}
