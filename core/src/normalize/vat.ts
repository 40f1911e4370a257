/** Prices with and without VAT, rounded to the cent; rates as fractions (French wine: 0.20). */
export const excludeVat = (priceInclTax: number, rate: number): number =>
  Math.round((priceInclTax / (1 + rate)) * 100) / 100;
export const includeVat = (priceExclTax: number, rate: number): number =>
  Math.round(priceExclTax * (1 + rate) * 100) / 100;
