import { parseBottleSizeMl } from "../parse/bottle-size.ts";

/**
 * The vintage written in a product label: a year from 1900 to 2099 standing alone
 * (`Crémant d'Alsace Brut 2021 Magnum` → 2021). `null` when the label names none (a non-vintage
 * brut) or names two different years.
 */
export function vintageFromLabel(label: string): number | null {
  const years = [
    ...new Set(
      [...label.matchAll(/(?<![\d.,])(19\d{2}|20\d{2})(?![\d.,])/g)].map((m) => Number(m[1])),
    ),
  ];
  return years.length === 1 ? years[0]! : null;
}

/**
 * The bottle size written in a label, in ml: `… 37,5 cl` → 375, `… 150cl` → 1500, `Magnum` → 1500.
 * `null` when none is written (a standard bottle is not assumed).
 */
export function sizeFromLabel(label: string): number | null {
  const withUnit = /(\d+(?:[.,]\d+)?)\s*(ml|cl|l)\b/i.exec(label);
  if (withUnit) return parseBottleSizeMl(`${withUnit[1]} ${withUnit[2]}`) ?? null;
  // Only a bottle's name can size a label without a unit; a bare number is a vintage or a price.
  return /^\s*[\d.,\s]+$/.test(label) ? null : (parseBottleSizeMl(label) ?? null);
}
