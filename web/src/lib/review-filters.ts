import {
  type CustomerKind,
  type RecommendationQuery,
  type RecommendationSort,
  type RecommendationStatus,
  type Tier,
  TIERS,
} from "./api.ts";

/** The review list's filters as the page's URL query string holds them (so a link reopens them). */
export interface ReviewFilters {
  status: RecommendationStatus | "all";
  algorithm?: string;
  /** 0-100, as typed */
  minConfidencePercent?: number;
  campaignId?: string;
  customer?: string;
  product?: string;
  kind?: CustomerKind;
  tier?: Tier;
  sort: SortChoice;
  /** 1-based */
  page: number;
}

export const sortChoices = [
  "confidence.desc",
  "confidence.asc",
  "customer.asc",
  "customer.desc",
  "product.asc",
  "product.desc",
  "date.desc",
  "date.asc",
] as const;
export type SortChoice = (typeof sortChoices)[number];

const statuses = ["pending", "approved", "rejected", "exported", "all"] as const;
const kinds = ["private", "trade"] as const;
type Params = Partial<Record<string, string | string[]>>;
const one = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value)?.trim() || undefined;

/** Reads the filters from the URL, ignoring what is not valid (a hand-edited link still opens). */
export function readFilters(params: Params): ReviewFilters {
  const status = one(params.status);
  const sort = one(params.sort);
  const kind = one(params.kind);
  const tier = one(params.tier);
  const percent = Number(one(params.confidence));
  const page = Number(one(params.page));
  return {
    status: statuses.find((s) => s === status) ?? "pending",
    algorithm: one(params.algorithm),
    minConfidencePercent:
      one(params.confidence) !== undefined && percent >= 0 && percent <= 100 ? percent : undefined,
    campaignId: one(params.campaign),
    customer: one(params.customer),
    product: one(params.product),
    kind: kinds.find((k) => k === kind),
    tier: TIERS.find((x) => x === tier),
    sort: sortChoices.find((s) => s === sort) ?? "confidence.desc",
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The URL parameters for a change of filters; defaults are left out, and any change goes to page 1. */
export function filterParams(change: Partial<ReviewFilters>): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = {};
  const set = (name: string, value: string | number | undefined, fallback?: string) => {
    const text = value === undefined ? undefined : String(value).trim();
    params[name] = text === "" || text === fallback ? undefined : text;
  };
  if ("status" in change) set("status", change.status, "pending");
  if ("algorithm" in change) set("algorithm", change.algorithm);
  if ("minConfidencePercent" in change) set("confidence", change.minConfidencePercent);
  if ("campaignId" in change) set("campaign", change.campaignId);
  if ("customer" in change) set("customer", change.customer);
  if ("product" in change) set("product", change.product);
  if ("kind" in change) set("kind", change.kind);
  if ("tier" in change) set("tier", change.tier);
  if ("sort" in change) set("sort", change.sort, "confidence.desc");
  set("page", "page" in change ? change.page : undefined, "1");
  return params;
}

/** The API query of a filter set, `pageSize` rows per page. */
export function toQuery(filters: ReviewFilters, pageSize: number): RecommendationQuery {
  const [sort, order] = filters.sort.split(".") as [RecommendationSort, "asc" | "desc"];
  return {
    status: filters.status === "all" ? undefined : filters.status,
    algorithm: filters.algorithm,
    minConfidence:
      filters.minConfidencePercent === undefined ? undefined : filters.minConfidencePercent / 100,
    campaignId: filters.campaignId,
    customer: filters.customer,
    product: filters.product,
    kind: filters.kind,
    tier: filters.tier,
    sort,
    order,
    limit: pageSize,
    offset: (filters.page - 1) * pageSize,
  };
}
