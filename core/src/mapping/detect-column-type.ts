import { inferDateFormat } from "../parse/date.ts";
import { parseNumber } from "../parse/number.ts";

export type ColumnValueType =
  "empty" | "email" | "phone" | "date" | "postal_code" | "number" | "text";

const share = (values: string[], test: (v: string) => boolean) =>
  values.filter(test).length / values.length;

/**
 * What a column holds, judged from a sample of its values: e-mails, phone numbers, dates, French
 * postal codes, numbers, or text. A type is given when most values fit it (a few typos allowed).
 */
export function detectColumnType(sample: string[]): ColumnValueType {
  const values = sample.map((v) => v.trim()).filter((v) => v !== "");
  if (values.length === 0) return "empty";
  if (share(values, (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) >= 0.7) return "email";
  const date = inferDateFormat(values);
  if (date.format && date.format !== "excel" && 1 - date.invalid / values.length >= 0.8)
    return "date";
  if (
    share(values, (v) => /^\d{4,5}(\s*cedex.*)?$/i.test(v)) >= 0.8 &&
    share(values, (v) => /^\d{5}/.test(v)) >= 0.5
  )
    return "postal_code";
  const digitsOf = (v: string) => v.replace(/\D/g, "").length;
  if (
    share(
      values,
      (v) =>
        /^\+?[\d\s().-]+$/.test(v) &&
        digitsOf(v) >= 9 &&
        digitsOf(v) <= 15 &&
        /[\s.+-]|^0\d{9}$/.test(v),
    ) >= 0.7
  )
    return "phone";
  if (share(values, (v) => parseNumber(v).ok) >= 0.8) return "number";
  return "text";
}
