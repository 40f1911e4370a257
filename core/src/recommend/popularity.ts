import { type Interactions, rowOf } from "./interactions.ts";
import { type Model, type Ranking, rankingModel, type Scored } from "./recommender.ts";

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
  const rank = (_u: number, k: number, exclude?: ReadonlySet<number>): Ranking => {
    if (!exclude || exclude.size === 0) {
      const count = Math.min(k, items.length);
      return { count, items: items.subarray(0, count), scores: sorted.subarray(0, count), reasons };
    }
    const kept = { count: 0, items: new Uint32Array(k), scores: new Float64Array(k), reasons };
    for (let r = 0; r < items.length && kept.count < k; r++) {
      if (exclude.has(items[r]!)) continue;
      kept.items[kept.count] = items[r]!;
      kept.scores[kept.count++] = sorted[r]!;
    }
    return kept;
  };
  return { ...rankingModel("popularity", rank), fallback: true };
}
