import { distance } from "fastest-levenshtein";
import { stripLegalForm } from "../normalize/company.ts";
import { foldText } from "../normalize/text.ts";

/** What identity resolution needs of a customer (values already normalised by the import). */
export interface MatchCandidate {
  id: string;
  sourceIds: string[];
  customerCode: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  email: string | null;
  phone: string | null;
  addressLine1: string | null;
  postalCode: string | null;
  city: string | null;
  kind: "private" | "trade";
}

export interface MatchPair {
  a: string;
  b: string;
  /** Sum of Fellegi-Sunter log2 weights; `Infinity` for an exact key. */
  score: number;
  method: "exact" | "probabilistic";
  reasons: string[];
}

/**
 * Fellegi-Sunter weights, log2(m/u) when a field agrees and log2((1-m)/(1-u)) when it disagrees,
 * with m = P(agree | same person) and u = P(agree | different people) set for a French estate's
 * customer file (a missing value weighs 0). Documented in docs/identity.md.
 */
const FIELDS = {
  lastName: { m: 0.95, u: 0.01 },
  firstName: { m: 0.9, u: 0.05 },
  postalCode: { m: 0.9, u: 0.02 },
  city: { m: 0.9, u: 0.03 },
  street: { m: 0.85, u: 0.005 },
} as const;
const weight = (field: keyof typeof FIELDS, agree: boolean) => {
  const { m, u } = FIELDS[field];
  return agree ? Math.log2(m / u) : Math.log2((1 - m) / (1 - u));
};

export const AUTO_MERGE_SCORE = 16;
export const REVIEW_SCORE = 8;

const FREE_MAIL = new Set([
  "gmail.com",
  "yahoo.fr",
  "yahoo.com",
  "hotmail.fr",
  "hotmail.com",
  "outlook.fr",
  "outlook.com",
  "orange.fr",
  "wanadoo.fr",
  "free.fr",
  "sfr.fr",
  "laposte.net",
  "live.fr",
  "icloud.com",
  "neuf.fr",
  "bbox.fr",
]);

const plain = (s: string | null) =>
  foldText(s ?? "")
    .replace(/[^a-z0-9 ]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
const similar = (a: string, b: string, threshold: number) =>
  a !== "" && b !== "" && 1 - distance(a, b) / Math.max(a.length, b.length) >= threshold;
/** Words every street has (its kind, articles): two streets agree on their own names only. */
const STREET_WORDS = new Set(
  (
    "rue r avenue av ave boulevard bd chemin ch route rte place pl impasse imp allee quai cours " +
    "square sq faubourg fbg lieu dit lotissement residence bis ter de des du la le les l d au aux et"
  ).split(" "),
);

/**
 * One address line as its house number (if any) and the words that name the street: "12, rue
 * des Vignes" → 12 and {vignes}. "rue des Vignes" and "rue des Lilas" shared "rue" and "des", and
 * two numbers of one street shared everything but the number: both agreed, as strongly as the
 * same address, and merged namesakes of a village who live in different houses.
 */
function streetParts(s: string | null): { number: string | undefined; words: Set<string> } {
  const tokens = plain(s).split(" ").filter(Boolean);
  // "12bis" or "12 b": the number with its suffix, so that 12 and 12bis are two houses.
  const numbered = tokens.findIndex((t) => /^\d+[a-z]*$/.test(t));
  if (
    numbered >= 0 &&
    /^\d+$/.test(tokens[numbered]!) &&
    /^(bis|ter|[a-z])$/.test(tokens[numbered + 1] ?? "")
  )
    tokens.splice(numbered, 2, tokens[numbered]! + tokens[numbered + 1]!);
  return {
    number: numbered >= 0 ? tokens[numbered] : undefined,
    words: new Set(tokens.filter((t, i) => i !== numbered && !STREET_WORDS.has(t))),
  };
}

/**
 * Two French phones of the same kind that differ: two mobiles (06 and 07 numbers) or two
 * landlines. A mobile and a landline are one person's two lines as often as not, and say
 * nothing; two mobiles are two people, or one who changed number. Only numbers the import could
 * read count (a field holding two numbers, or a number cut short, is kept as written and says
 * nothing), and two that part in one digit are one number mistyped.
 */
function phonesDiffer(x: string | null, y: string | null): boolean {
  // Normalised by the import to +33…, but a French 0… number is the same line.
  const french = (phone: string | null) => {
    const d = (phone ?? "").replace(/[\s.-]/g, "");
    const e164 = /^0\d{9}$/.test(d) ? `+33${d.slice(1)}` : d;
    return /^\+33[1-79]\d{8}$/.test(e164) ? e164 : undefined;
  };
  const [a, b] = [french(x), french(y)];
  if (!a || !b || a === b) return false;
  const digitsApart = [...a].filter((digit, i) => digit !== b[i]).length;
  const mobile = (phone: string) => /^\+33[67]/.test(phone);
  // A foreign number's kind is not read here (a Swiss mobile and landline would look alike).
  return digitsApart > 1 && mobile(a) === mobile(b);
}

/** Two first names (plain) one person could have written: the same, a typo, an initial ("J"). */
function firstNamesAgree(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length === 1 || b.length === 1) return a[0] === b[0];
  return similar(a, b, 0.8);
}

