import {
  type CanonicalField,
  canonicalFields,
  type ImportEntity,
} from "../mapping/canonical-fields.ts";
import type { ResolvedField } from "../mapping/mapping.ts";
import { applyChain } from "../normalize/transformations.ts";
import { parseBottleSizeMl } from "../parse/bottle-size.ts";
import { type DateFormat, parseDateInColumn } from "../parse/date.ts";
import { type DecimalSeparator, parseNumber } from "../parse/number.ts";
import {
  parseBooleanWord,
  parseConsentWord,
  parseCustomerKind,
  parseOrderChannel,
  parseWineColor,
} from "../parse/words.ts";

export interface RejectReason {
  field: string;
  code: string;
  message: string;
  /** The same in French, as the estate's staff read it (the web app, the rejected rows' file). */
  messageFr: string;
}

export type CanonicalRecord = Record<string, string | number | boolean | null>;

export type BuiltRecord =
  { ok: true; record: CanonicalRecord } | { ok: false; reasons: RejectReason[] };

/** How the columns of this file read: inferred from all their values, or given. */
export interface ColumnFormats {
  dateFormat: Map<number, DateFormat>;
  decimal: Map<number, DecimalSeparator>;
  /** Column names, for transformations that read other cells of the row (concat). */
  columns?: string[];
}

/**
 * One canonical record from one row, or every reason it cannot be one. Rules: text is trimmed
 * and its inner spaces collapsed; an empty cell is null; a required field must be present; dates,
 * numbers, booleans and the few vocabularies are parsed, and a value that does not parse rejects
 * the row (it is never replaced by a guess or dropped); cells beyond the header reject the row.
 */
export function buildRecord(
  entity: ImportEntity,
  fields: ResolvedField[],
  values: string[],
  extra: string[],
  formats: ColumnFormats,
): BuiltRecord {
  const defs = definitions[entity];
  const record: CanonicalRecord = {};
  const reasons: RejectReason[] = [];
  if (extra.length > 0) {
    const cells = extra.map((e) => JSON.stringify(e)).join(", ");
    reasons.push({
      field: "",
      code: "row.extra_cells",
      message: `The row has ${extra.length} filled cell(s) beyond the last column: ${cells}.`,
      messageFr: `La ligne a ${extra.length} cellule(s) remplie(s) après la dernière colonne : ${cells}.`,
    });
  }
  for (const field of fields) {
    const def = defs.get(field.key)!;
    let cell = values[field.column] ?? "";
    let decimal = field.decimal ?? formats.decimal.get(field.column);
    if (field.transforms) {
      const out = transformed(field, def, values, formats.columns ?? [], reasons);
      if (!out) continue;
      cell = out.text;
      if (out.number) decimal = "."; // a number a step produced is written with a point
    }
    const text = cell.replace(/\s+/g, " ").trim();
    const dateFormat = field.dateFormat ?? formats.dateFormat.get(field.column) ?? "dmy";
    const parsed = parseValue(def, text, dateFormat, decimal);
    if ("reason" in parsed) {
      reasons.push({
        field: field.key,
        code: parsed.code,
        message: `${field.columnName}: ${parsed.reason}`,
        messageFr: `${field.columnName} : ${inFrench(parsed.code, text, dateFormat) ?? parsed.reason}`,
      });
      continue;
    }
    Object.assign(record, parsed.values);
  }
  for (const def of defs.values()) {
    if (
      def.required &&
      (record[def.key] === null || record[def.key] === undefined) &&
      !reasons.some((r) => r.field === def.key)
    ) {
      reasons.push({
        field: def.key,
        code: "value.required",
        message: `${def.label.fr} (${def.key}) is required and empty.`,
        messageFr: `${def.label.fr} est obligatoire et vide.`,
      });
    }
  }
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, record };
}

/**
 * A cell after the field's transformation chain. A step that cannot read the value leaves it as
 * it was: a required field is then rejected with the step's reason, an optional one goes on to be
 * read as its type (and rejected only if that fails too).
 */
function transformed(
  field: ResolvedField,
  def: CanonicalField,
  values: string[],
  columns: string[],
  reasons: RejectReason[],
): { text: string; number: boolean } | undefined {
  const lookup = (name: string) => values[columns.indexOf(name)] ?? "";
  const result = applyChain(field.transforms!, values[field.column] ?? "", lookup);
  if (result.issue && def.required) {
    reasons.push({
      field: field.key,
      code: `value.${result.issue.code.replace(".", "_")}`,
      message: `${field.columnName}: ${result.issue.message}`,
      messageFr: `${field.columnName} : ${result.issue.message}`,
    });
    return undefined;
  }
  return {
    text: result.value === null ? "" : String(result.value),
    number: typeof result.value === "number",
  };
}

