import type { Interactions } from "./interactions.ts";

/** One recommended item, with the evidence behind its score (for explanations). */
export interface Scored {
  item: number;
  score: number;
  /** Items of the customer that contributed most (item index, contribution), strongest first. */
  because: Array<{ item: number; weight: number }>;
}

/** A fitted model: scores every item for a customer. Deterministic; ties broken by item index. */
export interface Model {
  name: string;
  /**
   * A model that proposes what sells to everyone (popularity) rather than what this customer's
   * purchases point to: a blend names it as an item's reason only when no personal model proposed
   * the item, and staff see that item labelled a fallback.
   */
  fallback?: boolean;
  /** Top k items for customer u, excluding `exclude` (e.g. items bought), best first. */
  recommend(u: number, k: number, exclude?: ReadonlySet<number>): Scored[];
  /**
   * The same top k in typed arrays, no object per item: what a blend reads (40 items of each
   * model for every customer, of which it keeps ten). Models that score the whole catalogue give
   * it; a blend reads the others' lists through `rankOfList`.
   */
  rank?(u: number, k: number, exclude?: ReadonlySet<number>): Ranking;
}

/**
 * A top k, best first: the first `count` entries of `items` and `scores`. The arrays belong to
 * the model and are reused by its next call (a typed array made per call costs more than the 40
 * objects it would save); an item's reasons are worked out only when asked for.
 */
export interface Ranking {
  count: number;
  items: Uint32Array;
  scores: Float64Array;
  reasons(item: number): Scored["because"];
}

/** Arrays a model's rankings are written into, grown to the largest k asked. */
export class RankingBuffer {
  items = new Uint32Array(0);
  scores = new Float64Array(0);

  /** The buffer, with room for k. */
  fit(k: number): this {
    if (this.items.length < k) {
      this.items = new Uint32Array(k);
      this.scores = new Float64Array(k);
    }
    return this;
  }
}

/** A model that scores the catalogue densely: its `recommend` is its `rank` as objects. */
export function rankingModel(
  name: string,
  rank: (u: number, k: number, exclude?: ReadonlySet<number>) => Ranking,
): Model {
  return { name, rank, recommend: (u, k, exclude) => scoredList(rank(u, k, exclude)) };
}

/**
 * The k best of a dense score vector (see `bestOf`) into `buffer`, each explained by
 * `reasons(item)` on demand.
 */
export function rankScores(
  scores: Float64Array,
  k: number,
  exclude: ReadonlySet<number> | undefined,
  reasons: (item: number) => Scored["because"],
  buffer: RankingBuffer,
): Ranking {
  const best = bestOf(scores, k, exclude, buffer);
  return { count: best.count, items: best.items, scores: best.scores, reasons };
}

/** A ranking as a list, each item explained only if its `because` is read. */
export function scoredList(ranking: Ranking): Scored[] {
  const list: Scored[] = [];
  for (let r = 0; r < ranking.count; r++)
    list.push(new LazyScored(ranking.items[r]!, ranking.scores[r]!, ranking.reasons));
  return list;
}

/** A `rank` for a model that makes lists: each list copied into arrays reused call to call. */
export function rankOfList(model: Model): NonNullable<Model["rank"]> {
  const buffer = new RankingBuffer();
  return (u, k, exclude) => {
    const list = model.recommend(u, k, exclude);
    const { items, scores } = buffer.fit(list.length);
    for (let r = 0; r < list.length; r++) {
      items[r] = list[r]!.item;
      scores[r] = list[r]!.score;
    }
    const reasons = (item: number) => list.find((s) => s.item === item)?.because ?? [];
    return { count: list.length, items, scores, reasons };
  };
}

// A class, not an object literal with a getter: V8 keeps instances of one shape (fast).
class LazyScored implements Scored {
  item: number;
  score: number;
  #reasons: ((item: number) => Scored["because"]) | null;
  #because: Scored["because"] | null = null; // not an empty array each: millions are made