/**
 * Two first names that part only in their last letters: a man's name and its feminine (François
 * and Françoise, Julien and Julie, Jean and Jeanne, Frédéric and Frédérique), a husband and a
 * wife of one name in one village, or one person's two spellings (Karin and Karine). Staff tell
 * them apart; the matcher does not merge them alone.
 */
function firstNamesEndApart(a: string, b: string): boolean {
  if (a === b || a.length < 2 || b.length < 2) return false;
  let common = 0;
  while (common < Math.min(a.length, b.length) && a[common] === b[common]) common++;
  return common >= 3 && a.length - common <= 3 && b.length - common <= 3;
}

function houseNumbersDiffer(x: string | null, y: string | null): boolean {
  const [a, b] = [streetParts(x).number, streetParts(y).number];
  return a !== undefined && b !== undefined && a !== b;
}

/** Two streets by their words, whatever their numbers: "57 rue de l'Église", "46 place de la Mairie". */
function streetsDiffer(x: string | null, y: string | null): boolean {
  const [a, b] = [streetParts(x).words, streetParts(y).words];
  const fewer = Math.min(a.size, b.size);
  return fewer > 0 && [...a].filter((w) => b.has(w)).length / fewer < 0.6;
}

/** The same street (most of the shorter one's own words) and, when both give one, number. */
function sameStreet(x: string | null, y: string | null): boolean {
  const [a, b] = [streetParts(x), streetParts(y)];
  if (a.number && b.number && a.number !== b.number) return false;
  const shared = [...a.words].filter((w) => b.words.has(w)).length;
  const fewer = Math.min(a.words.size, b.words.size);
  return fewer === 0 ? a.number !== undefined && a.number === b.number : shared / fewer >= 0.6;
}

/**
 * Two contacts of different businesses (Mr Wolff of a wine shop and Mr Wolff of an importer, in
 * one town) are different customers, however alike their own names.
 */
const companiesDiffer = (x: MatchCandidate, y: MatchCandidate) =>
  Boolean(x.company && y.company) &&
  !similar(plain(stripLegalForm(x.company!)), plain(stripLegalForm(y.company!)), 0.8);

/** An organisation record (a company without a person's name) is never merged with a person's. */
const isOrganisation = (c: MatchCandidate) =>
  Boolean(c.company) &&
  !c.firstName &&
  (!c.lastName || plain(c.lastName) === plain(stripLegalForm(c.company ?? "")));

/**
 * Pairs of customer records that are one person (or one company), as a person checking the file
 * would pair them. Exact keys first: the same e-mail, the same phone, or the same customer code
 * in two sources. Then a probabilistic score on last and first name, postal code, city and
 * street, comparing only records that share a postal code or a non-free e-mail domain (blocking).
 * Never pairs an organisation with a person, nor two people with different last names on a shared
 * e-mail or phone (a couple, a switchboard). Deterministic: pairs come out sorted.
 */
