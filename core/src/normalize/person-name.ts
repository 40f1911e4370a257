import { hasLegalForm } from "./company.ts";
import { collapseSpaces, titleCase } from "./text.ts";

export interface PersonName {
  civility: string | null;
  firstName: string | null;
  lastName: string | null;
}

// Longest first, so "M. et Mme" wins over "M.".
const CIVILITIES: Array<[RegExp, string]> = [
  [/^(m\.?|mr\.?|monsieur)\s+(et|&)\s+(mme|madame)\.?(\s+|$)/i, "M. et Mme"],
  [/^(mme|madame|mrs\.?|ms\.?)(\s+|$)/i, "Mme"],
  [/^(mlle|mademoiselle|miss)(\s+|$)/i, "Mlle"],
  [/^(m\.|mr\.?|monsieur)(\s+|$)/i, "M."],
  [/^(dr\.?|docteur)(\s+|$)/i, "Dr"],
  [/^(me|maître|maitre)\s+/i, "Me"],
];

/**
 * A full name split into civility, first name and last name. French exports write
 * `DUPONT Jean` (last name in capitals first) as often as `Jean Dupont`: a word in capitals is the
 * last name; otherwise the last word is. `M. et Mme Dupont` keeps the couple's civility.
 */
export function splitFullName(text: string): PersonName {
  let rest = collapseSpaces(text);
  let civility: string | null = null;
  for (const [pattern, label] of CIVILITIES) {
    const match = pattern.exec(rest);
    if (match) {
      civility = label;
      rest = rest.slice(match[0].length);
      break;
    }
  }
  if (rest === "") return { civility, firstName: null, lastName: null };
  const words = rest.split(" ");
  const isUpper = (w: string) =>
    w.length > 1 && w === w.toLocaleUpperCase("fr") && /\p{L}/u.test(w);
  const upper = words.filter(isUpper);
  if (upper.length > 0 && upper.length < words.length) {
    return {
      civility,
      lastName: titleCase(upper.join(" ")),
      firstName: titleCase(words.filter((w) => !isUpper(w)).join(" ")),
    };
  }
  if (words.length === 1) return { civility, firstName: null, lastName: titleCase(words[0]!) };
  return {
    civility,
    firstName: titleCase(words.slice(0, -1).join(" ")),
    lastName: titleCase(words.at(-1)!),
  };
}

/**
 * The customer a sales line names, for the record made until their own file comes: a company
 * when a legal form says so (`SARL Cave Œnologie`), a person split when a civility opens the name
 * (`Mme Hélène Dupré`); anything else whole as the last name, since `Cave du Port` is no first
 * and last name.
 */
export function customerNamedOnASale(text: string): {
  civility: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  kind: "trade" | null;
} {
  const name = collapseSpaces(text);
  if (hasLegalForm(name, true))
    return { civility: null, firstName: null, lastName: null, company: name, kind: "trade" };
  const person = splitFullName(name);
  if (person.civility !== null && person.lastName !== null)
    return { ...person, company: null, kind: null };
  return { civility: null, firstName: null, lastName: name, company: null, kind: null };
}
