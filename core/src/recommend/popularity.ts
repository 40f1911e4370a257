import { type Interactions, rowOf } from "./interactions.ts";
import { type Model, topK } from "./recommender.ts";

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
  return {
    name: "popularity",
    recommend: (_u, k, exclude) => topK(scores, k, exclude).map((s) => ({ ...s, because: [] })),
  };
}
