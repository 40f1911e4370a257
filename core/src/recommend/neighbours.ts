import { type Interactions, rowOf } from "./interactions.ts";
import {
  bestAmong,
  type Model,
  RankingBuffer,
  rankingModel,
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
 * Builds `Neighbours` one item's row at a time, keeping the `keep` largest positive values of
 * each (ties to the lower index). The models work each row out in a catalogue-sized scratch and
 * hand it here, so memory grows with items × keep, never items²: a dense items² similarity took
 * 16 bytes a pair, 6.4 GB for a 20,000-product catalogue.
 */
export class NeighbourRows {
  private readonly rows: Array<{ j: Uint32Array; s: Float32Array }> = [];
  private total = 0;
  private readonly keep: number;
  /** The row's strongest so far, strongest first (reused from row to row). */
  private readonly top: Uint32Array;

  constructor(keep: number) {
    this.keep = keep;
    this.top = new Uint32Array(keep);
  }

  /** The next item's row: `value[j]` for each j of `candidates[0..count)` (any order, no repeats). */
  add(candidates: Uint32Array, count: number, value: ArrayLike<number>): void {
    // Insertion into `keep` sorted slots: a row reaches thousands of items in a large catalogue,
    // and sorting them all to keep a hundred cost most of a fit.
    const { keep, top } = this;
    let kept = 0;
    for (let c = 0; c < count; c++) {
      const j = candidates[c]!;
      const v = value[j]!;
      if (!(v > 0)) continue;
      if (kept === keep && !stronger(v, j, value[top[keep - 1]!]!, top[keep - 1]!)) continue;
      let at = kept < keep ? kept++ : keep - 1;
      for (; at > 0 && stronger(v, j, value[top[at - 1]!]!, top[at - 1]!); at--)
        top[at] = top[at - 1]!;
      top[at] = j;
    }
    const row = top.slice(0, kept).sort();
    this.rows.push({ j: row, s: Float32Array.from(row, (j) => value[j]!) });
    this.total += kept;
  }

  finish(): Neighbours {
    const n = this.rows.length;
    const rowStart = new Uint32Array(n + 1);
    const neighbour = new Uint32Array(this.total);
    const similarity = new Float32Array(this.total);
    this.rows.forEach((row, i) => {
      rowStart[i + 1] = rowStart[i]! + row.j.length;
      neighbour.set(row.j, rowStart[i]);
      similarity.set(row.s, rowStart[i]);
    });
    return { items: n, rowStart, neighbour, similarity };
  }
}

/** Value v of item j ranks before value w of item i: larger, or as large and a lower index. */
const stronger = (v: number, j: number, w: number, i: number) => v > w || (v === w && j < i);

/**
 * Each item's buyers (the matrix by column): `entry[e]` indexes the purchase in `itemOf`/`weight`
 * and `customer[e]` its customer, for e in start[i]..start[i+1], customers ascending.
 */
export interface Buyers {
  start: Uint32Array;
  entry: Uint32Array;
  customer: Uint32Array;
}

export function buyersByItem(data: Interactions): Buyers {
  const n = data.items.length;
  const start = new Uint32Array(n + 1);
  for (const i of data.itemOf) start[i + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const next = start.slice(0, n);
  const entry = new Uint32Array(data.itemOf.length);
  const customer = new Uint32Array(data.itemOf.length);
  for (let u = 0; u < data.customers.length; u++) {
    for (let a = data.rowStart[u]!; a < data.rowStart[u + 1]!; a++) {
      const at = next[data.itemOf[a]!]!++;
      entry[at] = a;
      customer[at] = u;
    }
  }
  return { start, entry, customer };
}

/**
 * Up to this many items a customer's scores are read whole; above, only the items their
 * neighbours reach are tracked and ranked (tracking them costs more than reading a small catalogue).
 */
const SCORED_WHOLE_MAX_ITEMS = 4096;

/** A model that scores a customer by the neighbours of what they bought. */
export function neighbourModel(name: string, data: Interactions, nb: Neighbours): Model {
  const scores = new Float64Array(nb.items); // zero between customers
  const reached = nb.items > SCORED_WHOLE_MAX_ITEMS ? new Uint32Array(nb.items) : null;
  const buffer = new RankingBuffer();
  const { rowStart, neighbour, similarity } = nb;
  return rankingModel(name, (u, k, exclude) => {
    const { items, weights } = rowOf(data, u);
    let best;
    if (reached === null) {
      for (let a = 0; a < items.length; a++) {
        const w = weights[a]!;
        const end = rowStart[items[a]! + 1]!;
        for (let e = rowStart[items[a]!]!; e < end; e++)
          scores[neighbour[e]!]! += w * similarity[e]!;
      }
      best = bestAmong(scores, null, nb.items, k, exclude, buffer);
      scores.fill(0);
    } else {
      let count = 0;
      for (let a = 0; a < items.length; a++) {
        const w = weights[a]!;
        if (!(w > 0)) continue; // adds nothing; and a reached item's score is then above 0
        const end = rowStart[items[a]! + 1]!;
        for (let e = rowStart[items[a]!]!; e < end; e++) {
          const j = neighbour[e]!;
          if (scores[j] === 0) reached[count++] = j;
          scores[j]! += w * similarity[e]!;
        }
      }
      const among = reached.subarray(0, count).sort(); // ascending: ties to the lower index
      best = bestAmong(scores, among, count, k, exclude, buffer);
      for (const j of among) scores[j] = 0;
    }
    const reasons = (item: number) =>
      strongestContributions(items, weights, (i) => similarityOf(nb, i, item));
    return { count: best.count, items: best.items, scores: best.scores, reasons };
  });
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
