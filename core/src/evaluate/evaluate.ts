import {
  buildInteractions,
  dayNumber,
  isoDay,
  type Interactions,
  type Purchase,
  rowOf,
  type Weighting,
} from "../recommend/interactions.ts";
import type { Model } from "../recommend/recommender.ts";
import { catalogueCoverage, rankingMetrics } from "./metrics.ts";

export type Protocol = "all" | "new";

export interface EvaluationResult {
  algorithm: string;
  protocol: Protocol;
  k: number;
  customers: number;
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
  hitRate: number;
  coverage: number;
}

export interface EvaluationOptions {
  splitDate: string;
  /** Days after the split that count as the test period (default: everything after it). */
  horizonDays?: number;
  k: number;
  weighting: Weighting;
  /** What items and customers are numbered by: see `buildInteractions`. */
  itemKey?: (id: string) => string;
  customerKey?: (id: string) => string;
}

/** Purchases split at a date: the matrix to fit on, and what each known customer bought after. */
export interface TemporalSplit {
  train: Interactions;
  /** Per customer (index in `train`), the known items bought in the test period. */
  future: Map<number, Set<number>>;
}

/**
 * The split every evaluation uses: `train` holds purchases before the date; `future` what each
 * customer with history bought from the date on (within the horizon). Customers and items first
 * seen after the date are out of scope of this protocol.
 */
export function temporalSplit(
  purchases: Purchase[],
  options: Pick<
    EvaluationOptions,
    "splitDate" | "horizonDays" | "weighting" | "itemKey" | "customerKey"
  >,
): TemporalSplit {
  const split = dayNumber(options.splitDate);
  const end = options.horizonDays === undefined ? Infinity : split + options.horizonDays;
  const train = buildInteractions(
    purchases.filter((p) => dayNumber(p.date) < split),
    {
      asOf: isoDay(split - 1),
      weighting: options.weighting,
      itemKey: options.itemKey,
      customerKey: options.customerKey,
    },
  );
  return { train, future: boughtBetween(purchases, train, split, end) };
}

/**
 * What each customer of `train` bought from day `from` (included) to day `until` (excluded), as
 * indices of `train`; customers and items it does not know are left out.
 */
export function boughtBetween(
  purchases: Purchase[],
  train: Interactions,
  from: number,
  until: number,
): Map<number, Set<number>> {
  const future = new Map<number, Set<number>>();
  for (const p of purchases) {
    const day = dayNumber(p.date);
    if (day < from || day >= until || !(p.quantity > 0)) continue;
    const u = train.customerIndex.get(p.customerId);
    const i = train.itemIndex.get(p.itemId);
    if (u === undefined || i === undefined) continue;
    future.set(u, (future.get(u) ?? new Set()).add(i));
  }
  return future;
}

/**
 * One model judged on a split, ranking the whole catalogue (no sampled negatives), in one of two
 * protocols: `all` (repurchases count) or `new` (items the customer had not bought before: the
 * model's list with the already-bought items taken out). The list is the model's complete one,
 * then filtered, as a customer's list is: for a blend, fusing lists that never held the bought
 * items would rank new items otherwise (a single model ranks them the same either way).
 */
export function scoreModel(
  model: Model,
  split: TemporalSplit,
  k: number,
  protocol: Protocol,
): EvaluationResult {
  const sums = { precision: 0, recall: 0, ndcg: 0, ap: 0, hit: 0 };
  const lists: number[][] = [];
  let counted = 0;
  for (const u of [...split.future.keys()].sort((a, b) => a - b)) {
    const bought = new Set(rowOf(split.train, u).items);
    const relevant =
      protocol === "all"
        ? split.future.get(u)!
        : new Set([...split.future.get(u)!].filter((i) => !bought.has(i)));
    if (relevant.size === 0) continue;
    const ranked =
      protocol === "all"
        ? model.recommend(u, k).map((s) => s.item)
        : model
            .recommend(u, k + bought.size)
            .map((s) => s.item)
            .filter((i) => !bought.has(i))
            .slice(0, k);
    const m = rankingMetrics(ranked, relevant, k);
    for (const key of Object.keys(sums) as Array<keyof typeof sums>) sums[key] += m[key];
    lists.push(ranked);
    counted++;
  }
  const mean = (v: number) => (counted === 0 ? 0 : v / counted);
  return {
    algorithm: model.name,
    protocol,
    k,
    customers: counted,
    precision: mean(sums.precision),
    recall: mean(sums.recall),
    ndcg: mean(sums.ndcg),
    map: mean(sums.ap),
    hitRate: mean(sums.hit),
    coverage: catalogueCoverage(lists, split.train.items.length),
  };
}

/**
 * Offline evaluation on the estate's own history: each model fitted on purchases before the
 * split date and scored in both protocols on what customers bought after it.
 */
export function evaluate(
  purchases: Purchase[],
  fitters: Array<(data: Interactions) => Model>,
  options: EvaluationOptions,
): EvaluationResult[] {
  const split = temporalSplit(purchases, options);
  return fitters.flatMap((fit) => {
    const model = fit(split.train);
    return (["all", "new"] as const).map((protocol) =>
      scoreModel(model, split, options.k, protocol),
    );
  });
}
