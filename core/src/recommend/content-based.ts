import { type Interactions, rowOf } from "./interactions.ts";
import { featuresOf, type ItemAttributes } from "./item-attributes.ts";
import {
  type Model,
  RankingBuffer,
  rankingModel,
  rankScores,
  strongestContributions,
} from "./recommender.ts";

/**
 * Content-based scoring on wine attributes (colour, appellation, grapes, price band, bottle size,
 * sparkling/sweet): a customer's taste is the weighted sum of the features of what they bought,
 * each feature weighted by its rarity (idf); a wine scores the cosine between that taste and its
 * own features. It needs no co-buyers, so it serves new releases and thin histories.
 * `attributes[i]` describes `data.items[i]`. Features are numbered and each distinct feature set
 * (a profile) stored once as a compressed row, so scoring a customer is one pass over the
 * profiles' few features.
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
  // Wines described alike (the vintages of a cuvée, often) score alike: each distinct feature
  // set, a profile, is scored once per customer and its score given to its wines.
  const profileIds = new Map<string, number>();
  const profileOf = new Uint32Array(attributes.length);
  const profiles: number[][] = [];
  perItem.forEach((list, i) => {
    const key = [...list].sort((a, b) => a - b).join(",");
    if (!profileIds.has(key)) {
      profileIds.set(key, profiles.length);
      profiles.push(list);
    }
    profileOf[i] = profileIds.get(key)!;
  });
  const profileStart = new Uint32Array(profiles.length + 1);
  profiles.forEach((list, p) => (profileStart[p + 1] = profileStart[p]! + list.length));
  const profileFeature = new Uint32Array(profileStart[profiles.length]!);
  const profileValue = new Float64Array(profileFeature.length);
  profiles.forEach((list, p) => {
    const idf = list.map((f) => Math.log((attributes.length + 1) / (df[f]! + 1)) + 1);
    const norm = Math.sqrt(idf.reduce((s, x) => s + x * x, 0)) || 1;
    list.forEach((f, n) => {
      profileFeature[profileStart[p]! + n] = f;
      profileValue[profileStart[p]! + n] = idf[n]! / norm;
    });
  });
  const shared = (a: number, b: number) => {
    const [pa, pb] = [profileOf[a]!, profileOf[b]!];
    let n = 0;
    for (let x = profileStart[pa]!; x < profileStart[pa + 1]!; x++)
      for (let y = profileStart[pb]!; y < profileStart[pb + 1]!; y++)
        if (profileFeature[x] === profileFeature[y]) n++;
    return n;
  };

  // Reused from customer to customer (a top k reads the scores before the next customer's).
  const taste = new Float64Array(featureIds.size);
  const profileScores = new Float64Array(profiles.length);
  const scores = new Float64Array(attributes.length);
  const buffer = new RankingBuffer();
  return rankingModel("content", (u, k, exclude) => {
    const { items, weights } = rowOf(data, u);
    taste.fill(0);
    for (let a = 0; a < items.length; a++) {
      const i = items[a]!;
      if (i >= attributes.length) continue;
      const p = profileOf[i]!;
      for (let x = profileStart[p]!; x < profileStart[p + 1]!; x++)
        taste[profileFeature[x]!]! += weights[a]! * profileValue[x]!;
    }
    const tasteNorm = Math.sqrt(taste.reduce((s, x) => s + x * x, 0)) || 1;
    for (let p = 0; p < profiles.length; p++) {
      let dot = 0;
      for (let x = profileStart[p]!; x < profileStart[p + 1]!; x++)
        dot += profileValue[x]! * taste[profileFeature[x]!]!;
      profileScores[p] = dot / tasteNorm;
    }
    for (let i = 0; i < attributes.length; i++) scores[i] = profileScores[profileOf[i]!]!;
    // The reasons: the other purchased wines sharing the most with this one. A wine the customer
    // already has shares everything with itself, and "close to Crémant Brut: Crémant Brut" tells
    // staff nothing (the explanation says it was bought before).
    const reasons = (item: number) =>
      strongestContributions(items, weights, (i) => (i === item ? 0 : shared(item, i)));
    return rankScores(scores, k, exclude, reasons, buffer);
  });
}
