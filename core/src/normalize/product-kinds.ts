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
