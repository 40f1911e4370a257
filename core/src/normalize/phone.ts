import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";

export interface NormalizedPhone {
  /** E.164 (`+33612345678`) when the number is valid; the trimmed input otherwise. */
  value: string | null;
  valid: boolean;
  type: "mobile" | "fixed" | "other" | null;
}

/**
 * A phone number in E.164, read with the estate's default country for national numbers
 * (`06 12 34 56 78` → `+33612345678`), international forms kept (`0049 …`, `+41 …`).
 */
export function normalizePhone(text: string, defaultCountry: string = "FR"): NormalizedPhone {
  const trimmed = text.trim();
  if (trimmed === "") return { value: null, valid: true, type: null };
  const prepared = trimmed.replace(/^00/, "+");
  const parsed = parsePhoneNumberFromString(prepared, {
    defaultCountry: defaultCountry as CountryCode,
    extract: false,
  });
  if (!parsed || !parsed.isValid()) return { value: trimmed, valid: false, type: null };
  const kind = parsed.getType();
  return {
    value: parsed.number,
    valid: true,
    type: kind === "MOBILE" ? "mobile" : kind === "FIXED_LINE" ? "fixed" : "other",
  };
}
