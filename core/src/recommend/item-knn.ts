import type { Interactions } from "./interactions.ts";
import { buyersByItem, NeighbourRows, neighbourModel } from "./neighbours.ts";
import type { Model } from "./recommender.ts";

export interface ItemKnnOptions {
  /** `cosine` on the weights, or `bm25` (rare items and light buyers weigh more). */
  similarity: "cosine" | "bm25";
  /** Neighbours kept per item (the strongest). */
  neighbours: number;
  /** Shrinks similarities supported by few common buyers: sim × n / (n + shrink). */
  shrink: number;
}

/**
 * Item-based collaborative filtering: two wines are similar when the same customers buy both
 * (cosine of their buyer vectors, optionally BM25-weighted); a customer's score for a wine is the
 * sum of its similarities to the wines they bought. Worked out one wine at a time from its
 * buyers' baskets (time: the sum over customers of their basket size squared; memory: the
 * neighbours kept), so any catalogue size fits.
 */
export function fitItemKnn(data: Interactions, options: Partial<ItemKnnOptions> = {}): Model {
  const { similarity = "cosine", neighbours = 100, shrink = 10 } = options;
  const n = data.items.length;
  const weights = similarity === "bm25" ? bm25Weights(data) : data.weight;
  const norms = new Float64Array(n);
  for (let a = 0; a < data.itemOf.length; a++) norms[data.itemOf[a]!]! += weights[a]! * weights[a]!;
  const buyers = buyersByItem(data);
  // One row's scratch, catalogue-sized, cleared where it was touched.
  const co = new Float64Array(n);
  const commons = new Uint32Array(n);
  const sim = new Float32Array(n); // single precision, as the similarities are kept
  const touched = new Uint32Array(n);
  const rows = new NeighbourRows(neighbours);
  for (let i = 0; i < n; i++) {
    let count = 0;
    for (let e = buyers.start[i]!; e < buyers.start[i + 1]!; e++) {
      const wi = weights[buyers.entry[e]!]!;
      const u = buyers.customer[e]!;
      for (let b = data.rowStart[u]!; b < data.rowStart[u + 1]!; b++) {
        const j = data.itemOf[b]!;
        if (j === i) continue;
        if (commons[j] === 0) touched[count++] = j;
        co[j]! += wi * weights[b]!;
        commons[j]!++;
      }
    }
    for (let t = 0; t < count; t++) {
      const j = touched[t]!;
      const common = commons[j]!;
      sim[j] =
        co[j] === 0
          ? 0
          : (co[j]! / Math.sqrt(norms[i]! * norms[j]!)) * (common / (common + shrink));
      co[j] = 0;
      commons[j] = 0;
    }
    rows.add(touched, count, sim);
  }
  return neighbourModel(similarity === "bm25" ? "itemknn-bm25" : "itemknn", data, rows.finish());
}

/** Okapi BM25 weights of each (customer, item): idf of the item × saturated, length-normalised weight. */
function bm25Weights(data: Interactions, k1 = 1.2, b = 0.75): Float32Array {
  const users = data.customers.length;
  const df = new Float64Array(data.items.length);
  for (const i of data.itemOf) df[i]!++;
  const lengths = Array.from(
    { length: users },
    (_, u) => data.rowStart[u + 1]! - data.rowStart[u]!,
  );
  const meanLength = lengths.reduce((a, c) => a + c, 0) / Math.max(1, users);
  const out = new Float32Array(data.weight.length);
  for (let u = 0; u < users; u++) {
    for (let a = data.rowStart[u]!; a < data.rowStart[u + 1]!; a++) {
      const i = data.itemOf[a]!;
      const idf = Math.log(users / (1 + df[i]!)) + 1;
      const tf = data.weight[a]!;
      out[a] = (idf * (tf * (k1 + 1))) / (tf + k1 * (1 - b + (b * lengths[u]!) / meanLength));
    }
  }
  return out;
}
