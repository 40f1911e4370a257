/** The one typed client the web app uses; it speaks only to the public HTTP API. */
import { type ProductKind, productKinds } from "@crm-reco/core/normalize/product-kinds";
import { type Tier, tiers } from "@crm-reco/core/recommend/segments";

export interface Health {
  status: "ok" | "degraded";
  version: string;
  database: { ok: boolean; driver: "pglite" | "pg" | "neon"; latencyMs: number; error?: string };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The session's CSRF token: every write made with the session cookie echoes it. */
let csrfToken: string | null = null;

async function request<T>(
  path: string,
  init?: RequestInit,
  acceptStatuses: number[] = [],
): Promise<T> {
  let response: Response;
  const write = init?.method !== undefined && init.method !== "GET";
  try {
    response = await fetch(path, {
      ...init,
      headers: {
        accept: "application/json",
        ...(init?.body !== undefined ? { "content-type": "application/json" } : {}),
        ...(write && csrfToken ? { "x-csrf-token": csrfToken } : {}),
        ...init?.headers,
      },
    });
  } catch {
    throw new ApiError(0, "network.unreachable", "The server cannot be reached.");
  }
  const body = response.status === 204 ? undefined : await response.json().catch(() => undefined);
  if (!response.ok && !acceptStatuses.includes(response.status)) {
    const error = (body as { error?: { code: string; message: string } } | undefined)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? "http.error",
      error?.message ?? response.statusText,
    );
  }
  return body as T;
}

export type Role = "viewer" | "editor" | "admin";
export interface Me {
  email: string | null;
  role: Role;
  estate: { slug: string; name: string };
  csrfToken: string | null;
  /** The language the person chose, remembered across devices (null for an API key). */
  locale: "fr" | "en" | null;
}

export type RecommendationStatus = "pending" | "approved" | "rejected" | "exported";
export interface Recommendation {
  id: string;
  customer: { id: string; name: string; code: string | null };
  product: { id: string; sku: string; name: string };
  algorithm: string;
  rank: number;
  confidence: number;
  /** The confidence is of a purchase within this many days (180, fewer for a short history). */
  confidenceHorizonDays: number;
  customerQualityScore: number | null;
  explanation: { fr: string; en: string; fallback: boolean };
  status: RecommendationStatus;
  rejectReason: string | null;
  feedback: { count: number; meanRating: number | null };
  /** Why the customer cannot be written to by e-mail (no_email, invalid_email, opted_out, no_consent), or null. */
  emailRefusal: string | null;
  decidedAt?: string | null;
  campaignId?: string | null;
  createdAt?: string;
}
export type RecommendationSort = "confidence" | "customer" | "product" | "date";
export interface RecommendationQuery {
  status?: RecommendationStatus;
  algorithm?: string;
  /** 0-1 */
  minConfidence?: number;
  campaignId?: string;
  customer?: string;
  product?: string;
  kind?: CustomerKind;
  tier?: Tier;
  sort?: RecommendationSort;
  order?: "asc" | "desc";
  limit: number;
  offset: number;
}
export interface RecommendationFacets {
  algorithms: string[];
  campaigns: Array<{ id: string; name: string }>;
}
export interface RecommendationContext {
  customer: {
    id: string;
    name: string;
    code: string | null;
    kind: "private" | "trade" | null;
    tier: string | null;
    qualityScore: number | null;
    lastOrderOn: string | null;
    orders: number;
  };
  purchases: Array<{
    orderDate: string;
    documentNumber: string | null;
    sku: string | null;
    product: string | null;
    quantity: number;
    total: number | null;
  }>;
  candidates: Array<{
    id: string;
    product: { id: string; sku: string; name: string };
    algorithm: string;
    rank: number;
    confidence: number;
    status: RecommendationStatus;
  }>;
  feedback: Array<{
    by: string | null;
    rating: number;
    comment: string | null;
    createdAt: string;
    updatedAt: string;
  }>;
}
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
export interface Dashboard {
  customers: number;
  products: number;
  orders: number;
  sources: number;
  /** The last 24 months, oldest first ("YYYY-MM"), months without orders included. */
  ordersByMonth: Array<{ month: string; orders: number; amount: number }>;
  openAnomalies: Record<string, number>;
  recommendations: Record<string, number>;
  approval: { rate: number | null; approved: number; decided: number };
  averageFeedback: number | null;
  feedbackCount: number;
  lastSyncs: Array<{
    sourceId: string;
    sourceName: string;
    kind: "file" | "odoo";
    schedule: string | null;
    run: {
      id: string;
      status: string;
      entity: string | null;
      fileName: string | null;
      startedAt: string;
      finishedAt: string | null;
      errorMessage: string | null;
      errorCode: string | null;
    } | null;
  }>;
  needsAttention: Array<{
    kind:
      | "failed_run"
      | "high_anomalies"
      | "merge_candidates"
      | "overdue_sync"
      | "pending_recommendations";
    count: number;
    source: string | null;
    link: string;
  }>;
}

