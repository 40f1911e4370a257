import { headerWords } from "../mapping/normalize-header.ts";

/**
 * What a line of an estate's sales can sell besides wine. An invoice export (iSaVigne, a till,
 * an accounting tool) carries the carrier's charge, a discount, the bottles' deposit, the wooden
 * case, a glass or a tasting on lines of their own, with a code and a name like any wine's. They
 * stay in the sales (the invoice's total is theirs too) but are no wines to propose: everyone
 * pays "Frais de port", so a best-seller list would put it first.
 */
export const productKinds = [
  "wine",
  "shipping",
  "discount",
  "deposit",
  "packaging",
  "other",
] as const;
export type ProductKind = (typeof productKinds)[number];

export interface KindGuess {
  kind: ProductKind;
  /** The words of the name or code that decided it (folded: no case, no accents); null for a wine. */
  because: string | null;
}

// Words and phrases as `headerWords` folds them. These name a charge, a discount, a deposit or a
// service whatever else the name says ("Frais de port Crémant", "Consigne bouteille 75 cl").
const always: Array<[ProductKind, string[]]> = [
  ["deposit", ["consigne", "consignes", "deconsigne"]],
  [
    "shipping",
    [
      "frais de port",
      "frais port",
      "fdp",
      "frais d envoi",
      "frais de livraison",
      "frais d expedition",
      "frais de transport",
      "participation aux frais",
      "participation frais",
      "port et emballage",
      "port paye",
      "port du",
      "port offert",
      "port gratuit",
      "colissimo",
      "chronopost",
      "mondial relay",
      "affranchissement",
    ],
  ],
  [
    "discount",
    ["ristourne", "rabais", "escompte", "code promo", "bon de reduction", "geste commercial"],
  ],
  [
    "other",
    [
      "tire bouchon",
      "tire bouchons",
      "limonadier",
      "verre a vin",
      "verres a vin",
      "carte cadeau",
      "bon cadeau",
      "cheque cadeau",
      "gift card",
      "acompte",
      "pourboire",
      "cotisation",
      "adhesion",
      "frais de dossier",
      "frais bancaires",
      "frais de gestion",
    ],
  ],
];

// A vintage or one of these words makes a name a wine's, over the words below: "Caisse bois 6
// Crémant" is wine sold in a case where "Caisse bois 6 bouteilles" is the case alone, and
// "Domaine de la Remise 2019" is a wine, not a discount.
const wineWords = [
  "vin",
  "vins",
  "cuvee",
  "cremant",
  "champagne",
  "brut",
  "magnum",
  "grand cru",
  "vieilles vignes",
  "vendanges tardives",
  "riesling",
  "pinot",
  "gewurztraminer",
  "sylvaner",
  "muscat",
  "chardonnay",
  "sauvignon",
  "chenin",
  "merlot",
  "cabernet",
  "syrah",
  "grenache",
  "gamay",
  "malbec",
  "viognier",
  "marc",
  "ratafia",
];

const unlessWine: Array<[ProductKind, string[]]> = [
  ["deposit", ["deposit"]],
  [
    "shipping",
    ["livraison", "expedition", "transport", "envoi", "shipping", "delivery", "postage"],
  ],
  ["discount", ["remise", "reduction", "avoir", "discount", "coupon"]],
  [
    "packaging",
    [
      "carton",
      "cartons",
      "caisse",
      "caisses",
      "caissette",
      "etui",
      "etuis",
      "emballage",
      "emballages",
      "papier cadeau",
      "sac",
      "sacs",
      "sachet",
      "boite",
      "boites",
      "coffret vide",
    ],
  ],
  [
    "other",
    [
      "verre",
      "verres",
      "carafe",
      "tablier",
      "t shirt",
      "tee shirt",
      "casquette",
      "livre",
      "degustation",
      "visite",
      "atelier",
      "stage",
      "seminaire",
      "location",
      "repas",
      "diner",
      "dejeuner",
      "huile",
      "miel",
      "confiture",
      "arrondi",
      "accessoire",
      "accessoires",
    ],
  ],
];

/** Product codes that are a charge's word in full: `PORT`, `FDP`, `REMISE`, `CONSIGNE`. */
const chargeCodes = new Map<string, ProductKind>(
  [...always, ...unlessWine]
    .filter(([kind]) => kind === "shipping" || kind === "discount" || kind === "deposit")
    .flatMap(([kind, phrases]) => phrases.map((phrase) => [phrase, kind] as const))
    .concat([["port", "shipping"]]),
);

const VINTAGE = /(?<!\d)(19|20)\d{2}(?!\d)/;

/** The first listed phrase written in `words` (space-separated, padded), if any. */
const find = (words: string, phrases: string[]) =>
  phrases.find((phrase) => words.includes(` ${phrase} `)) ?? null;

function firstOf(words: string, lists: Array<[ProductKind, string[]]>): KindGuess | null {
  for (const [kind, phrases] of lists) {
    const because = find(words, phrases);
    if (because) return { kind, because };
  }
  return null;
}

/**
 * Whether a product is a wine, from its name and code alone (what every export has). Meant to be
 * overruled: the staff set a product's kind once, and imports then keep it.
 */
export function guessProductKind(name: string, sku: string | null = null): KindGuess {
  const words = ` ${headerWords(name)} `;
  const strong = firstOf(words, always);
  if (strong) return strong;
  const code = headerWords(sku ?? "");
  const byCode = chargeCodes.get(code);
  if (byCode) return { kind: byCode, because: code };
  if (words.trim() === "port") return { kind: "shipping", because: "port" };
  if (VINTAGE.test(words) || find(words, wineWords)) return { kind: "wine", because: null };
  return firstOf(words, unlessWine) ?? { kind: "wine", because: null };
}
