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
  /** Top k items for customer u, excluding `exclude` (e.g. items bought), best first. */
  recommend(u: number, k: number, exclude?: ReadonlySet<number>): Scored[];
}

/**
 * A scored item whose reasons are worked out only if read: a blend reads 40 items of each model
 * per customer but explains only the few it keeps.
 */
export function lazyReasons(item: number, score: number, reasons: () => Scored["because"]): Scored {
  return new LazyScored(item, score, reasons);
}

// A class, not an object literal with a getter: V8 keeps instances of one shape (fast).
class LazyScored implements Scored {
  item: number;
  score: number;
  #reasons: (() => Scored["because"]) | null;
  #because: Scored["because"] = [];

  constructor(item: number, score: number, reasons: () => Scored["because"]) {
    this.item = item;
    this.score = score;
    this.#reasons = reasons;
  }

  get because(): Scored["because"] {
    if (this.#reasons) {
      this.#because = this.#reasons();
      this.#reasons = null;
    }
    return this.#because;
  }
}

export type Recommender = (data: Interactions) => Model;

/** The k best of a dense score vector, ties to the lower item index, skipping excluded and non-positive. */
export function topK(
  scores: Float64Array,
  k: number,
  exclude?: ReadonlySet<number>,
): Array<{ item: number; score: number }> {
  const best: Array<{ item: number; score: number }> = [];
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i]!;
    if (!(score > 0) || exclude?.has(i)) continue;
    if (best.length === k && score <= best[k - 1]!.score) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.score < score) at--;
    best.splice(at, 0, { item: i, score });
    if (best.length > k) best.pop();
  }
  return best;
}
