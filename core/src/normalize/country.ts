// The codes only (no names in 78 languages): French and English names come from the platform.
import countries from "i18n-iso-countries/index.js";
import { foldText } from "./text.ts";

const ALIASES: Record<string, string> = {
  uk: "GB",
  angleterre: "GB",
  england: "GB",
  ecosse: "GB",
  scotland: "GB",
  usa: "US",
  "etats-unis": "US",
  holland: "NL",
  hollande: "NL",
  "pays-bas": "NL",
};

/**
 * A country as its ISO 3166-1 alpha-2 code, from a code (`FR`, `FRA`, `250`) or a name in French
 * or English (`France`, `Allemagne`, `Germany`, `Royaume-Uni`). `undefined` when unknown.
 */
export function toCountryCode(text: string): string | null | undefined {
  const s = text.trim();
  if (s === "") return null;
  const upper = s.toUpperCase();
  if (/^[A-Z]{2}$/.test(upper) && countries.isValid(upper)) return upper;
  if (/^[A-Z]{3}$/.test(upper)) return countries.alpha3ToAlpha2(upper) ?? undefined;
  if (/^\d{3}$/.test(s)) return countries.numericToAlpha2(s) ?? undefined;
  const alias = ALIASES[foldText(s)];
  if (alias) return alias;
  return namesToCodes().get(foldText(s));
}

let byName: Map<string, string> | undefined;

/** Every country's French and English name (ICU's, through Intl), simplified, to its code. */
function namesToCodes(): Map<string, string> {
  if (byName) return byName;
  byName = new Map();
  for (const locale of ["en", "fr"]) {
    const names = new Intl.DisplayNames([locale], { type: "region" });
    for (const code of Object.keys(countries.getAlpha2Codes())) {
      const name = names.of(code);
      if (name && name !== code) byName.set(foldText(name), code);
    }
  }
  return byName;
}