export interface ValidationReport {
  lastRun: SyncRun | null;
  rejectedByReason: Array<{ code: string; rows: number; example: { fr: string; en: string } }>;
  openAnomalies: Array<{
    code: string;
    field: string | null;
    severity: Severity;
    count: number;
    example: { fr: string; en: string };
  }>;
}
/** Jump to a row: lines of a run's file around one line, with that run's issues on them. */
export interface RunRows {
  runId: string;
  sourceId: string;
  fileName: string;
  columns: string[];
  headerLine: number;
  rows: Array<{ line: number; values: string[] }>;
  issues: Array<{
    kind: "rejected" | "anomaly";
    line: number;
    field: string | null;
    code: string;
    severity: Severity | null;
    message: { fr: string; en: string };
  }>;
}

export interface AlgorithmResult {
  algorithm: string;
  protocol: "all" | "new";
  customers: number;
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
  hitRate: number;
  coverage: number;
}
export interface AuditReport {
  lastRun: {
    id: string;
    algorithm: string;
    finishedAt: string | null;
    dataSnapshot: Record<string, unknown>;
    weights: Record<string, number> | null;
    evaluation: {
      splitDate: string;
      horizonDays: number;
      k: number;
      results: AlgorithmResult[];
    } | null;
  } | null;
  byStatus: Record<string, number>;
  approvalRate: number | null;
  meanRating: number | null;
  reviewByAlgorithm: Array<{
    algorithm: string;
    proposed: number;
    approved: number;
    rejected: number;
    approvalRate: number | null;
    ratings: number;
    meanRating: number | null;
  }>;
  feedback: Array<{
    at: string;
    by: string | null;
    rating: number;
    comment: string | null;
    product: string;
    customer: string;
  }>;
}
export interface CustomerSummary {
  id: string;
  code: string | null;
  name: string;
  email: string | null;
  city: string | null;
  kind: "private" | "trade" | null;
  tier: string | null;
  consentEmail: string;
  lastOrderOn: string | null;
  qualityScore: number | null;
}

/** The RFM tiers, in the order the lists offer them. */
export const TIERS = tiers;
export type { Tier };
export type CustomerKind = "private" | "trade";

