import { type Interactions, rowOf } from "./interactions.ts";
import {
  type Model,
  type Ranking,
  RankingBuffer,
  rankingModel,
  type Scored,
} from "./recommender.ts";

/**
 * The baseline every other model must beat: items ranked by how many customers bought them
 * (weighted by the interaction weights, so a decayed matrix favours what sells now). Optionally
 * counted over a subset of customers (a segment: private or trade).
 */
export function fitPopularity(
  data: Interactions,
  options: { customers?: ReadonlySet<number> } = {},
): Model {
  const scores = new Float64Array(data.items.length);
  for (let u = 0; u < data.customers.length; u++) {
    if (options.customers && !options.customers.has(u)) continue;
    const { items, weights } = rowOf(data, u);
    for (let n = 0; n < items.length; n++) scores[items[n]!]! += weights[n]!;
  }
  // The same ranking for everyone: sorted once, then read from the top past excluded items.
  const order = [...scores.keys()]
    .filter((i) => scores[i]! > 0)
    .sort((a, b) => scores[b]! - scores[a]! || a - b);
  const items = Uint32Array.from(order);
  const sorted = Float64Array.from(order, (i) => scores[i]!);
  const noReasons = Object.freeze([]) as unknown as Scored["because"]; // shared by every list
  const reasons = () => noReasons;
  const buffer = new RankingBuffer(); // for lists that skip the customer's wines
  const rank = (_u: number, k: number, exclude?: ReadonlySet<number>): Ranking => {
    if (!exclude || exclude.size === 0)
      return { count: Math.min(k, items.length), items, scores: sorted, reasons };
    const kept = buffer.fit(k);
    let count = 0;
    for (let r = 0; r < items.length && count < k; r++) {
      if (exclude.has(items[r]!)) continue;
      kept.items[count] = items[r]!;
      kept.scores[count++] = sorted[r]!;
    }
    return { count, items: kept.items, scores: kept.scores, reasons };
  };
  return { ...rankingModel("popularity", rank), fallback: true };
}
