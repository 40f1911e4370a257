import { type Interactions, rowOf } from "./interactions.ts";
import { featuresOf, type ItemAttributes } from "./item-attributes.ts";
import { explainedTopK, type Model, strongestContributions } from "./recommender.ts";

/**
 * Content-based scoring on wine attributes (colour, appellation, grapes, price band, bottle size,
 * sparkling/sweet): a customer's taste is the weighted sum of the features of what they bought,
 * each feature weighted by its rarity (idf); a wine scores the cosine between that taste and its
 * own features. It needs no co-buyers, so it serves new releases and thin histories.
 * `attributes[i]` describes `data.items[i]`. Features are numbered and items stored as compressed
 * rows, so scoring a customer is one pass over the catalogue's few features per wine.
 */
export function fitContentBased(data: Interactions, attributes: readonly ItemAttributes[]): Model {
  const featureIds = new Map<string, number>();
  const perItem = attributes.map((a) => [
    ...new Set(
      featuresOf(a).map((f) => {
        if (!featureIds.has(f)) featureIds.set(f, featureIds.size);
        return featureIds.get(f)!;
      }),
    ),
  ]);
  const df = new Float64Array(featureIds.size);
  for (const list of perItem) for (const f of list) df[f]!++;
  const rowStart = new Uint32Array(attributes.length + 1);
  perItem.forEach((list, i) => (rowStart[i + 1] = rowStart[i]! + list.length));
  const featureOf = new Uint32Array(rowStart[attributes.length]!);
  const value = new Float64Array(featureOf.length);
  perItem.forEach((list, i) => {
    const idf = list.map((f) => Math.log((attributes.length + 1) / (df[f]! + 1)) + 1);
    const norm = Math.sqrt(idf.reduce((s, x) => s + x * x, 0)) || 1;
    list.forEach((f, n) => {
      featureOf[rowStart[i]! + n] = f;
      value[rowStart[i]! + n] = idf[n]! / norm;
    });
  });
  const shared = (a: number, b: number) => {
    let n = 0;
    for (let x = rowStart[a]!; x < rowStart[a + 1]!; x++)
      for (let y = rowStart[b]!; y < rowStart[b + 1]!; y++) if (featureOf[x] === featureOf[y]) n++;
    return n;
  };

  return {
    name: "content",
    recommend(u, k, exclude) {
      const { items, weights } = rowOf(data, u);
      const taste = new Float64Array(featureIds.size);
      for (let a = 0; a < items.length; a++) {
        const i = items[a]!;
        if (i >= attributes.length) continue;
        for (let x = rowStart[i]!; x < rowStart[i + 1]!; x++)
          taste[featureOf[x]!]! += weights[a]! * value[x]!;
      }
      const tasteNorm = Math.sqrt(taste.reduce((s, x) => s + x * x, 0)) || 1;
      const scores = new Float64Array(attributes.length);
      for (let i = 0; i < attributes.length; i++) {
        let dot = 0;
        for (let x = rowStart[i]!; x < rowStart[i + 1]!; x++)
          dot += value[x]! * taste[featureOf[x]!]!;
        scores[i] = dot / tasteNorm;
      }
      // The reasons: the purchased wines sharing the most with this one.
      return explainedTopK(scores, k, exclude, (item) =>
        strongestContributions(items, weights, (i) => shared(item, i)),
      );
    },
  };
}
