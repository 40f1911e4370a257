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
  // Overseas first: libphonenumber's French plan still holds some of their ranges (Mayotte's
  // 02 69, Martinique's 05 96), which would make them numbers of mainland France.
  const found = overseas(prepared, defaultCountry) ?? (parsed?.isValid() ? parsed : undefined);
  if (!found) return { value: trimmed, valid: false, type: null };
  const kind = found.getType();
  return {
    value: found.number,
    valid: true,
    type: kind === "MOBILE" ? "mobile" : kind === "FIXED_LINE" ? "fixed" : "other",
  };
}

/**
 * France's overseas departments and territories share its national numbering: from Colmar one
 * dials a Réunion mobile as 06 92 …, which is +262 692 … and no +33 number (Guadeloupe 0690,
 * Martinique 0696, Guyane 0694, Mayotte 0639, and their landlines 0262, 0590, 0596, 0594, 0269).
 * A French file writes them so, sometimes with the metropolitan +33 in front.
 */
const FRENCH_OVERSEAS: CountryCode[] = ["RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF"];

function overseas(prepared: string, defaultCountry: string) {
  if (defaultCountry !== "FR") return undefined;
  const national = prepared.replace(/^\+33\s*\(?0?\)?\s*/, "0");
  // Only their prefixes are tried: eight parses for every number would slow an import.
  if (!/^0(26[239]|59[046]|639|69\d)/.test(national.replace(/[\s.()-]/g, ""))) return undefined;
  for (const region of FRENCH_OVERSEAS) {
    const parsed = parsePhoneNumberFromString(national, { defaultCountry: region, extract: false });
    if (parsed?.isValid() && parsed.country === region) return parsed;
  }
  return undefined;
}
