import { dayNumber, type Interactions, rowOf } from "./interactions.ts";
import type { ItemAttributes } from "./item-attributes.ts";
import type { Model, Scored } from "./recommender.ts";

/**
 * The rule an estate's sales team applies first: a customer who bought a cuvée is offered its
 * newer vintage (the newest one, in the size they bought, else any size), scored by how recently
 * and how often they bought the cuvée. `active[i]` says whether item i can be sold.
 */
export function fitRebuy(
  data: Interactions,
  attributes: readonly ItemAttributes[],
  active: readonly boolean[],
): Model {
  const asOfDay = dayNumber(data.asOf);
  // For each cuvée, its sellable items by vintage, newest first.
  const byCuvee = new Map<string, number[]>();
  attributes.forEach((a, i) => {
    if (!a.cuvee || a.vintage === null || !active[i]) return;
    byCuvee.set(a.cuvee, [...(byCuvee.get(a.cuvee) ?? []), i]);
  });
  for (const list of byCuvee.values())
    list.sort((x, y) => attributes[y]!.vintage! - attributes[x]!.vintage! || x - y);

  return {
    name: "rebuy",
    recommend(u, k, exclude) {
      const start = data.rowStart[u]!;
      const { items } = rowOf(data, u);
      const owned = new Set(items);
      const best = new Map<number, Scored>();
      items.forEach((i, a) => {
        const bought = attributes[i]!;
        if (!bought.cuvee || bought.vintage === null) return;
        const candidates = (byCuvee.get(bought.cuvee) ?? []).filter(
          (c) => attributes[c]!.vintage! > bought.vintage!,
        );
        const sameSize = candidates.filter((c) => attributes[c]!.sizeMl === bought.sizeMl);
        const offer = (sameSize.length > 0 ? sameSize : candidates)[0];
        // A newer vintage the customer already bought is no news to them.
        if (offer === undefined || owned.has(offer) || exclude?.has(offer)) return;
        const daysAgo = asOfDay - data.lastDay[start + a]!;
        const score = (1 + Math.log1p(data.count[start + a]!)) * Math.pow(0.5, daysAgo / 730);
        const current = best.get(offer);
        if (!current || score > current.score)
          best.set(offer, { item: offer, score, because: [{ item: i, weight: score }] });
      });
      return [...best.values()].sort((x, y) => y.score - x.score || x.item - y.item).slice(0, k);
    },
  };
}
