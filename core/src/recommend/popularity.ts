import { type Interactions, rowOf } from "./interactions.ts";
import type { Model, Scored } from "./recommender.ts";

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
  const ranked = [...scores.keys()]
    .filter((i) => scores[i]! > 0)
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .map((item) => ({ item, score: scores[item]! }));
  const noReasons = Object.freeze([]) as unknown as Scored["because"]; // shared by every list
  return {
    name: "popularity",
    fallback: true,
    recommend(_u, k, exclude) {
      const list: Scored[] = [];
      for (let r = 0; r < ranked.length && list.length < k; r++) {
        const { item, score } = ranked[r]!;
        if (!exclude?.has(item)) list.push({ item, score, because: noReasons });
      }
      return list;
    },
  };
}
