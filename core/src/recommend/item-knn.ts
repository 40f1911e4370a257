import type { Interactions } from "./interactions.ts";
import { rankFromNeighbours, strongestNeighbours } from "./neighbours.ts";
import { type Model, RankingBuffer, rankingModel } from "./recommender.ts";

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
 * sum of its similarities to the wines they bought. Dense item × item, for catalogues of a few
 * thousand items.
 */
export function fitItemKnn(data: Interactions, options: Partial<ItemKnnOptions> = {}): Model {
  const { similarity = "cosine", neighbours = 100, shrink = 10 } = options;
  const n = data.items.length;
  const weights = similarity === "bm25" ? bm25Weights(data) : data.weight;
  const co = new Float64Array(n * n);
  const commons = new Uint32Array(n * n);
  const norms = new Float64Array(n);
  for (let u = 0; u < data.customers.length; u++) {
    const start = data.rowStart[u]!;
    const end = data.rowStart[u + 1]!;
    for (let a = start; a < end; a++) {
      const i = data.itemOf[a]!;
      const wi = weights[a]!;
      norms[i]! += wi * wi;
      for (let b = a + 1; b < end; b++) {
        const j = data.itemOf[b]!;
        const product = wi * weights[b]!;
        co[i * n + j]! += product;
        co[j * n + i]! += product;
        commons[i * n + j]!++;
        commons[j * n + i]!++;
      }
    }
  }
  const sim = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j || co[i * n + j] === 0) continue;
      const common = commons[i * n + j]!;
      sim[i * n + j] =
        (co[i * n + j]! / Math.sqrt(norms[i]! * norms[j]!)) * (common / (common + shrink));
    }
  }
  const nb = strongestNeighbours(sim, n, neighbours);
  const scratch = new Float64Array(n);
  const buffer = new RankingBuffer();
  return rankingModel(similarity === "bm25" ? "itemknn-bm25" : "itemknn", (u, k, exclude) =>
    rankFromNeighbours(data, nb, u, k, exclude, scratch, buffer),
  );
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
