export * from "./errors/app-error.ts";
export { describeIssues } from "./errors/zod-issues.ts";
export type { Clock } from "./ports/clock.ts";
export type { BlobStore, BlobInfo } from "./ports/blob-store.ts";
export type { JobQueue, JobMessage, JobKind, JobHandler } from "./ports/job-queue.ts";
export { isUuid } from "./ids.ts";
export { sniffFileKind, type FileKind } from "./read/file-kind.ts";
export type { Table, TableInfo, TableRow, ReadOptions } from "./read/table.ts";
export { encodings, type Encoding } from "./read/encoding.ts";
export { parseNumber, inferDecimalSeparator, type DecimalSeparator } from "./parse/number.ts";
export { parseDate, inferDateFormat, type DateFormat } from "./parse/date.ts";
export {
  canonicalFields,
  importEntities,
  type ImportEntity,
  type CanonicalField,
} from "./mapping/canonical-fields.ts";
export { Mapping, resolveMapping, type ResolvedField } from "./mapping/mapping.ts";
export { normalizeHeader } from "./mapping/normalize-header.ts";
export { LOW_CONFIDENCE, uncertainFields } from "./mapping/uncertain-fields.ts";
export type {
  BuiltRecord,
  CanonicalRecord,
  ColumnFormats,
  RejectReason,
} from "./import/build-record.ts";
export { createColumnFormatLearner } from "./import/column-formats.ts";
export {
  Transformation,
  transformationCatalogue,
  type TransformationKind,
} from "./normalize/transformation-schema.ts";
export { normalizeEmail, suggestEmail } from "./normalize/email.ts";
export { normalizePostalCode } from "./normalize/postal-code.ts";
export { toCountryCode } from "./normalize/country.ts";
export { sizeFromLabel, vintageFromLabel } from "./normalize/wine-label.ts";
export { customerNamedOnASale, splitFullName } from "./normalize/person-name.ts";
export { stripLegalForm } from "./normalize/company.ts";
export {
  guessProductKind,
  productKinds,
  type KindGuess,
  type ProductKind,
} from "./normalize/product-kind.ts";
export {
  suggestMapping,
  headerSignature,
  columnTypesAccepted,
  FUZZY_THRESHOLD,
  type FieldSuggestion,
  type MappingSuggestion,
  type SavedMapping,
} from "./mapping/suggest-mapping.ts";
export { detectColumnType, type ColumnValueType } from "./mapping/detect-column-type.ts";
export type { ProcessedRow } from "./import/process-rows.ts";
export {
  anomaly,
  anomalyCatalogue,
  anomalyGroupLabel,
  type Anomaly,
  type AnomalyCode,
  type Severity,
} from "./quality/anomaly-catalogue.ts";
export {
  emptyQualityState,
  qualityOf,
  mappingConfidenceOf,
  scoreRecord,
  type QualityState,
  type QualityBreakdown,
} from "./quality/score.ts";
export { checkRecord } from "./quality/check-record.ts";
export type { Preview, PreviewRow } from "./import/preview.ts";
export {
  matchCustomers,
  scorePair,
  AUTO_MERGE_SCORE,
  REVIEW_SCORE,
  type MatchCandidate,
  type MatchPair,
} from "./identity/match-customers.ts";
export {
  buildInteractions,
  rowOf,
  dayNumber,
  isoDay,
  type Interactions,
  type Purchase,
  type Weighting,
} from "./recommend/interactions.ts";
export { topK, type Model, type Scored, type Recommender } from "./recommend/recommender.ts";
export { fitPopularity } from "./recommend/popularity.ts";
export { fitItemKnn, type ItemKnnOptions } from "./recommend/item-knn.ts";
export { fitEase, EASE_MAX_ITEMS } from "./recommend/ease.ts";
export { fitRp3beta, type Rp3betaOptions } from "./recommend/rp3beta.ts";
export { rankingMetrics, catalogueCoverage, type RankingMetrics } from "./evaluate/metrics.ts";
export {
  evaluate,
  scoreModel,
  temporalSplit,
  type TemporalSplit,
  type EvaluationResult,
  type EvaluationOptions,
  type Protocol,
} from "./evaluate/evaluate.ts";
export {
  featuresOf,
  type ItemAttributes,
  NO_ATTRIBUTES,
  sharedTraits,
  type Trait,
} from "./recommend/item-attributes.ts";
export { fitContentBased } from "./recommend/content-based.ts";
export { fitRebuy } from "./recommend/rebuy.ts";
export { fitRepeat } from "./recommend/repeat.ts";
export { fitHybrid, chooseHybridWeights, type HybridPart } from "./recommend/hybrid.ts";
export {
  applyRules,
  defaultRules,
  type CampaignRules,
  type RuleContext,
  type RuleOutcome,
} from "./recommend/business-rules.ts";
export { customerList, roomForNew } from "./recommend/room-for-new.ts";
export { explain, type Explanation, type ExplainContext } from "./recommend/explain.ts";
export { isE164, safeCsvCell } from "./export/csv-cell.ts";
export {
  type Consent,
  type ContactChannel,
  type Reachable,
  refusalReason,
} from "./export/contact-refusal.ts";
export {
  computeSegments,
  tiers,
  type CustomerActivity,
  type Segment,
  type Tier,
} from "./recommend/segments.ts";
export { fitIsotonic } from "./evaluate/calibration.ts";
export {
  algorithms,
  type Algorithm,
  BACKTEST_K,
  DEFAULT_WEIGHTING,
  evidenceOf,
  fitModels,
  RP3BETA_BETAS,
  type SellableItem,
  type SourcedModel,
  trainRecommender,
  type Trained,
  type TrainOptions,
} from "./recommend/train.ts";
export {
  OdooError,
  isOdooError,
  isModelUnavailable,
  isModelUnavailableCode,
  failureFromException,
  failureFromHttpStatus,
  type OdooFailureCode,
  type OdooException,
} from "./odoo/odoo-failure.ts";
export {
  fieldsToRead,
  customFieldsOf,
  missingRequiredFields,
  confirmedOrderStates,
  POS_SOLD_STATES,
  REQUIRED_FIELDS,
  type OdooModel,
  type FieldsInfo,
  type OdooFieldInfo,
} from "./odoo/odoo-fields.ts";
export {
  flattenRecords,
  odooColumns,
  defaultOdooMappings,
  skuOfProduct,
  posLineAsSaleLine,
  posOrderAsSaleOrder,
  localDate,
  m2oId,
  type OdooRecord,
  type OdooTable,
  type FlattenContext,
} from "./odoo/odoo-rows.ts";
export {
  pageDomain,
  nextKeyset,
  odooDatetimeMinus,
  laterOf,
  PAGE_ORDER,
  CURSOR_OVERLAP_SECONDS,
  type OdooDomain,
  type Keyset,
} from "./odoo/sync-window.ts";
export type { DueSync, ScheduleProblem, SourceSchedule } from "./schedule/due-syncs.ts";
