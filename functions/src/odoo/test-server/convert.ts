import { formatDate, formatDatetime } from "./clock.ts";
import type { FieldDef, RawValue } from "./model-types.ts";
import { valueError } from "./python-errors.ts";

/**
 * Turns a value given to create/write into what the ORM caches (`Field.convert_to_cache`):
 * empty → false, numbers for numeric fields, `YYYY-MM-DD[ HH:MM:SS]` strings for dates.
 * Relational values are handled by the store (they need the other tables).
 */
export function convertScalar(
  field: FieldDef,
  name: string,
  model: string,
  value: unknown,
): RawValue {
  switch (field.type) {
    case "char":
    case "text":
    case "html":
      return value === false || value === null || value === undefined ? false : String(value);
    case "selection":
      if (value === false || value === null || value === undefined || value === "") return false;
      if (!field.selection?.some(([key]) => key === value))
        throw valueError(`Wrong value for ${model}.${name}: ${pythonRepr(value)}`);
      return String(value);
    case "integer":
    case "many2one_reference":
      return Math.trunc(Number(value || 0));
    case "float":
    case "monetary":
      return Number(value || 0);
    case "boolean":
      return Boolean(value);
    case "date":
      return toDate(value);
    case "datetime":
      return toDatetime(value);
    default:
      throw new Error(`convertScalar does not handle ${field.type}`);
  }
}

/** `fields.Date.to_date`: a date, or the first ten characters of a string. */
function toDate(value: unknown): RawValue {
  if (value === false || value === null || value === undefined || value === "") return false;
  if (value instanceof Date) return formatDate(value);
  const text = String(value).slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text))
    throw valueError(`time data ${pythonRepr(text)} does not match format '%Y-%m-%d'`);
  return text;
}

/** `fields.Datetime.to_datetime`: "YYYY-MM-DD HH:MM:SS", or a bare date meaning midnight. */
function toDatetime(value: unknown): RawValue {
  if (value === false || value === null || value === undefined || value === "") return false;
  if (value instanceof Date) return formatDatetime(value);
  const text = String(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return `${text} 00:00:00`;
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(text)) return text.slice(0, 19);
  throw valueError(`time data ${pythonRepr(text)} does not match format '%Y-%m-%d %H:%M:%S'`);
}

/** How Python's repr() shows JSON values in error messages. */
export function pythonRepr(value: unknown): string {
  if (typeof value === "string") return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  if (value === true) return "True";
  if (value === false) return "False";
  if (value === null || value === undefined) return "None";
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  if (typeof value === "object")
    return `{${Object.entries(value)
      .map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`)
      .join(", ")}}`;
  return String(value);
}
