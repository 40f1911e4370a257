import { foldText } from "../normalize/text.ts";
/** What the estate knows of a wine, for content-based scoring and the rebuy/new-vintage rule. */
export interface ItemAttributes {
  cuvee: string | null;
  color: string | null;
  appellation: string | null;
  grapes: readonly string[];
  priceInclTax: number | null;
  vintage: number | null;
  sizeMl: number | null;
}

/** A wine the estate has told nothing about. */
export const NO_ATTRIBUTES: ItemAttributes = {
  cuvee: null,
  color: null,
  appellation: null,
  grapes: [],
  priceInclTax: null,
  vintage: null,
  sizeMl: null,
};

const PRICE_BANDS = [10, 20, 35, 60];

/** A wine's features as words: `color:red`, `appellation:alsace`, `grape:riesling`, `price:20-35`… */
export function featuresOf(item: ItemAttributes): string[] {
  const f: string[] = [];
  if (item.color) f.push(`color:${foldText(item.color)}`);
  if (item.appellation) f.push(`appellation:${foldText(item.appellation)}`);
  for (const grape of item.grapes) f.push(`grape:${foldText(grape)}`);
  if (item.priceInclTax !== null) {
    const band = PRICE_BANDS.findIndex((limit) => item.priceInclTax! < limit);
    f.push(`price:${band === -1 ? PRICE_BANDS.length : band}`);
  }
  if (item.sizeMl !== null)
    f.push(`size:${item.sizeMl >= 1500 ? "large" : item.sizeMl < 750 ? "small" : "bottle"}`);
  if (item.color === "sparkling" || item.color === "sweet") f.push(`style:${item.color}`);
  return f;
}

/** What two wines can have in common, as the explanations name it. */
export type Trait = "color" | "appellation" | "grape" | "price" | "size" | "style";

/**
 * The traits two wines share (a feature of `featuresOf` in common), in `featuresOf`'s order;
 * undefined when the estate described nothing of one of them: that is nothing known, not
 * "nothing in common".
 */
export function sharedTraits(a: ItemAttributes, b: ItemAttributes): Trait[] | undefined {
  const ours = featuresOf(a);
  const theirs = new Set(featuresOf(b));
  if (ours.length === 0 || theirs.size === 0) return undefined;
  const shared = new Set<Trait>();
  for (const feature of ours)
    if (theirs.has(feature)) shared.add(feature.slice(0, feature.indexOf(":")) as Trait);
  return [...shared];
}
