import type { Trait } from "./item-attributes.ts";
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
  /** What two wines have in common (colour, appellation…); undefined when it is not known. */
  shared?(a: number, b: number): Trait[] | undefined;
}

/** The shared traits a salesperson would mention: not the size (nearly every wine is 75 cl). */
type NamedTrait = Exclude<Trait, "size">;

const traitFr: Record<NamedTrait, string> = {
  color: "même couleur",
  appellation: "même appellation",
  grape: "même cépage",
  price: "même gamme de prix",
  style: "même style",
};
const traitEn: Record<NamedTrait, string> = {
  color: "same colour",
  appellation: "same appellation",
  grape: "same grape",
  price: "same price band",
  style: "same style",
};

/** The traits worth naming: not the size, nor the style when the colour already says it. */
function worthNaming(traits: Trait[] | undefined): NamedTrait[] | undefined {
  return traits?.filter(
    (t): t is NamedTrait => t !== "size" && !(t === "style" && traits.includes("color")),
  );
}

/** "a, b et c" / "a, b and c". */
const list = (words: string[], and: string) =>
  words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} ${and} ${words.at(-1)}`;

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
 * - content: "proche de Riesling GC 2022 (même appellation et même gamme de prix)": what the two
 *   wines share, when their attributes are known;
 * - popularity: "meilleure vente du moment (repli)", flagged as a fallback: the hybrid gives it
 *   only the items no personal model proposed (a new customer's, or past the personal lists).
 * A wine the customer already bought says so ("déjà acheté deux fois, dernier achat en 2024"),
 * whichever model proposed it.
 */
export function explain(scored: Scored & { source: string }, context: ExplainContext): Explanation {
  const explanation = explainBySource(scored, context);
  // A wine the customer already has, proposed by a model that does not say so itself (the
  // repurchase and new-vintage models do): staff should know it is a reorder.
  const own =
    scored.source === "repeat" || scored.source === "rebuy"
      ? undefined
      : context.history(scored.item);
  if (!own) return explanation;
  return {
    ...explanation,
    fr: `${explanation.fr} ; déjà acheté ${timesFr(own.times)}, dernier achat en ${own.lastYear}`,
    en: `${explanation.en}; bought ${timesEn(own.times)} before, last in ${own.lastYear}`,
  };
}

function explainBySource(
  scored: Scored & { source: string },
  context: ExplainContext,
): Explanation {
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
      // "Often" from three purchases: twice is a second purchase, not a habit yet.
      return times > 2
        ? {
            fr: `Rachète souvent ${item} (${timesFr(times)}, dernier achat en ${year})`,
            en: `Often buys ${item} again (${timesEn(times)}, last in ${year})`,
            fallback: false,
          }
        : times === 2
          ? {
              fr: `A déjà racheté ${item} (deux fois, dernier achat en ${year})`,
              en: `Bought ${item} again before (twice, last in ${year})`,
              fallback: false,
            }
          : {
              fr: `A déjà acheté ${item} (en ${year}) : à lui reproposer`,
              en: `Bought ${item} before (in ${year}): worth offering again`,
              fallback: false,
            };
    }
    case "content": {
      // Named by what the two wines really share; a wine close to the whole of a customer's
      // purchases but to none of them in particular is said to be so.
      const shared = anchor ? worthNaming(context.shared?.(anchor.item, scored.item)) : undefined;
      if (shared && shared.length === 0)
        return {
          fr: `Proche de ce qu'il achète (couleur, appellation, cépage, prix) : ${item}`,
          en: `Close to what they buy (colour, appellation, grape, price): ${item}`,
          fallback: false,
        };
      if (shared)
        return {
          fr: `Proche ${de(anchorName!)} (${list(
            shared.map((t) => traitFr[t]),
            "et",
          )}) : ${item}`,
          en: `Similar to ${anchorName} (${list(
            shared.map((t) => traitEn[t]),
            "and",
          )}): ${item}`,
          fallback: false,
        };
      return {
        fr: `Proche ${de(anchorName ?? "ses achats")} (couleur, appellation, cépage, prix) : ${item}`,
        en: `Similar to ${anchorName ?? "their purchases"} (colour, appellation, grape, price): ${item}`,
        fallback: false,
      };
    }
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

/** "de" before a name, elided before a vowel as French writes it: "d'Auxerrois", "de Riesling". */
export function de(name: string): string {
  return /^[aeiouyàâäéèêëîïôöùûüœæ]/i.test(name) ? `d'${name}` : `de ${name}`;
}
