import { foldText } from "../normalize/text.ts";
const NAMED_SIZES: Record<string, number> = {
  piccolo: 200,
  quart: 200,
  demi: 375,
  "demi-bouteille": 375,
  "demi bouteille": 375,
  fillette: 375,
  half: 375,
  "half-bottle": 375,
  "half bottle": 375,
  clavelin: 620,
  bouteille: 750,
  bottle: 750,
  btl: 750,
  magnum: 1500,
  jeroboam: 3000,
  "double magnum": 3000,
  rehoboam: 4500,
  mathusalem: 6000,
  methuselah: 6000,
  salmanazar: 9000,
  balthazar: 12000,
  nabuchodonosor: 15000,
};

/**
 * Each name as a word, longest first ("half bottle" before "bottle"). A cuvée may be named after
 * a bottle ("Cuvée Balthazar", "Cuvée « Balthazar »"), "demi" also opens a sweetness
 * ("demi-sec", "demi-doux") and a cask ("demi-muid"), and "Quarts de Chaume" is an appellation:
 * none of those is a size.
 */
const NOT_A_SIZE_AFTER: Record<string, string> = {
  demi: "(?![\\s-]*(?:sec|doux|muids?)\\b)",
  quart: "(?!s?[\\s-]+de[\\s-]+chaume)",
};
const NAMED_PATTERNS: Array<[RegExp, number]> = Object.entries(NAMED_SIZES)
  .sort((a, b) => b[0].length - a[0].length)
  .map(([name, ml]) => [
    new RegExp(`(?<!\\bcuvee[\\s«"'“]+)\\b${name}\\b${NOT_A_SIZE_AFTER[name] ?? ""}`),
    ml,
  ]);

/**
 * A bottle size in millilitres from how exports write it: `75 cl`, `0,75 L`, `750ml`, `150`,
 * `Magnum`, `Jéroboam`… A bare number is read as centilitres below 100 and millilitres above.
 * `null` for an empty cell, `undefined` when unreadable.
 */
export function parseBottleSizeMl(text: string): number | null | undefined {
  const s = foldText(text);
  if (s === "") return null;
  for (const [pattern, ml] of NAMED_PATTERNS) if (pattern.test(s)) return ml;
  const m = /^(\d+(?:[.,]\d+)?)\s*(ml|cl|l|litres?|liters?)?$/.exec(s);
  if (!m) return undefined;
  const value = Number(m[1]!.replace(",", "."));
  const unit = m[2] ?? (value < 100 ? (value < 10 ? "l" : "cl") : "ml");
  const ml = unit === "ml" ? value : unit === "cl" ? value * 10 : value * 1000;
  return Number.isFinite(ml) && ml > 0 ? Math.round(ml) : undefined;
}