export function matchCustomers(customers: MatchCandidate[]): MatchPair[] {
  const pairs = new Map<string, MatchPair>();
  const consider = (x: MatchCandidate, y: MatchCandidate, pair: Omit<MatchPair, "a" | "b">) => {
    if (x.id === y.id || isOrganisation(x) !== isOrganisation(y)) return;
    const [a, b] = x.id < y.id ? [x.id, y.id] : [y.id, x.id];
    const key = `${a}|${b}`;
    const existing = pairs.get(key);
    if (!existing || pair.score > existing.score) pairs.set(key, { a, b, ...pair });
  };
  const namesCompatible = (x: MatchCandidate, y: MatchCandidate) =>
    !x.lastName ||
    !y.lastName ||
    similar(plain(x.lastName), plain(y.lastName), 0.8) ||
    (isOrganisation(x) && isOrganisation(y));

  // Two first names that differ on a shared e-mail or phone are a household: staff decide. So are
  // two that part only in their endings (François and Françoise), wherever they are found.
  const firstNamesDiffer = (x: MatchCandidate, y: MatchCandidate) =>
    Boolean(x.firstName && y.firstName) &&
    !firstNamesAgree(plain(x.firstName), plain(y.firstName)) &&
    !firstNamesEndApart(plain(x.firstName), plain(y.firstName));
  const surnamesApart = (x: MatchCandidate, y: MatchCandidate) =>
    !isOrganisation(x) &&
    Boolean(x.lastName && y.lastName) &&
    plain(x.lastName) !== plain(y.lastName);
  const firstNamesAlike = (x: MatchCandidate, y: MatchCandidate) =>
    firstNamesEndApart(plain(x.firstName), plain(y.firstName));
  for (const [key, label] of [
    ["email", "même e-mail"],
    ["phone", "même téléphone"],
  ] as const) {
    for (const group of groupBy(customers, (c) => plain(c[key]) || undefined)) {
      for (let i = 0; i < group.length; i++)
        for (let j = i + 1; j < group.length; j++) {
          const [x, y] = [group[i]!, group[j]!];
          if (!namesCompatible(x, y)) continue;
          if (firstNamesDiffer(x, y) || firstNamesAlike(x, y))
            consider(x, y, {
              score: REVIEW_SCORE,
              method: "probabilistic",
              reasons: [label, "prénoms différents"],
            });
          else consider(x, y, { score: Infinity, method: "exact", reasons: [label] });
        }
    }
  }
  for (const group of groupBy(customers, (c) =>
    c.customerCode ? c.customerCode.toUpperCase() : undefined,
  )) {
    for (let i = 0; i < group.length; i++)
      for (let j = i + 1; j < group.length; j++) {
        const [x, y] = [group[i]!, group[j]!];
        if (!x.sourceIds.some((s) => !y.sourceIds.includes(s)) || !namesCompatible(x, y)) continue;
        const pair = codePair(x, y);
        if (pair) consider(x, y, pair);
      }
  }

  const blocks = [
    ...groupBy(customers, (c) => c.postalCode ?? undefined),
    ...groupBy(customers, (c) => {
      const domain = c.email?.split("@")[1];
      return domain && !FREE_MAIL.has(domain) ? domain : undefined;
    }),
  ];
  for (const block of blocks) {
    if (block.length > 500) continue; // a block that large says nothing (one big city's postcode): exact keys still apply
    for (let i = 0; i < block.length; i++)
      for (let j = i + 1; j < block.length; j++) {
        const [x, y] = [block[i]!, block[j]!];
        // Different people by what they are: a trade account and a private person, a company and
        // a person, or two first names that differ (a shared e-mail or phone was handled above).
        if (
          x.kind !== y.kind ||
          isOrganisation(x) !== isOrganisation(y) ||
          firstNamesDiffer(x, y) ||
          companiesDiffer(x, y)
        )
          continue;
        const scored = scorePair(x, y);
        // A first name and a town are shared by many: without the same surname (or the same
        // street, as after a change of married name) it is not a pair worth anyone's time.
        if (scored.score < REVIEW_SCORE) continue;
        if (!scored.reasons.includes("nom") && !scored.reasons.includes("adresse")) continue;
        // A surname and a town without both first names are not enough to merge alone, nor are
        // records that disagree on where or how to reach them: two houses of one street, two
        // mobiles (a father and a son of one name in one village, or a move): staff decide.
        const otherPhone = phonesDiffer(x.phone, y.phone);
        const conflicts = [
          houseNumbersDiffer(x.addressLine1, y.addressLine1) &&
            (streetsDiffer(x.addressLine1, y.addressLine1) ? "autre rue" : "autre numéro de rue"),
          otherPhone && "autre téléphone",
          firstNamesAlike(x, y) && "prénoms différents",
          // Meyer and Mayer, Reinbach and Weinbach: a typo, or two families of one village. The
          // same street says which; without it, staff.
          surnamesApart(x, y) && !scored.reasons.includes("adresse") && "nom proche",
        ].filter((reason): reason is string => Boolean(reason));
        // Another address and another mobile, both plainly given: two people of one name, not a
        // record typed twice, and not worth anyone's time. Other disagreements, or one alone,
        // may be a slip (a surname typo, "Apt 3, 12 rue…"): staff see them.
        const twoHomes =
          otherPhone &&
          Boolean(plain(x.addressLine1) && plain(y.addressLine1)) &&
          !sameStreet(x.addressLine1, y.addressLine1);
        if (twoHomes) continue;
        // An initial agrees with a first name, but "J" may be Jean or Jacques: staff decide too.
        const fullFirstNames = plain(x.firstName).length > 1 && plain(y.firstName).length > 1;
        const sure =
          (fullFirstNames || (isOrganisation(x) && isOrganisation(y))) && conflicts.length === 0;
        // Two addresses are no sign of two people (one at home, one at work), but staff weigh it.
        const otherEmail = Boolean(x.email && y.email) && plain(x.email!) !== plain(y.email!);
        consider(x, y, {
          ...scored,
          reasons: [...scored.reasons, ...conflicts, ...(otherEmail ? ["autre e-mail"] : [])],
          // Under the merge's threshold, a point lower for each thing that argues against the
          // pair: the review queue (best first) puts "almost everything agrees" before "another
          // street, another e-mail", which a score of 15.99 each did not tell apart.
          score: sure
            ? scored.score
            : Math.max(
                REVIEW_SCORE,
                Math.min(scored.score, AUTO_MERGE_SCORE - 0.01) -
                  conflicts.length -
                  (otherEmail ? 1 : 0),
              ),
          method: "probabilistic",
        });
      }
  }
  return [...pairs.values()].sort((p, q) => (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : 1));
}

