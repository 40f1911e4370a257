import { type Interactions, rowOf } from "./interactions.ts";
import { BACKTEST_K } from "./train.ts";

/**
 * The k wines of one customer's list: the first `head` as ranked, then the rest in rank order with
 * room kept for wines new to the customer. Past the head, a wine they already bought is taken only
 * while enough places remain for `minNew` new ones in the whole list (the head's count); the
 * reorders passed over come last, if new wines run out before the list is full.
 *
 * Why: where customers reorder a lot (groceries, an estate's regulars), a long list can fill with
 * what they already have and hold no discovery at all. The head (what the review screen shows
 * first, and what the blend was tuned on) is never changed, and the new wines keep their order.
 */
export function roomForNew<T extends { item: number }>(
  ranked: readonly T[],
  k: number,
  isBought: (item: number) => boolean,
  // Ten: the first page a reviewer reads, and the k the blend is chosen at.
  { head = BACKTEST_K, minNew = BACKTEST_K }: { head?: number; minNew?: number } = {},
): T[] {
  const list = ranked.slice(0, Math.min(head, k));
  let fresh = list.filter((s) => !isBought(s.item)).length;
  const passedOver: T[] = [];
  for (const candidate of ranked.slice(list.length)) {
    if (list.length >= k) break;
    if (!isBought(candidate.item)) {
      list.push(candidate);
      fresh++;
    } else if (k - list.length - 1 >= minNew - fresh) list.push(candidate);
    else passedOver.push(candidate);
  }
  return [...list, ...passedOver.slice(0, Math.max(0, k - list.length))];
}

/**
 * How many candidates a list of k is drawn from: enough for the business rules to drop some and
 * for room to be kept for new wines, few enough to stay cheap.
 */
export const CANDIDATES_PER_PLACE = 4;

/**
 * Customer u's list of k as a run makes it: the model's k × 4 best, those `allow` keeps (the
 * business rules, when on), then room kept for new wines. The quality benchmark ranks with it
 * too, so that what it measures in memory is what `recommend --rules off` exports.
 */
export function customerList<T extends { item: number }>(
  recommend: (u: number, k: number) => T[],
  data: Interactions,
  u: number,
  k: number,
  allow: (candidates: T[]) => T[] = (candidates) => candidates,
): T[] {
  const bought = new Set(rowOf(data, u).items);
  return roomForNew(allow(recommend(u, k * CANDIDATES_PER_PLACE)), k, (item) => bought.has(item));
}
