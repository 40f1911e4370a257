export interface NormalizedPostalCode {
  value: string | null;
  valid: boolean;
  cedex: boolean;
}

/**
 * A French postal code: five digits, the leading zero restored when a spreadsheet dropped it
 * (`1000` → `01000`), a CEDEX mention removed and reported (`75008 CEDEX 08` → `75008`).
 * For another country the code is kept as written (trimmed, upper case).
 */
export function normalizePostalCode(
  text: string,
  country: string | null = "FR",
): NormalizedPostalCode {
  const trimmed = text.trim().toUpperCase();
  if (trimmed === "") return { value: null, valid: true, cedex: false };
  if (country && country !== "FR") return { value: trimmed, valid: true, cedex: false };
  const cedex = /\bCEDEX\b/.test(trimmed);
  const digits = trimmed.replace(/\bCEDEX\b.*$/, "").replace(/[\s.]/g, "");
  if (/^\d{4}$/.test(digits)) return { value: `0${digits}`, valid: true, cedex };
  if (/^\d{5}$/.test(digits) && digits !== "00000") return { value: digits, valid: true, cedex };
  return { value: trimmed, valid: false, cedex };
}