/**
 * Two sources giving one customer code: the same customer when something else agrees (the last
 * name, e-mail, phone or postal code), as when Odoo's reference holds the iSaVigne code. Plain
 * numbers collide between systems that never shared them (customer 5000 of a shop's order file
 * and of Odoo): with nothing else to compare, staff decide; with a postal code or a town that
 * differs and nothing that agrees, they are not a pair.
 */
function codePair(x: MatchCandidate, y: MatchCandidate): Omit<MatchPair, "a" | "b"> | undefined {
  const both = (key: "lastName" | "email" | "phone" | "postalCode" | "city") =>
    plain(x[key]) !== "" && plain(y[key]) !== "";
  const agreeing = [
    both("lastName") && similar(plain(x.lastName), plain(y.lastName), 0.8) && "nom",
    both("email") && plain(x.email) === plain(y.email) && "même e-mail",
    both("phone") && plain(x.phone) === plain(y.phone) && "même téléphone",
    both("postalCode") && plain(x.postalCode) === plain(y.postalCode) && "code postal",
  ].filter((reason): reason is string => Boolean(reason));
  if (agreeing.length > 0)
    return { score: Infinity, method: "exact", reasons: ["même code client", ...agreeing] };
  const placesDiffer =
    (both("postalCode") && plain(x.postalCode) !== plain(y.postalCode)) ||
    (both("city") && !similar(plain(x.city), plain(y.city), 0.9));
  if (placesDiffer) return undefined;
  return {
    score: REVIEW_SCORE,
    method: "probabilistic",
    reasons: ["même code client", "rien d'autre à comparer"],
  };
}

/** The Fellegi-Sunter score of two records and the fields that made it. */
export function scorePair(
  x: MatchCandidate,
  y: MatchCandidate,
): { score: number; reasons: string[] } {
  let score = 0;
  const reasons: string[] = [];
  const compare = (
    field: keyof typeof FIELDS,
    a: string,
    b: string,
    agree: boolean,
    label: string,
  ) => {
    if (a === "" || b === "") return;
    score += weight(field, agree);
    if (agree) reasons.push(label);
  };
  const [xl, yl] = [plain(x.lastName ?? x.company), plain(y.lastName ?? y.company)];
  compare("lastName", xl, yl, similar(xl, yl, 0.8), "nom");
  const [xf, yf] = [plain(x.firstName), plain(y.firstName)];
  compare("firstName", xf, yf, firstNamesAgree(xf, yf), "prénom");
  compare(
    "postalCode",
    plain(x.postalCode),
    plain(y.postalCode),
    plain(x.postalCode) === plain(y.postalCode),
    "code postal",
  );
  compare(
    "city",
    plain(x.city),
    plain(y.city),
    similar(plain(x.city), plain(y.city), 0.9),
    "ville",
  );
  compare(
    "street",
    plain(x.addressLine1),
    plain(y.addressLine1),
    sameStreet(x.addressLine1, y.addressLine1),
    "adresse",
  );
  return { score: Math.round(score * 100) / 100, reasons };
}

function groupBy<T>(items: T[], keyOf: (item: T) => string | undefined): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined || key === "") continue;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}
