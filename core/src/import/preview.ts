import type { ImportEntity } from "../mapping/canonical-fields.ts";
import { type Mapping, resolveMapping } from "../mapping/mapping.ts";
import type { Anomaly } from "../quality/anomaly-catalogue.ts";
import {
  emptyQualityState,
  mappingConfidenceOf,
  type QualityBreakdown,
  qualityOf,
} from "../quality/score.ts";
import type { TableRow } from "../read/table.ts";
import type { CanonicalRecord, RejectReason } from "./build-record.ts";
import { createColumnFormatLearner } from "./column-formats.ts";
import { createRowProcessor } from "./process-rows.ts";

export interface PreviewRow {
  line: number;
  raw: Record<string, string>;
  /** The record as it would be saved, or null when the row would be rejected. */
  normalized: CanonicalRecord | null;
  rejected: RejectReason[];
  /** Per field (null: the whole row), what is wrong with it. */
  issues: Anomaly[];
}

export interface Preview {
  rows: PreviewRow[];
  quality: QualityBreakdown;
  anomalies: Record<Anomaly["severity"], number>;
}

/**
 * What importing these rows with this mapping would give, row by row, raw beside normalised, with
 * the issues of each cell, the quality score and the anomalies: the same code path as the import,
 * without writing anything. Fast enough to recompute as staff edit the mapping.
 */
export function previewImport(
  entity: ImportEntity,
  columns: string[],
  rows: TableRow[],
  mapping: Mapping,
  today: string,
  confidences: Record<string, number> = {},
  /** As the import reads the same file (see `createColumnFormatLearner`). */
  formatOptions: { poolDecimals?: boolean } = {},
): Preview {
  const fields = resolveMapping(mapping, columns);
  const learner = createColumnFormatLearner(entity, fields, formatOptions);
  for (const row of rows) learner.add(row.values);
  const quality = emptyQualityState();
  const processor = createRowProcessor({
    entity,
    fields,
    formats: { ...learner.result(), columns },
    today,
    quality,
  });
  const anomalies = { critical: 0, high: 0, medium: 0, low: 0 };
  const previewRows = rows.map((row): PreviewRow => {
    const processed = processor.process(row);
    for (const a of processed.anomalies) anomalies[a.severity]++;
    return {
      line: row.line,
      raw: Object.fromEntries(columns.map((column, i) => [column, row.values[i] ?? ""])),
      normalized: processed.accepted ? processed.record : null,
      rejected: processed.accepted ? [] : processed.reasons,
      issues: processed.anomalies,
    };
  });
  const confidence = mappingConfidenceOf(entity, {
    ...Object.fromEntries(Object.keys(mapping.fields).map((k) => [k, 1])),
    ...confidences,
  });
  return { rows: previewRows, quality: qualityOf(quality, confidence), anomalies };
}
