import { collapseSpaces } from "./text.ts";

// French legal forms (and a few neighbours'), as prefixes or suffixes, with or without dots.
const LEGAL_FORMS = [
  "sarl",
  "sas",
  "sasu",
  "eurl",
  "earl",
  "scea",
  "gaec",
  "sca",
  "sa",
  "snc",
  "sci",
  "gfa",
  "scv",
  "sica",
  "gie",
  "selarl",
  "ei",
  "eirl",
  "micro-entreprise",
  "gmbh",
  "ltd",
  "llc",
  "bv",
  "srl",
];
const FORM = `(?:${LEGAL_FORMS.map((f) => f.split("").join("\\.?")).join("|")})\\.?`;
const PREFIX = new RegExp(`^${FORM}\\s+`, "i");
const SUFFIX = new RegExp(`[\\s,]+${FORM}$`, "i");

/**
 * Whether a name carries a legal form: `EARL Dupont`, `La Cave SAS`. With `inCapitals`, only as
 * companies write it (`EARL`, `S.A.`): in a name that may be a person's, `Earl Johnson` and
 * `Sa Nguyen` are first names.
 */
export const hasLegalForm = (text: string, inCapitals = false): boolean => {
  const name = collapseSpaces(text);
  const form = PREFIX.exec(name)?.[0] ?? SUFFIX.exec(name)?.[0];
  if (form === undefined) return false;
  return !inCapitals || form === form.toUpperCase();
};

/** A company name without its legal form, for matching: `SARL Les Vins du Sud` → `Les Vins du Sud`. */
export function stripLegalForm(text: string): string {
  let name = collapseSpaces(text);
  for (let previous = ""; previous !== name;) {
    previous = name;
    name = name.replace(PREFIX, "").replace(SUFFIX, "").trim();
  }
  return name === "" ? collapseSpaces(text) : name;
}
