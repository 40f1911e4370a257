import { headerWords } from "../mapping/normalize-header.ts";
import type { ProductKind } from "./product-kinds.ts";

export { productKinds, type ProductKind } from "./product-kinds.ts";

export interface KindGuess {
  kind: ProductKind;
  /** The words of the name or code that decided it (folded: no case, no accents); null for a wine. */
  because: string | null;
}

type Lists = Array<[ProductKind, string[]]>;

// Words and phrases as `headerWords` folds them. These name a charge, a discount, a deposit or a
// service wherever they stand and whatever else the name says ("Frais de port Crémant",
// "Consigne bouteille 75 cl").
const always: Lists = [
  ["deposit", ["consigne", "consignes", "deconsigne"]],
  [
    "shipping",
    [
      "frais de port",
      "frais port",
      "franco de port",
      "fdp",
      "frais d envoi",
      "frais envoi",
      "frais de livraison",
      "frais livraison",
      "frais d expedition",
      "frais expedition",
      "frais de transport",
      "frais transport",
      "participation aux frais",
      "participation frais",
      "participation transport",
      "participation livraison",
      "participation port",
      "port et emballage",
      "port paye",
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
    [
      "ristourne",
      "rabais",
      "escompte",
      "code promo",
      "bon de reduction",
      "bon d achat",
      "geste commercial",
      "geste co",
    ],
  ],
  [
    "packaging",
    [
      "bouteille vide",
      "bouteilles vides",
      "gift box",
      "coffret vide",
      "papier cadeau",
      "sac isotherme",
    ],
  ],
  [
    "other",
    [
      "tire bouchon",
      "tire bouchons",
      "limonadier",
      "rince verre",
      "verre a vin",
      "verres a vin",
      "vin chaud",
      "carte cadeau",
      "bon cadeau",
      "cheque cadeau",
      "gift card",
      "acompte",
      "arrhes",
      "pourboire",
      "cotisation",
      "adhesion",
      "frais de dossier",
      "frais bancaires",
      "frais de gestion",
      "droits d accises",
      "droit d accise",
      "accises",
      "ecotaxe",
      "eco taxe",
      "timbre fiscal",
      "etiquette personnalisee",
      "etiquettes personnalisees",
      "t shirt",
      "tee shirt",
      "jus de raisin",
      "article divers",
    ],
  ],
];

// Words that decide when they open the name, vintage or not ("Remise fidélité 2024", "Verre de
// Crémant" poured at the till, "Visite cave + dégustation"), and that a cuvée may hold further on
// ("Clos de la Remise").
const opening: Lists = [
  [
    "shipping",
    [
      "livraison",
      "expedition",
      "transport",
      "transporteur",
      "envoi",
      "messagerie",
      "shipping",
      "dpd",
      "ups",
      "dhl",
      "tnt",
      "geodis",
    ],
  ],
  ["discount", ["remise", "reduction", "avoir", "discount", "coupon", "promo", "promotion"]],
  ["deposit", ["deposit", "caution"]],
  [
    "other",
    [
      "visite",
      "degustation",
      "initiation",
      "seminaire",
      "location",
      "repas",
      "diner",
      "dejeuner",
      "verre",
      "verres",
      "coupe",
      "carafe",
      "tablier",
      "casquette",
      "taxe",
      "divers",
      "bouchon",
      "bouchons",
      "gravure",
      "arrondi",
      "accessoire",
      "accessoires",
    ],
  ],
];

// Words that open a cuvée's name as often as a charge's ("Étiquette Noire 2018", "Palette rosé",
// "L'Atelier"): they decide only where no vintage nor wine word says otherwise.
const openingUnlessWine: Lists = [
  ["shipping", ["palette"]],
  [
    "other",
    [
      "etiquette",
      "etiquettes",
      "atelier",
      "livre",
      "capsule",
      "capsules",
      "frais",
      "stage",
      "soiree",
      "huile",
      "miel",
      "confiture",
    ],
  ],
];

// A vintage or one of these words makes a name a wine's, over a charge's product code ("Porto
// Tawny" coded PORT) and the carrier's words further on; a box that is not empty holds wines.
const wineWords = [
  "coffret",
  "coffrets",
  "vin",
  "vins",
  "cuvee",
  "cremant",
  "champagne",
  "brut",
  "magnum",
  "rouge",
  "blanc",
  "blancs",
  "rose",
  "chateau",
  "clos",
  "domaine",
  "cru",
  "aoc",
  "aop",
  "igp",
  "millesime",
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
  "aligote",
  "merlot",
  "cabernet",
  "syrah",
  "grenache",
  "gamay",
  "malbec",
  "viognier",
  "alsace",
  "bordeaux",
  "bourgogne",
  "beaujolais",
  "chablis",
  "sancerre",
  "pauillac",
  "margaux",
  "medoc",
  "sauternes",
  "cotes",
  "cote",
  "porto",
  "muscadet",
  "marc",
  "ratafia",
];

// A name made of nothing but a container and what describes it is the container sold empty
// ("Caisse bois 6 bouteilles", "Coffret cadeau"), where "Caisse 12 Bordeaux" is wine sold by the
// case and "Coffret dégustation 6 x 75 cl" a box of wines.
const containers = new Set([
  "carton",
  "cartons",
  "caisse",
  "caisses",
  "caissette",
  "etui",
  "etuis",
  "emballage",
  "emballages",
  "coffret",
  "coffrets",
  "sac",
  "sacs",
  "sachet",
  "boite",
  "boites",
]);
const containerWords = new Set([
  ...containers,
  "papier",
  "cadeau",
  "bois",
  "vide",
  "vides",
  "bouteille",
  "bouteilles",
  "btl",
  "bt",
  "bts",
  "de",
  "a",
  "en",
  "pour",
  "x",
]);
// A count or a size ("6", "75cl"), never a year.
const QUANTITY = /^\d{1,3}(cl|l|ml)?$/;

function emptyContainer(folded: string): KindGuess | null {
  const parts = folded.split(" ").filter(Boolean);
  const container = parts.find((w) => containers.has(w));
  if (!container || !parts.every((w) => containerWords.has(w) || QUANTITY.test(w))) return null;
  return { kind: "packaging", because: container };
}

// Words of the carrier's charge that decide wherever they stand, where the name is no wine's
// ("Forfait livraison"). Discounts and events do not: "Rully La Remise", "L'Envoi" are wines.
const further: Lists = [
  ["shipping", ["livraison", "expedition", "transport", "shipping", "delivery", "postage"]],
];

/** Product codes that name a charge in full: `PORT`, `FDP`, `REMISE`, `CONSIGNE`. */
const chargeCodes = new Map<string, ProductKind>([
  ["port", "shipping"],
  ["fdp", "shipping"],
  ["frais de port", "shipping"],
  ["frais port", "shipping"],
  ["transport", "shipping"],
  ["livraison", "shipping"],
  ["expedition", "shipping"],
  ["remise", "discount"],
  ["ristourne", "discount"],
  ["escompte", "discount"],
  ["consigne", "deposit"],
  ["deconsigne", "deposit"],
]);

const VINTAGE = /(?<!\d)(19|20)\d{2}(?!\d)/;

/** The first listed phrase written in `words` (space-separated, padded), if any. */
const find = (words: string, phrases: string[]) =>
  phrases.find((phrase) => words.includes(` ${phrase} `)) ?? null;

function firstOf(words: string, lists: Lists): KindGuess | null {
  for (const [kind, phrases] of lists) {
    const because = find(words, phrases);
    if (because) return { kind, because };
  }
  return null;
}

// What an estate names its product families (iSaVigne's "Famille", Odoo's category): a family
// of what else it sells ("Accessoires vin" is accessories), else of wines. A family named
// otherwise ("All / Saleable") says nothing.
const families: Lists = [
  [
    "shipping",
    ["port", "frais de port", "transport", "livraison", "expedition", "shipping", "delivery"],
  ],
  ["discount", ["remise", "remises", "promotion", "promotions", "discount", "discounts"]],
  ["deposit", ["consigne", "consignes", "deposit"]],
  [
    "packaging",
    [
      "emballage",
      "emballages",
      "conditionnement",
      "packaging",
      "coffrets vides",
      "bouteilles vides",
    ],
  ],
  [
    "other",
    [
      "accessoire",
      "accessoires",
      "verre",
      "verres",
      "verrerie",
      "boutique",
      "epicerie",
      "service",
      "services",
      "degustation",
      "degustations",
      "oenotourisme",
      "visite",
      "visites",
      "evenement",
      "evenements",
      "divers",
      "goodies",
      "merchandising",
      "frais",
      "taxe",
      "taxes",
      "accessories",
      "merchandise",
    ],
  ],
  [
    "wine",
    [
      "vin",
      "vins",
      "cremant",
      "cremants",
      "champagne",
      "champagnes",
      "effervescent",
      "effervescents",
      "rouge",
      "rouges",
      "blanc",
      "blancs",
      "rose",
      "roses",
      "grand cru",
      "grands crus",
      "magnum",
      "magnums",
      "cuvee",
      "cuvees",
      "millesime",
      "millesimes",
      "bouteille",
      "bouteilles",
      "spiritueux",
      "eau de vie",
      "eaux de vie",
      "marc",
      "wine",
      "wines",
    ],
  ],
];

// Families too vague to say a product is no wine when the path names wines ("Vins / Divers").
const vague = new Set(["divers", "frais", "service", "services"]);

/** The kind a product family names: its last level ("Tous / Boutique / Accessoires"). */
function familyKind(category: string | null): KindGuess | null {
  const levels = (category ?? "").split(/[/>]/);
  const found = firstOf(` ${headerWords(levels.at(-1) ?? "")} `, families);
  if (!found) return null;
  if (found.kind === "wine") return { kind: "wine", because: null };
  const path = ` ${headerWords(levels.slice(0, -1).join(" "))} `;
  const amongWines = families
    .find(([kind]) => kind === "wine")![1]
    .some((w) => path.includes(` ${w} `));
  return vague.has(found.because!) && amongWines ? null : found;
}

/**
 * Whether a product is a wine: by its family where the estate files its products in families
 * that say so (a charge's name still wins over a family of wines), else from its name and code
 * (what every export has). Meant to be overruled: the
 * staff set a product's kind once, and imports then keep it.
 */
export function guessProductKind(
  name: string,
  sku: string | null = null,
  category: string | null = null,
): KindGuess {
  const family = familyKind(category);
  if (family && family.kind !== "wine") return family;
  const folded = headerWords(name);
  const words = ` ${folded} `;
  // Filed among the wines, "Frais de port", "Remise fidélité" or an empty case is still no wine:
  // a family of wines only stands for a vintage or a wine's word.
  const strong = firstOf(words, always);
  if (strong) return strong;
  const opened = firstOf(` ${folded.split(" ")[0] ?? ""} `, opening);
  if (opened) return opened;
  if (folded === "port") return { kind: "shipping", because: "port" };
  const empty = emptyContainer(folded);
  if (empty) return empty;
  if (family || VINTAGE.test(words) || find(words, wineWords))
    return { kind: "wine", because: null };
  const code = headerWords(sku ?? "");
  const byCode = chargeCodes.get(code);
  if (byCode) return { kind: byCode, because: code };
  return (
    firstOf(` ${folded.split(" ")[0] ?? ""} `, openingUnlessWine) ??
    firstOf(words, further) ?? { kind: "wine", because: null }
  );
}
