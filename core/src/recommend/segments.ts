export interface CustomerActivity {
  customerId: string;
  /** Days (since epoch) of the customer's distinct orders, in any order. */
  orderDays: number[];
  /** What they spent over those orders. */
  monetary: number;
}

export const tiers = [
  "champions",
  "loyal",
  "promising",
  "new",
  "at_risk",
  "dormant",
  "occasional",
] as const;
export type Tier = (typeof tiers)[number];

/** The tiers as the French screens and files name them (the web app's dictionary uses these). */
export const tierNamesFr: Record<Tier, string> = {
  champions: "Champions",
  loyal: "Fidèles",
  promising: "Prometteurs",
  new: "Nouveaux",
  at_risk: "À risque",
  dormant: "Endormis",
  occasional: "Occasionnels",
};

export interface Segment {
  /** 1 (worst) to 5 (best), quintiles of the estate's own customers. */
  recency: number;
  frequency: number;
  monetary: number;
  tier: Tier;
  lastOrderDay: number;
  /** Median days between two orders; null with fewer than two orders. */
  reorderIntervalDays: number | null;
  expectedNextOrderDay: number | null;
}

/**
 * RFM segmentation as of a day: each customer's recency (days since the last order), frequency
 * (orders) and monetary value are scored 1-5 by quintile among the estate's customers (ties share
 * a score), then named:
 * champions R≥4 F≥4 M≥4 · new: first order within 90 days · loyal F≥4 · promising R≥4 ·
 * at_risk R≤2 F≥3 · dormant R=1 · occasional otherwise.
 * The usual reorder interval is the median gap between orders, and the expected next order is
 * the last order plus that interval.
 */
export function computeSegments(
  customers: CustomerActivity[],
  asOfDay: number,
): Map<string, Segment> {
  const active = customers.filter((c) => c.orderDays.length > 0);
  const lastDays = active.map((c) => Math.max(...c.orderDays));
  const recencyScore = quintiles(lastDays.map((d) => -(asOfDay - d)));
  const frequencyScore = quintiles(active.map((c) => new Set(c.orderDays).size));
  const monetaryScore = quintiles(active.map((c) => c.monetary));
  const out = new Map<string, Segment>();
  active.forEach((c, i) => {
    const days = [...new Set(c.orderDays)].sort((a, b) => a - b);
    const gaps = days.slice(1).map((d, j) => d - days[j]!);
    const reorder = gaps.length === 0 ? null : median(gaps);
    const [r, f, m] = [recencyScore[i]!, frequencyScore[i]!, monetaryScore[i]!];
    const first = days[0]!;
    const tier: Tier =
      r >= 4 && f >= 4 && m >= 4
        ? "champions"
        : asOfDay - first <= 90
          ? "new"
          : f >= 4
            ? "loyal"
            : r >= 4
              ? "promising"
              : r <= 2 && f >= 3
                ? "at_risk"
                : r === 1
                  ? "dormant"
                  : "occasional";
    out.set(c.customerId, {
      recency: r,
      frequency: f,
      monetary: m,
      tier,
      lastOrderDay: lastDays[i]!,
      reorderIntervalDays: reorder,
      expectedNextOrderDay: reorder === null ? null : lastDays[i]! + reorder,
    });
  });
  return out;
}

/** 1-5 by rank among the values (higher value, higher score); equal values get equal scores. */
function quintiles(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return values.map((v) => {
    const below = lowerBound(sorted, v);
    return Math.min(5, 1 + Math.floor((below / values.length) * 5));
  });
}

function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
};
