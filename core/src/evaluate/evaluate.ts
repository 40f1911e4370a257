import {
  buildInteractions,
  dayNumber,
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
}

/**
 * Offline evaluation on the estate's own history: models are fitted on purchases before the
 * split date and judged on what each customer (with history before it) bought after it, ranking
 * the whole catalogue (no sampled negatives). Two protocols: `all` (repurchases count) and `new`
 * (items the customer had not bought before, already-bought items excluded from the ranking).
 */
export function evaluate(
  purchases: Purchase[],
  fitters: Array<(data: ReturnType<typeof buildInteractions>) => Model>,
  options: EvaluationOptions,
): EvaluationResult[] {
  const split = dayNumber(options.splitDate);
  const end = options.horizonDays === undefined ? Infinity : split + options.horizonDays;
  const train = buildInteractions(
    purchases.filter((p) => dayNumber(p.date) < split),
    {
      asOf: new Date((split - 1) * 86_400_000).toISOString().slice(0, 10),
      weighting: options.weighting,
    },
  );
  const future = new Map<number, Set<number>>();
  for (const p of purchases) {
    const day = dayNumber(p.date);
    if (day < split || day >= end || !(p.quantity > 0)) continue;
    const u = train.customerIndex.get(p.customerId);
    const i = train.itemIndex.get(p.itemId);
    if (u === undefined || i === undefined) continue; // cold customers and items are out of scope of this protocol
    future.set(u, (future.get(u) ?? new Set()).add(i));
  }
  const customers = [...future.keys()].sort((a, b) => a - b);
  const results: EvaluationResult[] = [];
  for (const fit of fitters) {
    const model = fit(train);
    for (const protocol of ["all", "new"] as const) {
      const sums = { precision: 0, recall: 0, ndcg: 0, ap: 0, hit: 0 };
      const lists: number[][] = [];
      let counted = 0;
      for (const u of customers) {
        const bought = new Set(rowOf(train, u).items);
        const relevant =
          protocol === "all"
            ? future.get(u)!
            : new Set([...future.get(u)!].filter((i) => !bought.has(i)));
        if (relevant.size === 0) continue;
        const ranked = model
          .recommend(u, options.k, protocol === "new" ? bought : undefined)
          .map((s) => s.item);
        const m = rankingMetrics(ranked, relevant, options.k);
        for (const key of Object.keys(sums) as Array<keyof typeof sums>) sums[key] += m[key];
        lists.push(ranked);
        counted++;
      }
      const mean = (v: number) => (counted === 0 ? 0 : v / counted);
      results.push({
        algorithm: model.name,
        protocol,
        k: options.k,
        customers: counted,
        precision: mean(sums.precision),
        recall: mean(sums.recall),
        ndcg: mean(sums.ndcg),
        map: mean(sums.ap),
        hitRate: mean(sums.hit),
        coverage: catalogueCoverage(lists, train.items.length),
      });
    }
  }
  return results;
}