/** The customers list's filters, as GET /api/customers takes them (and the page's URL keeps them). */
export interface CustomerFilter {
  q?: string;
  kind?: CustomerKind;
  tier?: string;
  consentEmail?: Consent;
  lastPurchaseAfter?: string;
  lastPurchaseBefore?: string;
  noPurchaseForMonths?: number;
}
export type Consent = "opt_in" | "soft_opt_in" | "opt_out" | "unknown";
export interface CustomerOrder {
  id: string;
  orderDate: string;
  documentNumber: string;
  source: string;
  channel: string | null;
  total: number | null;
  bottles: number;
  /** Its lines give back more than they sell: shown as a credit note, counted as no order. */
  creditNote: boolean;
  lines: Array<{
    sku: string | null;
    product: string;
    kind: ProductKind | null;
    quantity: number;
    unitPrice: number | null;
    total: number | null;
  }>;
}
export interface CustomerIdentity {
  source: string;
  sourceKind: string;
  externalId: string;
  mergedFrom: { customerId: string; name: string; code: string | null } | null;
}
export interface CustomerDetail extends CustomerSummary {
  /** When the estate last wrote to them, and the first day a run may propose to them again. */
  lastContact: { at: string; channel: string; nextAllowedOn: string } | null;
  civility: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  phone: string | null;
  mobile: string | null;
  addressLine1: string | null;
  postalCode: string | null;
  country: string | null;
  consents: Array<{
    channel: "email" | "post" | "phone";
    status: Consent;
    source: string | null;
    at: string | null;
  }>;
  mergedInto: string | null;
  segment: {
    recency: number;
    frequency: number;
    monetary: number;
    reorderIntervalDays: number | null;
    expectedNextOrderOn: string | null;
  } | null;
  identities: CustomerIdentity[];
  merges: Array<{
    id: string;
    customerId: string;
    name: string;
    code: string | null;
    method: "exact" | "probabilistic" | "manual";
    score: number | null;
    mergedAt: string;
  }>;
  orders: CustomerOrder[];
  recommendations: Array<{
    id: string;
    sku: string;
    product: string;
    confidence: number;
    status: RecommendationStatus;
    explanation: { fr: string; en: string };
  }>;
}
export interface MergeCandidateSide {
  id: string;
  name: string;
  email: string | null;
  city: string | null;
  code: string | null;
  phone: string | null;
  addressLine1: string | null;
  postalCode: string | null;
  kind: "private" | "trade";
  sources: string[];
  orders: number;
}
export interface MergeCandidate {
  id: string;
  score: number;
  reasons: string[];
  status: "pending" | "accepted" | "rejected";
  a: MergeCandidateSide;
  b: MergeCandidateSide;
}

export interface SyncRun {
  id: string;
  entity: string | null;
  trigger: string;
  fileName: string | null;
  status: string;
  rowsRead: number;
  rowsInserted: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  rowsRejected: number;
  qualityScore: number | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  errorMessage: string | null;
  errorCode: string | null;
}
export interface Source {
  id: string;
  name: string;
  kind: "file" | "odoo";
  /** Settings without secrets (an Odoo source: url, database, login, secretHint). */
  config: Record<string, unknown>;
  hasSecret: boolean;
  schedule: string | null;
  lastRun: SyncRun | null;
}
export interface OdooSettings {
  url: string;
  database: string;
  login: string;
}
export interface ConnectionReport {
  ok: boolean;
  protocol?: "json2" | "jsonrpc" | null;
  serverVersion?: string | null;
  checks: Array<{ check: string; ok: boolean; message: string }>;
}
export interface PushSummary {
  pushed: number;
  alreadyInOdoo: number;
  skipped: Array<{ recommendationId: string; reason: string }>;
  errors: Array<{ code: string; message: string }>;
}
export interface Job {
  id: string;
  kind: "import" | "sync" | "regenerate" | "webhook";
  status: "queued" | "running" | "succeeded" | "failed" | "dead";
  fileName?: string | null;
  createdAt?: string;
  result: Record<string, unknown> | null;
  error: { code: string | null; message: string | null } | null;
}
export type ImportEntity = "customers" | "products" | "order_lines";

export interface Anomaly {
  id: string;
  sourceId: string | null;
  syncRunId: string | null;
  entity: string | null;
  recordKey: string | null;
  lineNumber: number | null;
  field: string | null;
  code: string;
  severity: "critical" | "high" | "medium" | "low";
  details: Record<string, unknown> | null;
  status: "open" | "resolved" | "ignored";
}

/** One step of a field's transformation chain: its kind and that kind's parameters. */
export interface Transformation {
  kind: string;
  [parameter: string]: unknown;
}
/** A column, or a column with how to read it and the steps applied to it. */
export type ColumnRef =
  string | { column: string; dateFormat?: string; decimal?: string; transforms?: Transformation[] };
