import type { CanonicalRecord } from "../import/build-record.ts";
import { canonicalFields, type ImportEntity } from "../mapping/canonical-fields.ts";
import type { Anomaly } from "./anomaly-catalogue.ts";
import { usefulFieldsOf } from "./check-record.ts";

/** Anomalies that say a value is wrong (validity) rather than that values disagree (consistency). */
const VALIDITY = new Set([
  "email.invalid",
  "phone.invalid",
  "postal_code.invalid",
  "postal_code.unknown",
  "country.unknown",
  "date.future",
  "vintage.future",
]);
const CONSISTENCY = new Set([
  "order_line.total_mismatch",
  "order_line.negative_quantity",
  "price.outlier",
  "price.vat_mismatch",
  "postal_code.city_mismatch",
]);

export interface RecordQuality {
  score: number;
  completeness: number;
  validity: number;
  consistency: number;
}

/**
 * One record's quality, 0-100 (the formula is in docs/quality.md):
 * completeness = ½ × required fields present + ½ × useful fields present (among those mapped);
 * validity = share of filled fields with no validity anomaly;
 * consistency = 1, less ½ per consistency anomaly (never below 0);
 * score = 100 × (0.4 completeness + 0.35 validity + 0.25 consistency).
 */
export function scoreRecord(
  entity: ImportEntity,
  record: CanonicalRecord,
  anomalies: Anomaly[],
  mappedFields: ReadonlySet<string>,
): RecordQuality {
  const required = canonicalFields[entity].filter((f) => f.required).map((f) => f.key);
  const useful = usefulFieldsOf(entity, record).filter((f) => mappedFields.has(f));
  const present = (key: string) =>
    record[key] !== null && record[key] !== undefined && record[key] !== "";
  const share = (keys: string[]) =>
    keys.length === 0 ? 1 : keys.filter(present).length / keys.length;
  const completeness = 0.5 * share(required) + 0.5 * share(useful);
  const filled = Object.keys(record).filter(present).length;
  const invalid = new Set(anomalies.filter((a) => VALIDITY.has(a.code)).map((a) => a.field)).size;
  const validity = filled === 0 ? 0 : Math.max(0, 1 - invalid / filled);
  const consistency = Math.max(
    0,
    1 - 0.5 * anomalies.filter((a) => CONSISTENCY.has(a.code)).length,
  );
  const score =
    Math.round(100 * (0.4 * completeness + 0.35 * validity + 0.25 * consistency) * 10) / 10;
  return { score, completeness, validity, consistency };
}

export interface QualityBreakdown {
  score: number;
  rows: number;
  rejectedShare: number;
  completeness: number;
  validity: number;
  consistency: number;
  uniqueness: number;
  mappingConfidence: number;
}

/** Running sums of a file's quality; saved with the run's progress so a resumed run scores all rows. */
export interface QualityState {
  rows: number;
  rejected: number;
  duplicates: number;
  score: number;
  completeness: number;
  validity: number;
  consistency: number;
}

export const emptyQualityState = (): QualityState => ({
  rows: 0,
  rejected: 0,
  duplicates: 0,
  score: 0,
  completeness: 0,
  validity: 0,
  consistency: 0,
});

export function addRecordQuality(
  state: QualityState,
  quality: RecordQuality,
  duplicate: boolean,
): void {
  state.rows++;
  if (duplicate) state.duplicates++;
  state.score += quality.score;
  state.completeness += quality.completeness;
  state.validity += quality.validity;
  state.consistency += quality.consistency;
}

export function addRejectedRow(state: QualityState): void {
  state.rows++;
  state.rejected++;
}

/**
 * A file's (or a mapping's) quality from its rows:
 * rows = mean record score, a rejected row counting 0;
 * score = 0.75 × rows + 15 × uniqueness (share of rows whose key is not repeated) + 10 × the
 * mapping's confidence (mean over the entity's required and mapped fields).
 */
export function qualityOf(state: QualityState, mappingConfidence: number): QualityBreakdown {
  const mean = (value: number) => (state.rows === 0 ? 0 : value / state.rows);
  const uniqueness = state.rows === 0 ? 1 : 1 - state.duplicates / state.rows;
  const score =
    state.rows === 0
      ? 0
      : Math.round((0.75 * mean(state.score) + 15 * uniqueness + 10 * mappingConfidence) * 10) / 10;
  return {
    score,
    rows: state.rows,
    rejectedShare: mean(state.rejected),
    completeness: mean(state.completeness),
    validity: mean(state.validity),
    consistency: mean(state.consistency),
    uniqueness,
    mappingConfidence,
  };
}

/** The mapping's own confidence: mean over required and mapped fields, an unmapped required one counting 0. */
export function mappingConfidenceOf(
  entity: ImportEntity,
  confidences: Record<string, number>,
): number {
  const keys = new Set([
    ...canonicalFields[entity].filter((f) => f.required).map((f) => f.key),
    ...Object.keys(confidences),
  ]);
  const values = [...keys].map((k) => confidences[k] ?? 0);
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