  constructor(item: number, score: number, reasons: (item: number) => Scored["because"]) {
    this.item = item;
    this.score = score;
    this.#reasons = reasons;
  }

  get because(): Scored["because"] {
    if (this.#reasons) {
      this.#because = this.#reasons(this.item);
      this.#reasons = null;
    }
    return this.#because!;
  }
}

/**
 * A recommendation's reasons: the customer's three purchases that contributed most to it, each
 * purchase's weight × `strength(purchase)` (its similarity to the item), strongest first.
 */
export function strongestContributions(
  items: Uint32Array,
  weights: Float32Array,
  strength: (purchased: number) => number,
): Scored["because"] {
  const top: Scored["because"] = [];
  for (let a = 0; a < items.length; a++) {
    const weight = weights[a]! * strength(items[a]!);
    if (!(weight > 0)) continue;
    // Most purchases do not beat the third reason kept: no object is made for those.
    if (top.length === 3 && !outranks(weight, items[a]!, top[2]!)) continue;
    keepBest(top, { item: items[a]!, weight }, 3, strongerReason);
  }
  return top;
}

type Reason = { item: number; weight: number };
/** A heavier reason first; of equal weight, the lower item. */
const outranks = (weight: number, item: number, other: Reason) =>
  weight > other.weight || (weight === other.weight && item < other.item);
const strongerReason = (a: Reason, b: Reason) => outranks(a.weight, a.item, b);

/**
 * Keeps the k best candidates seen so far in `best`, best first: `candidate` goes in if it ranks
 * ahead of the last one kept (`ahead(a, b)`: a ranks before b). For a small k, insertion beats
 * collecting everything and sorting.
 */
export function keepBest<T>(best: T[], candidate: T, k: number, ahead: (a: T, b: T) => boolean) {
  if (k <= 0 || (best.length === k && !ahead(candidate, best[k - 1]!))) return;
  let at = best.length;
  while (at > 0 && ahead(candidate, best[at - 1]!)) at--;
  best.splice(at, 0, candidate);
  if (best.length > k) best.pop();
}

export type Recommender = (data: Interactions) => Model;

/** The k best of a dense score vector, ties to the lower item index, skipping excluded and non-positive. */
export function topK(
  scores: Float64Array,
  k: number,
  exclude?: ReadonlySet<number>,
): Array<{ item: number; score: number }> {
  const best = bestOf(scores, k, exclude);
  return Array.from({ length: best.count }, (_, r) => ({
    item: best.items[r]!,
    score: best.scores[r]!,
  }));
}

/**
 * The k best positive entries of a score vector, by insertion into k sorted slots (k is small): no
 * object per candidate, best first, ties to the lower index.
 */
export function bestOf(
  scores: Float64Array,
  k: number,
  exclude: ReadonlySet<number> | undefined,
  buffer = new RankingBuffer(),
) {
  return bestAmong(scores, null, scores.length, k, exclude, buffer);
}

/**
 * `bestOf` reading only the entries `among[0..count)` (ascending: ties still go to the lower
 * index), or all of them when `among` is null: a customer's neighbour scores touch a few hundred
 * items of a catalogue that may hold tens of thousands.
 */
export function bestAmong(
  scores: Float64Array,
  among: Uint32Array | null,
  count: number,
  k: number,
  exclude: ReadonlySet<number> | undefined,
  buffer = new RankingBuffer(),
) {
  const { items, scores: values } = buffer.fit(k);
  let kept = 0;
  for (let c = 0; c < count; c++) {
    const i = among ? among[c]! : c;
    const score = scores[i]!;
    if (!(score > 0)) continue;
    if (kept === k && score <= values[k - 1]!) continue;
    if (exclude?.has(i)) continue; // after the cheap tests: most items fail them
    let at = kept < k ? kept++ : k - 1;
    for (; at > 0 && values[at - 1]! < score; at--) {
      values[at] = values[at - 1]!;
      items[at] = items[at - 1]!;
    }
    values[at] = score;
    items[at] = i;
  }
  return { items, scores: values, count: kept };
}