/** Canonical field → what feeds it. */
export type MappingFields = Record<string, ColumnRef>;
export interface MappingVersion {
  id: string;
  sourceId: string;
  entity: ImportEntity;
  version: number;
  fields: MappingFields;
  qualityScore: number | null;
  createdAt: string;
  createdBy: string | null;
}
export interface CanonicalField {
  key: string;
  type: string;
  required: boolean;
  label: { fr: string; en: string };
  /** Detected column types this field may take. */
  accepts: string[];
}
export interface TransformationKind {
  kind: string;
  label: { fr: string; en: string };
}
export interface MappingSuggestion {
  mapping: { entity: ImportEntity; fields: MappingFields };
  suggestions: Array<{ field: string; column: string; confidence: number; method: string }>;
  columnTypes: Record<string, string>;
  unmappedColumns: string[];
  missingRequired: string[];
}
export interface MappingValidation {
  valid: boolean;
  errors: Array<{ code: string; message: string; fields: string[] }>;
}
export type Severity = "critical" | "high" | "medium" | "low";
export interface CellIssue {
  code: string;
  severity: Severity;
  field: string | null;
  value: string | null;
  message: { fr: string; en: string };
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
export interface MappingPreview {
  rows: Array<{
    line: number;
    raw: Record<string, string>;
    normalized: Record<string, unknown> | null;
    rejected: Array<{ field: string; code: string; message: string }>;
    issues: CellIssue[];
  }>;
  quality: QualityBreakdown;
  anomalies: Record<Severity, number>;
}
/** A sample of a file, for the mapping editor. */
export interface FileSample {
  entity: ImportEntity;
  columns: string[];
  rows: string[][];
}
export interface SourceFilePreview {
  file: {
    name: string;
    entity: ImportEntity;
    columns: string[];
    format: string;
    encoding: string | null;
    delimiter: string | null;
    /** The first rows as read, one value per column. */
    rows: string[][];
  };
  mapping: MappingFields;
  missingRequired: string[];
  preview: MappingPreview;
}

/** Settings (admin): accounts, API keys, webhooks, campaign rules, sync schedules. */
export interface UserAccount {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  active: boolean;
  lastSignInAt: string | null;
}
export interface ApiKey {
  id: string;
  name: string;
  /** The key's first characters, to recognise it; the key itself is shown once, at creation. */
  prefix: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
export const mailingChannels = ["email", "post", "phone"] as const;
export type MailingChannel = (typeof mailingChannels)[number];
export const webhookEvents = [
  "import.finished",
  "sync.finished",
  "recommendations.generated",
  "recommendation.approved",
  "recommendation.rejected",
  "export.created",
] as const;
export type WebhookEvent = (typeof webhookEvents)[number];
export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  createdAt: string;
}
export interface WebhookDelivery {
  id: string;
  event: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  createdAt: string;
  deliveredAt: string | null;
}
export interface CampaignRules {
  perCustomer: number;
  rebuyWindowDays: number;
  contactGapDays: number;
  onlyActiveProducts: boolean;
}
export interface SourceSchedule {
  sourceId: string;
  name: string;
  /** A cron expression read in `timeZone`; null: no scheduled sync. */
  schedule: string | null;
  timeZone: string;
  nextRunAt: string | null;
  problem: string | null;
}

export type WineColor = "red" | "white" | "rose" | "sparkling" | "sweet" | "other";
/** A wine, or what else a sales line sells: only wines are recommended. */
export { productKinds, type ProductKind };
export interface Product {
  id: string;
  sku: string;
  name: string;
  cuvee: string | null;
  vintage: number | null;
  sizeMl: number | null;
  color: WineColor | null;
  appellation: string | null;
  priceInclTax: number | null;
  active: boolean;
  /** The estate's family for it (a file's "Famille", Odoo's category). */
  category: string | null;
  kind: ProductKind;
  /** Set by the staff (imports keep it); otherwise guessed from its family or name. */
  kindByStaff: boolean;
  /** Distinct customers who bought it. */
  buyers: number;
  /** Approved counts exported ones too. */
  recommendations: { pending: number; approved: number };
}
export interface ProductFilter {
  q?: string;
  color?: WineColor;
  vintage?: number;
  active?: boolean;
  kind?: ProductKind;
  limit: number;
  offset: number;
}
/** A campaign rule that keeps a customer off a wine's approved list. */
export type LeadBlock = "inactive" | "recent_purchase" | "rejected_before" | "contacted_recently";
export interface ProductLead {
  customer: {
    id: string;
    name: string;
    code: string | null;
    kind: "private" | "trade" | null;
    tier: string | null;
  };
  confidence: number;
  rankForCustomer: number;
  explanation: { fr: string; en: string; fallback: boolean };
  /** Why a mailing would leave them out (no_email, invalid_email, no_consent, opted_out); null: may be e-mailed. */
  emailRefusal: string | null;
  blockedBy: LeadBlock | null;
  recommendation: { id: string; status: RecommendationStatus } | null;
}
export interface LeadApproval {
  approved: number;
  alreadyApproved: number;
  skipped: Array<{ customerId: string; reason: LeadBlock | "not_a_lead" }>;
  withoutEmail: number;
}

const post = (body?: unknown): RequestInit => ({
  method: "POST",
  body: body === undefined ? undefined : JSON.stringify(body),
});
const withBody = (method: "PUT" | "PATCH", body: unknown): RequestInit => ({
  method,
  body: JSON.stringify(body),
});
const remember = (me: Me) => {
  csrfToken = me.csrfToken;
  return me;
};

type UploadTarget =
  | {
      method: "POST";
      url: string;
      fields: Record<string, string>;
      fileField: string;
      maxBytes: number;
    }
  | { method: "PUT"; url: string; headers: Record<string, string>; key: string; maxBytes: number };

const UPLOAD_TYPES = [
  "text/csv",
  "text/plain",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.ms-excel",
];
const uploadType = (file: File) =>
  UPLOAD_TYPES.includes(file.type) ? file.type : "application/octet-stream";

/** fetch has no upload progress; XMLHttpRequest does. Same-origin requests carry the CSRF token. */
/** What an upload cancelled by its `AbortSignal` rejects with. */
export const cancelled = () => new DOMException("The upload was cancelled.", "AbortError");

function send<T>(
  method: "POST" | "PUT",
  url: string,
  body: FormData | File,
  headers: Record<string, string>,
  expected: number,
  onProgress: (done: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const xhr = new XMLHttpRequest();
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.onabort = () => reject(cancelled());
    xhr.open(method, url);
    const sameOrigin = url.startsWith("/");
    if (sameOrigin && csrfToken) xhr.setRequestHeader("x-csrf-token", csrfToken);
    if (sameOrigin) xhr.setRequestHeader("accept", "application/json");
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      const parsed = (() => {
        try {
          return JSON.parse(xhr.responseText);
        } catch {
          return undefined;
        }
      })();
      if (xhr.status === expected) resolve(parsed as T);
      else
        reject(
          new ApiError(
            xhr.status,
            parsed?.error?.code ?? "http.error",
            parsed?.error?.message ?? xhr.statusText,
          ),
        );
    };
    xhr.onerror = () =>
      reject(new ApiError(0, "network.unreachable", "The server cannot be reached."));
    xhr.send(body);
  });
}

