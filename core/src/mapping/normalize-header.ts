import { foldText } from "../normalize/text.ts";
/**
 * A header reduced to what identifies it: lower case, no accents, no spaces or punctuation, and
 * the French "N°" spelled out, so `N° client`, `No Client` and `n_client` compare equal.
 */
export function normalizeHeader(header: string): string {
  return headerWords(header).replaceAll(" ", "");
}

/** The same with its words kept apart by one space: `N° client` → `no client`. */
export function headerWords(header: string): string {
  return foldText(header)
    .replace(/n\s*[°º]/g, "no ")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}