const DATE_FORMAT_FR: Record<DateFormat, string> = {
  dmy: "jour/mois/année attendu",
  mdy: "mois/jour/année attendu",
  ymd: "année-mois-jour attendu",
  excel: "numéro de date Excel attendu",
};

/** A value refused, said in French: what `parseValue` says in English, by its code. */
function inFrench(code: string, text: string, dateFormat: DateFormat): string | undefined {
  const value = `« ${text} »`;
  switch (code) {
    case "value.invalid_date":
      return `${value} n'est pas une date (${DATE_FORMAT_FR[dateFormat]})`;
    case "value.invalid_number":
      return `${value} n'est pas un nombre`;
    case "value.invalid_integer":
      return `${value} n'est pas un nombre entier`;
    case "value.invalid_boolean":
      return `${value} n'est pas oui ou non (oui/non, 1/0, x)`;
    case "value.invalid_consent":
      return `${value} n'est pas un consentement (oui/non, 1/0, x, opt-in, désinscrit, soft opt-in…)`;
    case "value.invalid_kind":
      return `${value} n'est ni un particulier ni un professionnel (particulier, caviste, restaurant, importateur, pro…)`;
    case "value.invalid_size":
      return `${value} n'est pas une contenance (75 cl, 1,5 L, Magnum…)`;
    default:
      return undefined;
  }
}

const definitions = Object.fromEntries(
  Object.entries(canonicalFields).map(([entity, list]) => [
    entity,
    new Map(list.map((f) => [f.key, f])),
  ]),
) as Record<ImportEntity, Map<string, CanonicalField>>;

type Parsed = { values: CanonicalRecord } | { code: string; reason: string };

function parseValue(
  def: CanonicalField,
  text: string,
  dateFormat: DateFormat,
  decimal: DecimalSeparator | undefined,
): Parsed {
  const one = (value: string | number | boolean | null): Parsed => ({
    values: { [def.key]: value },
  });
  if (text === "") return def.key === "kind" ? { values: {} } : one(null);
  switch (def.type) {
    case "text":
    case "phone":
    case "postal_code":
    case "country":
      return parseSpecialText(def.key, text);
    case "email":
      return one(text.toLowerCase());
    case "date": {
      const parsed = parseDateInColumn(text, dateFormat);
      return parsed.ok ? one(parsed.value) : { code: "value.invalid_date", reason: parsed.reason };
    }
    case "number":
    case "integer": {
      const parsed = parseNumber(text, decimal);
      if (!parsed.ok) return { code: "value.invalid_number", reason: parsed.reason };
      if (def.type === "integer" && parsed.value !== null && !Number.isInteger(parsed.value))
        return { code: "value.invalid_integer", reason: `"${text}" is not a whole number` };
      return one(parsed.value);
    }
    case "boolean": {
      const parsed = parseBooleanWord(text);
      return parsed === undefined
        ? { code: "value.invalid_boolean", reason: `"${text}" is not yes/no (oui/non, 1/0, x)` }
        : one(parsed);
    }
    case "consent": {
      const parsed = parseConsentWord(text);
      if (parsed === undefined)
        return {
          code: "value.invalid_consent",
          reason: `"${text}" is not a consent (oui/non, 1/0, x, opt-in, désinscrit, soft opt-in…)`,
        };
      return one(parsed);
    }
    case "customer_kind": {
      const parsed = parseCustomerKind(text);
      if (parsed === undefined)
        return {
          code: "value.invalid_kind",
          reason: `"${text}" is neither a private nor a trade customer type (particulier, caviste, restaurant, importateur, pro…)`,
        };
      return { values: parsed ? { kind: parsed.kind, trade_type: parsed.tradeType } : {} };
    }
  }
}

function parseSpecialText(key: string, text: string): Parsed {
  if (key === "size_ml") {
    const ml = parseBottleSizeMl(text);
    return ml === undefined
      ? {
          code: "value.invalid_size",
          reason: `"${text}" is not a bottle size (75 cl, 1,5 L, Magnum…)`,
        }
      : { values: { size_ml: ml } };
  }
  if (key === "color") return { values: { color: parseWineColor(text) } };
  if (key === "channel") return { values: { channel: parseOrderChannel(text) } };
  return { values: { [key]: text } };
}
