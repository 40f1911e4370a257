/**
 * A cell that spreadsheet software will show as text, never run as a formula (CSV injection):
 * values starting with `=`, `+`, `-`, `@`, tab or carriage return get a leading apostrophe, as
 * OWASP recommends. Numbers are left alone, so a negative amount stays a number.
 */
export function safeCsvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
