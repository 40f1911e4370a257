import { normalizeHeader } from "../mapping/normalize-header.ts";

const TRUE_WORDS = new Set([
  "oui",
  "o",
  "yes",
  "y",
  "1",
  "x",
  "vrai",
  "true",
  "ok",
  "optin",
  "inscrit",
  "accepte",
]);
const FALSE_WORDS = new Set([
  "non",
  "n",
  "no",
  "0",
  "faux",
  "false",
  "optout",
  "desinscrit",
  "refuse",
]);

/** oui/non, yes/no, 1/0, x, vrai/faux… `null` for an empty cell, `undefined` for anything else. */
export function parseBooleanWord(text: string): boolean | null | undefined {
  const word = normalizeHeader(text);
  if (word === "") return null;
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

// A consent column says more than yes or no: newsletters tools write subscribed/unsubscribed, and
// an estate that records the soft opt-in (CNIL: an existing customer, told at the sale that they
// may object, may receive e-mails about similar products) writes it as such.
const SOFT_OPT_IN_WORDS = new Set(["softoptin", "optinpassif", "optinclient", "clientexistant"]);
const MORE_OPT_IN_WORDS = new Set(["abonne", "subscribed", "consent", "consenti", "accepted"]);
const MORE_OPT_OUT_WORDS = new Set([
  "desabonne",
  "unsubscribed",
  "blacklist",
  "blackliste",
  "opposition",
  "oppose",
  "stop",
  "refused",
]);

/**
 * A consent cell: yes/no words (as `parseBooleanWord`), subscription words, or a soft opt-in.
 * `null` for an empty cell, `undefined` for anything else.
 */
export function parseConsentWord(
  text: string,
): "opt_in" | "soft_opt_in" | "opt_out" | null | undefined {
  const word = normalizeHeader(text);
  if (SOFT_OPT_IN_WORDS.has(word)) return "soft_opt_in";
  if (MORE_OPT_IN_WORDS.has(word)) return "opt_in";
  if (MORE_OPT_OUT_WORDS.has(word)) return "opt_out";
  const yes = parseBooleanWord(text);
  return yes === undefined || yes === null ? yes : yes ? "opt_in" : "opt_out";
}

const COLORS: Record<string, "red" | "white" | "rose" | "sparkling" | "sweet"> = {
  rouge: "red",
  red: "red",
  rot: "red",
  tinto: "red",
  blanc: "white",
  white: "white",
  weiss: "white",
  blanco: "white",
  rose: "rose",
  rosado: "rose",
  clairet: "rose",
  effervescent: "sparkling",
  petillant: "sparkling",
  mousseux: "sparkling",
  sparkling: "sparkling",
  cremant: "sparkling",
  champagne: "sparkling",
  bulles: "sparkling",
  moelleux: "sweet",
  liquoreux: "sweet",
  doux: "sweet",
  sweet: "sweet",
  vendangestardives: "sweet",
  vdn: "sweet",
};

/** Wine colour words in French or English; anything else is `other`, empty is `null`. */
export function parseWineColor(
  text: string,
): "red" | "white" | "rose" | "sparkling" | "sweet" | "other" | null {
  const word = normalizeHeader(text);
  if (word === "") return null;
  return COLORS[word] ?? "other";
}

const TRADE: Record<string, "wine_shop" | "restaurant" | "importer" | "other"> = {
  caviste: "wine_shop",
  cave: "wine_shop",
  wineshop: "wine_shop",
  epicerie: "wine_shop",
  restaurant: "restaurant",
  restaurateur: "restaurant",
  chr: "restaurant",
  hotel: "restaurant",
  bar: "restaurant",
  importateur: "importer",
  importer: "importer",
  distributeur: "importer",
  grossiste: "importer",
  pro: "other",
  professionnel: "other",
  professional: "other",
  entreprise: "other",
  societe: "other",
  // English exports' business segments (Superstore's Corporate and Home Office: small firms).
  corporate: "other",
  business: "other",
  company: "other",
  homeoffice: "other",
  b2b: "other",
  trade: "other",
  ce: "other",
};
const PRIVATE = new Set([
  "particulier",
  "private",
  "b2c",
  "prive",
  "individual",
  "consumer",
  "client",
]);

/** Private or trade customer (and which trade), from the words estates use. */
export function parseCustomerKind(text: string):
  | {
      kind: "private" | "trade";
      tradeType: "wine_shop" | "restaurant" | "importer" | "other" | null;
    }
  | null
  | undefined {
  const word = normalizeHeader(text);
  if (word === "") return null;
  if (PRIVATE.has(word)) return { kind: "private", tradeType: null };
  const trade = TRADE[word];
  return trade ? { kind: "trade", tradeType: trade } : undefined;
}

const CHANNELS: Record<string, "cellar_door" | "eshop" | "trade" | "fair"> = {
  caveau: "cellar_door",
  boutique: "cellar_door",
  domaine: "cellar_door",
  cellardoor: "cellar_door",
  vented: "cellar_door",
  ventedirecte: "cellar_door",
  vad: "cellar_door",
  internet: "eshop",
  web: "eshop",
  eshop: "eshop",
  site: "eshop",
  siteweb: "eshop",
  ecommerce: "eshop",
  enligne: "eshop",
  online: "eshop",
  pro: "trade",
  professionnel: "trade",
  negoce: "trade",
  trade: "trade",
  chr: "trade",
  caviste: "trade",
  export: "trade",
  b2b: "trade",
  salon: "fair",
  foire: "fair",
  fair: "fair",
  foireauxvins: "fair",
  salondesvins: "fair",
  evenement: "fair",
};

/** The sales channel of an order (cellar door, e-shop, trade, fair); anything else is `other`. */
export function parseOrderChannel(
  text: string,
): "cellar_door" | "eshop" | "trade" | "fair" | "other" | null {
  const word = normalizeHeader(text);
  if (word === "") return null;
  return CHANNELS[word] ?? "other";
}