export const api = {
  /** 503 still carries a health report (the database is down), so it is not an error here. */
  health: () => request<Health>("/health", undefined, [503]),
  me: () => request<Me>("/api/auth/me").then(remember),
  saveLocale: (locale: "fr" | "en") =>
    request<undefined>("/api/auth/me/locale", { method: "PUT", body: JSON.stringify({ locale }) }),
  signIn: (email: string, password: string) =>
    request<Me>("/api/auth/sign-in", post({ email, password })).then(remember),
  signOut: () =>
    request<undefined>("/api/auth/sign-out", post()).then(() => {
      csrfToken = null;
    }),
  dashboard: () => request<Dashboard>("/api/dashboard"),
  recommendations: (filter: RecommendationQuery) => {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(filter))
      if (value !== undefined && value !== "") query.set(name, String(value));
    return request<Page<Recommendation>>(`/api/recommendations?${query}`);
  },
  recommendation: (id: string) => request<Recommendation>(`/api/recommendations/${id}`),
  recommendationContext: (id: string) =>
    request<RecommendationContext>(`/api/recommendations/${id}/context`),
  recommendationFacets: () => request<RecommendationFacets>("/api/recommendations/facets"),
  /** Approves or rejects the given pending recommendations at once (a rejection needs a reason). */
  reviewMany: (action: "approve" | "reject", ids: string[], reason?: string) =>
    request<{ updated: number }>("/api/recommendations/bulk", post({ action, ids, reason })),
  /** Queues a new recommendation run for everyone; follow the returned job with `job(id)`. */
  regenerate: () => request<Job>("/api/recommendations/regenerate", post({})),
  approve: (id: string) => request<Recommendation>(`/api/recommendations/${id}/approve`, post()),
  reject: (id: string, reason: string) =>
    request<Recommendation>(`/api/recommendations/${id}/reject`, post({ reason })),
  rate: (id: string, rating: number, comment: string | null) =>
    request(`/api/recommendations/${id}/feedback`, {
      method: "PUT",
      body: JSON.stringify({ rating, comment }),
    }),
  audit: () => request<AuditReport>("/api/reports/audit"),
  customers: (filter: CustomerFilter & { limit: number; offset: number }) => {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(filter))
      if (value !== undefined && value !== "") query.set(name, String(value));
    return request<Page<CustomerSummary>>(`/api/customers?${query}`);
  },
  customer: (id: string) => request<CustomerDetail>(`/api/customers/${id}`),
  /** Everything held about one person (GDPR right of access; admin), as the server gives it. */
  customerDataExport: (id: string) =>
    request<Record<string, unknown>>(`/api/customers/${id}/gdpr-export`),
  eraseCustomer: (id: string) => request<undefined>(`/api/customers/${id}/erase`, post()),
  mergeCandidates: (filter: { limit: number; offset: number }) =>
    request<Page<MergeCandidate>>(
      `/api/merge-candidates?status=pending&limit=${filter.limit}&offset=${filter.offset}`,
    ),
  decideMerge: (id: string, decision: "accept" | "reject") =>
    request<{ status: "accepted" | "rejected"; survivorId: string | null }>(
      `/api/merge-candidates/${id}/decision`,
      post({ decision }),
    ),
  sources: () => request<{ items: Source[] }>("/api/sources"),
  addSource: (name: string) => request<Source>("/api/sources", post({ name, kind: "file" })),
  addOdooSource: (name: string, config: OdooSettings, secret: string) =>
    request<Source>("/api/sources", post({ name, kind: "odoo", config, secret })),
  testSource: (id: string, lang: "fr" | "en") =>
    request<ConnectionReport>(`/api/sources/${id}/test?lang=${lang}`, post()),
  syncSource: (id: string, full: boolean) =>
    request<Job>(`/api/sources/${id}/sync`, post({ full })),
  pushToOdoo: (id: string) => request<PushSummary>(`/api/sources/${id}/push`, post({})),
  replaceOdooKey: (id: string, secret: string, login?: string) =>
    request<{ id: string; config: Record<string, unknown> }>(
      `/api/sources/${id}/credentials`,
      withBody("PUT", { secret, ...(login ? { login } : {}) }),
    ),
  runs: (sourceId: string) => request<Page<SyncRun>>(`/api/sources/${sourceId}/runs?limit=20`),
  source: (id: string) => request<Source>(`/api/sources/${id}`),
  sourceRuns: (sourceId: string, page: { limit: number; offset: number }) =>
    request<Page<SyncRun>>(
      `/api/sources/${sourceId}/runs?limit=${page.limit}&offset=${page.offset}`,
    ),
  sourceValidation: (id: string) => request<ValidationReport>(`/api/sources/${id}/validation`),
  runRows: (runId: string, line: number) =>
    request<RunRows>(`/api/runs/${runId}/rows?line=${line}&around=3`),
  job: (id: string) => request<Job>(`/api/jobs/${id}`),
  failedJobs: () => request<Page<Job>>("/api/jobs?status=failed,dead&limit=20"),
  retryJob: (id: string) => request<Job>(`/api/jobs/${id}/retry`, post()),
  /**
   * Sends a file to a source's multipart endpoint, reporting upload progress (0-1): fetch has no
   * upload progress, XMLHttpRequest does.
   */
  /**
   * Sends a file for import, reporting upload progress (0-1), and resolves with its import job.
   * The server says where: its own multipart endpoint, or (on AWS) a presigned URL of the bucket,
   * after which the job appears once the storage has announced the file. Aborting `signal` stops
   * the transfer, which then rejects with an AbortError (see `cancelled`).
   */
  upload: async (
    sourceId: string,
    entity: ImportEntity,
    file: File,
    onProgress: (done: number) => void,
    signal?: AbortSignal,
  ): Promise<Job> => {
    const target = await request<UploadTarget>(
      "/api/uploads",
      post({
        sourceId,
        entity,
        fileName: file.name,
        contentType: uploadType(file),
        sizeBytes: file.size,
      }),
    );
    if (target.method === "POST") {
      const form = new FormData();
      for (const [name, value] of Object.entries(target.fields)) form.set(name, value);
      form.set(target.fileField, file);
      return send<Job>("POST", target.url, form, {}, 202, onProgress, signal);
    }
    await send<unknown>("PUT", target.url, file, target.headers, 200, onProgress, signal);
    for (let waited = 0; ; waited += 1) {
      try {
        return await request<Job>(`/api/uploads/job?key=${encodeURIComponent(target.key)}`);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 404 || waited > 120) throw error;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  },
  anomalies: (filter: {
    status: string;
    severity?: string;
    sourceId?: string;
    code?: string;
    field?: string;
    limit: number;
    offset: number;
  }) => {
    const query = new URLSearchParams({
      status: filter.status,
      limit: String(filter.limit),
      offset: String(filter.offset),
    });
    if (filter.severity) query.set("severity", filter.severity);
    if (filter.sourceId) query.set("sourceId", filter.sourceId);
    if (filter.code) query.set("code", filter.code);
    if (filter.field) query.set("field", filter.field);
    return request<Page<Anomaly>>(`/api/anomalies?${query}`);
  },
  decideAnomaly: (id: string, status: "resolved" | "ignored" | "open") =>
    request<Anomaly>(`/api/anomalies/${id}/decision`, post({ status })),
  /** The approved recommendations as a mailing CSV; who was left out (and why) is in headers. */
  exportMailing: async (channel: MailingChannel = "email", lang: "fr" | "en" = "fr") => {
    const response = await fetch("/api/exports/mailing", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(csrfToken ? { "x-csrf-token": csrfToken } : {}),
      },
      body: JSON.stringify({ channel, delimiter: ";", lang }),
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => undefined)) as
        { error?: { code: string; message: string } } | undefined;
      throw new ApiError(
        response.status,
        body?.error?.code ?? "http.error",
        body?.error?.message ?? response.statusText,
      );
    }
    return {
      blob: await response.blob(),
      fileName:
        /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ??
        "export.csv",
      exported: Number(response.headers.get("x-exported-customers") ?? 0),
      excluded: Number(response.headers.get("x-excluded-customers") ?? 0),
      reasons: JSON.parse(response.headers.get("x-excluded-reasons") ?? "{}") as Record<
        string,
        number
      >,
    };
  },
  mappings: (filter: { sourceId?: string; entity?: ImportEntity } = {}) => {
    const query = new URLSearchParams(filter as Record<string, string>);
    return request<{ items: MappingVersion[] }>(`/api/mappings?${query}`);
  },
  mapping: (id: string) => request<MappingVersion>(`/api/mappings/${id}`),
  mappingFields: () => request<Record<ImportEntity, CanonicalField[]>>("/api/mappings/fields"),
  transformations: () => request<TransformationKind[]>("/api/mappings/transformations"),
  /** The latest file of a source for an entity: its columns and first rows, read as uploaded. */
  sourceFile: (sourceId: string, entity: ImportEntity, rows = 50) =>
    request<SourceFilePreview>(`/api/sources/${sourceId}/preview?entity=${entity}&rows=${rows}`),
  suggestMapping: (sample: FileSample & { sourceId: string }) =>
    request<MappingSuggestion>("/api/mappings/suggest", post(sample)),
  validateMapping: (body: { entity: ImportEntity; columns: string[]; fields: MappingFields }) =>
    request<MappingValidation>("/api/mappings/validate", post(body)),
  previewMapping: (body: FileSample & { fields: MappingFields }) =>
    request<MappingPreview>("/api/mappings/preview", post(body)),
  saveMapping: (body: {
    sourceId: string;
    entity: ImportEntity;
    columns: string[];
    fields: MappingFields;
  }) => request<MappingVersion>("/api/mappings", post(body)),
  approveMany: (ids: string[]) =>
    request<{ updated: number }>("/api/recommendations/bulk", post({ action: "approve", ids })),
  products: (filter: ProductFilter) => {
    const query = new URLSearchParams({
      limit: String(filter.limit),
      offset: String(filter.offset),
    });
    if (filter.q) query.set("q", filter.q);
    if (filter.color) query.set("color", filter.color);
    if (filter.vintage !== undefined) query.set("vintage", String(filter.vintage));
    if (filter.active !== undefined) query.set("active", String(filter.active));
    if (filter.kind) query.set("kind", filter.kind);
    return request<Page<Product>>(`/api/products?${query}`);
  },
  product: (id: string) => request<Product>(`/api/products/${id}`),
  /** Say what a product is (kept over imports); null hands it back to the guess from its name. */
  setProductKind: (id: string, kind: ProductKind | null) =>
    request<Product>(`/api/products/${id}`, withBody("PATCH", { kind })),
  /** The wine's likeliest buyers, the first `k`, only of one kind and/or tier when given. */
  productCustomers: (id: string, k: number, target: { kind?: CustomerKind; tier?: Tier } = {}) => {
    const query = new URLSearchParams({ k: String(k) });
    if (target.kind) query.set("kind", target.kind);
    if (target.tier) query.set("tier", target.tier);
    return request<{ items: ProductLead[] }>(`/api/products/${id}/customers?${query}`);
  },
  approveProductCustomers: (id: string, customerIds: string[]) =>
    request<LeadApproval>(`/api/products/${id}/customers/approve`, post({ customerIds })),
  users: () => request<{ items: UserAccount[] }>("/api/users"),
  addUser: (body: { email: string; name?: string; role: Role; password: string }) =>
    request<UserAccount>("/api/users", post(body)),
  updateUser: (id: string, change: { role?: Role; active?: boolean }) =>
    request<UserAccount>(`/api/users/${id}`, withBody("PATCH", change)),
  apiKeys: () => request<{ items: ApiKey[] }>("/api/api-keys"),
  addApiKey: (name: string, role: Role) =>
    request<ApiKey & { key: string }>("/api/api-keys", post({ name, role })),
  revokeApiKey: (id: string) => request<undefined>(`/api/api-keys/${id}`, { method: "DELETE" }),
  webhooks: () => request<{ items: Webhook[] }>("/api/webhooks"),
  addWebhook: (url: string, events: WebhookEvent[]) =>
    request<Webhook & { secret: string }>("/api/webhooks", post({ url, events })),
  deleteWebhook: (id: string) => request<undefined>(`/api/webhooks/${id}`, { method: "DELETE" }),
  webhookDeliveries: (id: string) =>
    request<Page<WebhookDelivery>>(`/api/webhooks/${id}/deliveries?limit=10`),
  campaignRules: () =>
    request<{ rules: CampaignRules; defaults: CampaignRules }>("/api/settings/rules"),
  saveCampaignRules: (rules: CampaignRules) =>
    request<{ rules: CampaignRules; defaults: CampaignRules }>(
      "/api/settings/rules",
      withBody("PUT", rules),
    ),
  schedules: () => request<{ items: SourceSchedule[] }>("/api/settings/schedules"),
  setSchedule: (sourceId: string, schedule: string | null) =>
    request<SourceSchedule>(`/api/sources/${sourceId}`, withBody("PATCH", { schedule })),
};
