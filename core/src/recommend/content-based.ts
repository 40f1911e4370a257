import { type Interactions, rowOf } from "./interactions.ts";
import { featuresOf, type ItemAttributes } from "./item-attributes.ts";
import { type Model, topK } from "./recommender.ts";

/**
 * Content-based scoring on wine attributes (colour, appellation, grapes, price band, bottle size,
 * sparkling/sweet): a customer's taste is the weighted sum of the features of what they bought,
 * each feature weighted by its rarity (idf); a wine scores the cosine between that taste and its
 * own features. It needs no co-buyers, so it serves new releases and thin histories.
 * `attributes[i]` describes `data.items[i]`.
 */
export function fitContentBased(data: Interactions, attributes: readonly ItemAttributes[]): Model {
  const features = attributes.map(featuresOf);
  const df = new Map<string, number>();
  for (const list of features) for (const f of new Set(list)) df.set(f, (df.get(f) ?? 0) + 1);
  const idf = (f: string) => Math.log((attributes.length + 1) / ((df.get(f) ?? 0) + 1)) + 1;
  const vectors = features.map((list) => {
    const v = new Map<string, number>();
    for (const f of list) v.set(f, idf(f));
    const norm = Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0)) || 1;
    for (const [f, x] of v) v.set(f, x / norm);
    return v;
  });
  return {
    name: "content",
    recommend(u, k, exclude) {
      const { items, weights } = rowOf(data, u);
      const taste = new Map<string, number>();
      for (let a = 0; a < items.length; a++)
        for (const [f, x] of vectors[items[a]!] ?? [])
          taste.set(f, (taste.get(f) ?? 0) + weights[a]! * x);
      const tasteNorm = Math.sqrt([...taste.values()].reduce((s, x) => s + x * x, 0)) || 1;
      const scores = new Float64Array(attributes.length);
      vectors.forEach((v, i) => {
        let dot = 0;
        for (const [f, x] of v) dot += x * (taste.get(f) ?? 0);
        scores[i] = dot / tasteNorm;
      });
      return topK(scores, k, exclude).map(({ item, score }) => ({
        item,
        score,
        // The purchased wines sharing the most with this one, for the explanation.
        because: [...items]
          .map((i, a) => ({
            item: i,
            weight:
              weights[a]! * [...vectors[item]!.keys()].filter((f) => vectors[i]?.has(f)).length,
          }))
          .filter((c) => c.weight > 0)
          .sort((x, y) => y.weight - x.weight || x.item - y.item)
          .slice(0, 3),
      }));
    },
  };
}
