/**
 * A cell that spreadsheet software will show as text, never run as a formula (CSV injection):
 * values starting with `=`, `+`, `-`, `@`, tab or carriage return get a leading apostrophe, as
 * OWASP recommends. Numbers are left alone, so a negative amount stays a number, and so is a
 * phone number in international form (`+33612345678`, as phones are stored): digits alone call
 * no function and reach nothing, and a calling tool would not dial `'+33…`.
 */
export function safeCsvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  if (isE164(value)) return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A phone number in international form, as the import stores every number it could read. */
export const isE164 = (value: string) => /^\+[1-9]\d{5,14}$/.test(value);
