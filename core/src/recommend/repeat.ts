import { type Interactions, rowOf } from "./interactions.ts";
import type { Model } from "./recommender.ts";

/**
 * The customer's own favourites: what they bought, ranked by their (time-decayed) weight. The
 * plainest model of repurchase, and a strong one where customers reorder the same product
 * (next-basket studies find it hard to beat). It never proposes anything new, so the hybrid
 * blends it with the others; at the cuvée level, the rebuy rule turns it into the current vintage.
 */
export function fitRepeat(data: Interactions): Model {
  return {
    name: "repeat",
    recommend(u, k, exclude) {
      const { items, weights } = rowOf(data, u);
      const out: Array<{
        item: number;
        score: number;
        because: Array<{ item: number; weight: number }>;
      }> = [];
      for (let a = 0; a < items.length; a++) {
        if (exclude?.has(items[a]!) || !(weights[a]! > 0)) continue;
        out.push({
          item: items[a]!,
          score: weights[a]!,
          because: [{ item: items[a]!, weight: weights[a]! }],
        });
      }
      return out.sort((x, y) => y.score - x.score || x.item - y.item).slice(0, k);
    },
  };
}
