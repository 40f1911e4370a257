import { type Interactions, rowOf } from "./interactions.ts";
import {
  type Ranking,
  type RankingBuffer,
  rankScores,
  strongestContributions,
} from "./recommender.ts";

/**
 * An item × item similarity kept sparse: each item's strongest neighbours only, in compressed
 * rows. Scoring a customer then costs (items bought × neighbours kept), not × the catalogue:
 * what makes 100,000 customers score in seconds.
 */
export interface Neighbours {
  items: number;
  rowStart: Uint32Array;
  neighbour: Uint32Array;
  similarity: Float32Array;
}

/**
 * Keeps the `keep` largest positive values of each row of a dense row-major matrix (ties to the
 * lower index), skipping the diagonal.
 */
export function strongestNeighbours(dense: ArrayLike<number>, n: number, keep: number): Neighbours {
  const rows: Array<{ j: Uint32Array; s: Float32Array }> = [];
  let total = 0;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let count = 0;
    for (let j = 0; j < n; j++) if (j !== i && dense[i * n + j]! > 0) order[count++] = j;
    const candidates = order.slice(0, count);
    if (count > keep) candidates.sort((a, b) => dense[i * n + b]! - dense[i * n + a]! || a - b);
    const kept = candidates.slice(0, Math.min(keep, count)).sort();
    rows.push({ j: kept, s: Float32Array.from(kept, (j) => dense[i * n + j]!) });
    total += kept.length;
  }
  const rowStart = new Uint32Array(n + 1);
  const neighbour = new Uint32Array(total);
  const similarity = new Float32Array(total);
  rows.forEach((row, i) => {
    rowStart[i + 1] = rowStart[i]! + row.j.length;
    neighbour.set(row.j, rowStart[i]);
    similarity.set(row.s, rowStart[i]);
  });
  return { items: n, rowStart, neighbour, similarity };
}

/** Σ over the customer's items of weight × similarity to each neighbour. */
export function neighbourScores(
  data: Interactions,
  nb: Neighbours,
  u: number,
  scores: Float64Array = new Float64Array(nb.items),
): Float64Array {
  const { items, weights } = rowOf(data, u);
  const { rowStart, neighbour, similarity } = nb;
  for (let a = 0; a < items.length; a++) {
    const i = items[a]!;
    const w = weights[a]!;
    const end = rowStart[i + 1]!;
    for (let e = rowStart[i]!; e < end; e++) scores[neighbour[e]!]! += w * similarity[e]!;
  }
  return scores;
}

/** The similarity of item j in item i's neighbour list (0 when not kept). */
export function similarityOf(nb: Neighbours, i: number, j: number): number {
  let lo = nb.rowStart[i]!;
  let hi = nb.rowStart[i + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (nb.neighbour[mid]! < j) lo = mid + 1;
    else hi = mid;
  }
  return lo < nb.rowStart[i + 1]! && nb.neighbour[lo] === j ? nb.similarity[lo]! : 0;
}

/**
 * Top k of a neighbour model for customer u, with the three purchases that contributed most.
 * `scratch` (one per model, catalogue-sized) and `buffer` are reused from customer to customer.
 */
export function rankFromNeighbours(
  data: Interactions,
  nb: Neighbours,
  u: number,
  k: number,
  exclude: ReadonlySet<number> | undefined,
  scratch: Float64Array,
  buffer: RankingBuffer,
): Ranking {
  const { items, weights } = rowOf(data, u);
  scratch.fill(0);
  const reasons = (item: number) =>
    strongestContributions(items, weights, (i) => similarityOf(nb, i, item));
  return rankScores(neighbourScores(data, nb, u, scratch), k, exclude, reasons, buffer);
}
