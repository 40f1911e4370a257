import type { Scored } from "./recommender.ts";

export interface Explanation {
  fr: string;
  en: string;
  /** Whether the item came from the popularity fallback (labelled as such to staff). */
  fallback: boolean;
}

export interface ExplainContext {
  name(item: number): string;
  /** Times the customer bought the item, and the year of the last purchase. */
  history(item: number): { times: number; lastYear: number } | undefined;
}

const timesFr = (n: number) =>
  n === 1 ? "une fois" : n === 2 ? "deux fois" : n === 3 ? "trois fois" : `${n} fois`;
const timesEn = (n: number) => (n === 1 ? "once" : n === 2 ? "twice" : `${n} times`);

/**
 * A sentence a salesperson can repeat to the customer, in French and English, from the model that
 * proposed the wine and the purchases that weighed most:
 * - co-purchase models (item kNN, EASE): "a acheté Crémant 2021 deux fois ; les clients qui
 *   l'achètent prennent souvent Pinot Noir VV";
 * - rebuy: "nouveau millésime d'une cuvée achetée en 2023";
 * - repeat: "rachète souvent Crémant brut (trois fois, dernier achat en 2024)";
 * - content: "proche de Riesling GC 2022 (couleur, appellation, prix…)";
 * - popularity: "meilleure vente du moment (repli)", flagged as a fallback: the hybrid gives it
 *   only the items no personal model proposed (a new customer's, or past the personal lists).
 */
export function explain(scored: Scored & { source: string }, context: ExplainContext): Explanation {
  const item = context.name(scored.item);
  const anchor = scored.because[0];
  const anchorName = anchor ? context.name(anchor.item) : undefined;
  const history = anchor ? context.history(anchor.item) : undefined;
  switch (scored.source) {
    case "rebuy":
      return {
        fr: `Nouveau millésime d'une cuvée achetée en ${history?.lastYear ?? "?"} (${anchorName}) : ${item}`,
        en: `New vintage of a cuvée bought in ${history?.lastYear ?? "?"} (${anchorName}): ${item}`,
        fallback: false,
      };
    case "repeat": {
      const times = history?.times ?? 1;
      const year = history?.lastYear ?? "?";
      return times > 1
        ? {
            fr: `Rachète souvent ${item} (${timesFr(times)}, dernier achat en ${year})`,
            en: `Often buys ${item} again (${timesEn(times)}, last in ${year})`,
            fallback: false,
          }
        : {
            fr: `A déjà acheté ${item} (en ${year}) : à lui reproposer`,
            en: `Bought ${item} before (in ${year}): worth offering again`,
            fallback: false,
          };
    }
    case "content":
      return {
        fr: `Proche de ${anchorName ?? "ses achats"} (couleur, appellation, cépage, prix) : ${item}`,
        en: `Similar to ${anchorName ?? "their purchases"} (colour, appellation, grape, price): ${item}`,
        fallback: false,
      };
    case "popularity":
      return {
        fr: `Meilleure vente du moment (repli : rien dans ses achats ne la désigne) : ${item}`,
        en: `Current best seller (fallback: nothing in their purchases points to it): ${item}`,
        fallback: true,
      };
    default:
      if (!anchorName || !history)
        return {
          fr: `Recommandé d'après ses achats : ${item}`,
          en: `Recommended from their purchases: ${item}`,
          fallback: false,
        };
      return {
        fr: `A acheté ${anchorName} ${timesFr(history.times)} ; les clients qui l'achètent prennent souvent ${item}`,
        en: `Bought ${anchorName} ${timesEn(history.times)}; customers who buy it often take ${item}`,
        fallback: false,
      };
  }
}
