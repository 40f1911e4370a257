import type { ImportEntity } from "../mapping/canonical-fields.ts";
import type { ResolvedField } from "../mapping/mapping.ts";
import { type Anomaly, anomaly, anomalyCatalogue } from "../quality/anomaly-catalogue.ts";
import { type CheckContext, checkRecord, usefulFields } from "../quality/check-record.ts";
import { normalizeRecord } from "../quality/normalize-record.ts";
import {
  addRecordQuality,
  addRejectedRow,
  type QualityState,
  scoreRecord,
} from "../quality/score.ts";
import type { TableRow } from "../read/table.ts";
import {
  buildRecord,
  type CanonicalRecord,
  type ColumnFormats,
  type RejectReason,
} from "./build-record.ts";
import { createLineKeyer } from "./line-keys.ts";

const EVERY_USEFUL_FIELD: ReadonlySet<string> = new Set(usefulFields.customers);

export type ProcessedRow =
  | { accepted: true; line: number; key: string; record: CanonicalRecord; anomalies: Anomaly[] }
  | { accepted: false; line: number; key: string; reasons: RejectReason[]; anomalies: Anomaly[] };

/** The natural key of a record within its source: what anomalies and upserts are keyed on. */
export const recordKeyOf = (entity: ImportEntity, record: CanonicalRecord): string =>
  entity === "customers"
    ? String(record.external_id)
    : entity === "products"
      ? String(record.sku)
      : `${record.document_number}/${record.line_key}`;

/**
 * Where each customer's (or wine's) last row in a file is, found in a pass before the import: a
 * file that lists one customer on several rows (an export with a row per order, in date order)
 * describes them as their last row does. Rows written one by one would each overwrite the one
 * before, and every re-import of the same file would flip such customers back and forth and
 * report updates where nothing changed; only each key's last row is written, the others count
 * as unchanged. Order lines are keyed per line and never superseded.
 */
export function createLastRowFinder(options: {
  entity: ImportEntity;
  fields: ResolvedField[];
  formats: ColumnFormats;
}) {
  const { entity, fields, formats } = options;
  const lastLine = new Map<string, number>();
  return {
    add(row: TableRow): void {
      // The key is read as built: normalising leaves a customer's code and a wine's sku as they
      // are, and would parse every phone and e-mail of the file a second time for nothing.
      const built = buildRecord(entity, fields, row.values, row.extra, formats);
      if (built.ok) lastLine.set(recordKeyOf(entity, built.record), row.line);
    },
    /** Every key the file holds on a row that could be read. */
    keys(): IterableIterator<string> {
      return lastLine.keys();
    },
    /** Whether a later row of the file holds this key (a row the finder never saw: no). */
    isSuperseded(key: string, line: number): boolean {
      return (lastLine.get(key) ?? line) > line;
    },
  };
}

/**
 * Turns each table row into a normalised canonical record with its anomalies and quality, or
 * into a rejection with its reasons, keeping the file-level state a person reading top to bottom
 * would: keys already seen (duplicates), occurrences of a wine within an invoice (line keys).
 */
export function createRowProcessor(options: {
  entity: ImportEntity;
  fields: ResolvedField[];
  formats: ColumnFormats;
  today: string;
  quality: QualityState;
  /** Reference data the checks may use (the towns of a postal code). */
  check?: CheckContext;
}) {
  const { entity, fields, formats, today, quality } = options;
  const mapped = new Set(fields.map((f) => f.key));
  if (mapped.has("mobile")) mapped.add("phone");
  if (mapped.has("full_name")) mapped.add("last_name").add("first_name");
  const lineKey = entity === "order_lines" ? createLineKeyer() : undefined;
  // Customers and products are a few thousand per estate: remembering their keys, and what each
  // one's last row said, is cheap.
  const seen = entity === "order_lines" ? undefined : new Map<string, string>();

  return {
    /** Replays a row already committed by an interrupted run: only the file-level state moves. */
    replay(row: TableRow): void {
      const built = buildRecord(entity, fields, row.values, row.extra, formats);
      if (!built.ok) return;
      if (lineKey) lineKey(built.record);
      seen?.set(
        recordKeyOf(entity, built.record),
        JSON.stringify(normalizeRecord(entity, built.record).record),
      );
    },

    process(row: TableRow): ProcessedRow {
      const built = buildRecord(entity, fields, row.values, row.extra, formats);
      if (!built.ok) {
        addRejectedRow(quality);
        const summary = built.reasons.map((r) => r.message).join("; ");
        const rejected = anomaly("row.rejected", null, summary);
        rejected.message.fr = anomalyCatalogue["row.rejected"].fr.replace(
          "{value}",
          built.reasons.map((r) => r.messageFr).join(" ; "),
        );
        return {
          accepted: false,
          line: row.line,
          key: `line:${row.line}`,
          reasons: built.reasons,
          anomalies: [rejected],
        };
      }
      if (lineKey) {
        const keys = lineKey(built.record);
        built.record.line_key = keys.lineKey;
        // In a file with line numbers (even a row whose number is blank), kept beside them: the
        // line imported earlier from a file without them is found by it.
        if (mapped.has("line_number")) built.record.product_line_key = keys.productKey;
      }
      const { record, anomalies } = normalizeRecord(entity, built.record);
      anomalies.push(...checkRecord(entity, record, mapped, today, options.check));
      const key = recordKeyOf(entity, record);
      const said = JSON.stringify(record);
      const before = seen?.get(key);
      const duplicate = before !== undefined;
      seen?.set(key, said);
      // Only the last row of a key is kept: rows that differ lose what the earlier ones said (an
      // export with one row per order repeats its customers as they are, and loses nothing).
      if (duplicate && before !== said)
        anomalies.push(
          entity === "customers"
            ? anomaly("customer.duplicate_in_source", "external_id", key)
            : anomaly("product.duplicate_in_source", "sku", key),
        );
      const recordQuality = scoreRecord(entity, record, anomalies, mapped);
      addRecordQuality(quality, recordQuality, duplicate);
      // The customer's own score judges the record, not the file: a field the file has no column
      // for is missing from the customer all the same (a nameless, contactless buyer of the US
      // winery's order file scored 100 and read "fiche complète").
      if (entity === "customers")
        record.quality_score = scoreRecord(entity, record, anomalies, EVERY_USEFUL_FIELD).score;
      return { accepted: true, line: row.line, key, record, anomalies };
    },
  };
}
