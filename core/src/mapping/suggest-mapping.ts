import { distance } from "fastest-levenshtein";
import {
  type CanonicalField,
  canonicalFields,
  type FieldType,
  type ImportEntity,
} from "./canonical-fields.ts";
import { parseBooleanWord, parseConsentWord, parseCustomerKind } from "../parse/words.ts";
import { type ColumnValueType, detectColumnType } from "./detect-column-type.ts";
import type { Mapping } from "./mapping.ts";
import { headerWords, normalizeHeader } from "./normalize-header.ts";

export interface FieldSuggestion {
  field: string;
  column: string;
  /** 0-1: 1 for a saved mapping or an exact name; the name's similarity for a fuzzy match. */
  confidence: number;
  method: "saved" | "exact" | "fuzzy";
}

export interface MappingSuggestion {
  mapping: Mapping;
  suggestions: FieldSuggestion[];
  columnTypes: Record<string, ColumnValueType>;
  unmappedColumns: string[];
  missingRequired: string[];
}

export const FUZZY_THRESHOLD = 0.78;

/**
 * Which column contents a field may take: a date field never gets a column of e-mails, nor a
 * name a column of dates ("Client depuis", 01/09/2011, is no "Client"). A text field may take
 * e-mails: a web shop's customer id is often the address.
 */
const accepts: Record<FieldType, ColumnValueType[] | "any"> = {
  text: ["text", "number", "postal_code", "phone", "email", "empty"],
  email: ["email", "empty", "text"],
  phone: ["phone", "number", "empty", "text"],
  postal_code: ["postal_code", "number", "empty", "text"],
  country: "any",
  date: ["date", "empty", "number"],
  number: ["number", "empty", "postal_code"],
  integer: ["number", "empty", "postal_code"],
  boolean: "any",
  consent: "any",
  customer_kind: "any",
};

/**
 * Fields whose values are words of a small vocabulary (yes/no, the customer's type): a near name
 * is not enough, most sampled values must be words of it. A US winery's `Newsletter Sales`
 * (amounts) is one edit from a consent synonym; mapped, it rejected every row of the file.
 */
const vocabulary: Partial<Record<FieldType, (value: string) => boolean>> = {
  boolean: (v) => parseBooleanWord(v) !== undefined,
  consent: (v) => parseConsentWord(v) !== undefined,
  customer_kind: (v) => parseCustomerKind(v) !== undefined,
};

/** Whether 80 % of a column's non-empty sampled values are words of the field's vocabulary. */
function speaksVocabulary(type: FieldType, values: string[]): boolean {
  const isWord = vocabulary[type];
  if (!isWord) return true;
  const filled = values.filter((v) => v.trim() !== "");
  return filled.filter(isWord).length >= 0.8 * filled.length;
}

/** A saved mapping for the same source and header set, when there is one. */
export interface SavedMapping {
  headerSignature: string;
  fields: Mapping["fields"];
}

/** Headers normalised, sorted and joined: two exports with the same columns share it. */
export const headerSignature = (columns: string[]) =>
  [...columns].map(normalizeHeader).sort().join("|");

/**
 * The mapping a person would draw for a file, with a confidence per field. In order: a saved
 * mapping of the same source and header set; an exact name (case, accents, spaces and
 * punctuation ignored) among each field's French and English synonyms; a fuzzy name (Levenshtein
 * similarity ≥ 0.78, or a synonym's words within the header's) restricted to columns whose
 * sampled values fit the field's type (and, for yes/no and customer types, are words of its
 * vocabulary). One column per field, one field per column, best score first.
 */
export function suggestMapping(
  entity: ImportEntity,
  columns: string[],
  sampleRows: string[][],
  saved?: SavedMapping,
): MappingSuggestion {
  const fields = canonicalFields[entity];
  const columnValues = new Map(
    columns.map((column, i) => [column, sampleRows.map((row) => row[i] ?? "")]),
  );
  const columnTypes = Object.fromEntries(
    columns.map((column) => [column, detectColumnType(columnValues.get(column)!)]),
  );

  if (
    saved &&
    saved.headerSignature === headerSignature(columns) &&
    Object.values(saved.fields).every((ref) =>
      columns.includes(typeof ref === "string" ? ref : ref.column),
    )
  ) {
    const suggestions = Object.entries(saved.fields).map(([field, ref]) => ({
      field,
      column: typeof ref === "string" ? ref : ref.column,
      confidence: 1,
      method: "saved" as const,
    }));
    return finish(entity, fields, columns, columnTypes, suggestions, saved.fields);
  }

  const columnWords = new Map(columns.map((column) => [column, headerWords(column)]));
  // `rank`: which synonym matched (the field's own labels come first), to break ties.
  const candidates: Array<FieldSuggestion & { rank: number }> = [];
  for (const field of fields) {
    const synonyms = field.synonyms.map(normalizeHeader);
    const synonymWords = field.synonyms.map(headerWords);
    for (const column of columns) {
      const header = normalizeHeader(column);
      if (header === "") continue;
      if (synonyms.includes(header)) {
        candidates.push({
          field: field.key,
          column,
          confidence: 1,
          method: "exact",
          rank: synonyms.indexOf(header),
        });
        continue;
      }
      const allowed = accepts[field.type];
      if (allowed !== "any" && !allowed.includes(columnTypes[column]!)) continue;
      if (!speaksVocabulary(field.type, columnValues.get(column)!)) continue;
      const words = columnWords.get(column)!;
      const scores = synonyms.map((synonym, n) =>
        similarity(header, synonym, words, synonymWords[n]!),
      );
      const score = Math.max(...scores);
      if (score >= FUZZY_THRESHOLD)
        candidates.push({
          field: field.key,
          column,
          confidence: Math.round(score * 100) / 100,
          method: "fuzzy",
          rank: scores.indexOf(score),
        });
    }
  }
  // Best first; on a tie, the field listed first in the catalogue, then the leftmost column.
  candidates.sort(
    (a, b) =>
      b.confidence - a.confidence ||
      a.rank - b.rank ||
      order(fields, a.field) - order(fields, b.field) ||
      columns.indexOf(a.column) - columns.indexOf(b.column),
  );
  const chosen: FieldSuggestion[] = [];
  for (const { rank: _rank, ...candidate } of candidates) {
    if (chosen.some((c) => c.field === candidate.field || c.column === candidate.column)) continue;
    chosen.push(candidate);
  }
  chosen.sort((a, b) => order(fields, a.field) - order(fields, b.field));
  return finish(
    entity,
    fields,
    columns,
    columnTypes,
    chosen,
    Object.fromEntries(chosen.map((c) => [c.field, c.column])),
  );
}

function finish(
  entity: ImportEntity,
  fields: CanonicalField[],
  columns: string[],
  columnTypes: Record<string, ColumnValueType>,
  suggestions: FieldSuggestion[],
  mapped: Mapping["fields"],
): MappingSuggestion {
  const used = new Set(suggestions.map((s) => s.column));
  return {
    mapping: { entity, fields: mapped },
    suggestions,
    columnTypes,
    unmappedColumns: columns.filter((c) => !used.has(c)),
    missingRequired: fields
      .filter((f) => f.required && !suggestions.some((s) => s.field === f.key))
      .map((f) => f.key),
  };
}

const columnValueTypes: ColumnValueType[] = [
  "empty",
  "email",
  "phone",
  "date",
  "postal_code",
  "number",
  "text",
];

/** The column contents a field of this type may take (what the mapping editor offers per column). */
export const columnTypesAccepted = (type: FieldType): ColumnValueType[] => {
  const allowed = accepts[type];
  return allowed === "any" ? columnValueTypes : allowed;
};

const order = (fields: CanonicalField[], key: string) => fields.findIndex((f) => f.key === key);

/**
 * Levenshtein similarity of two normalised headers. A header that is a synonym plus one short
 * qualifier word scores 0.8-0.9, more when it starts with it (French puts the head noun first:
 * `E-mail client` is an e-mail, not a client); a longer or numbered remainder (`Customer
 * Segment`, `Sales 2008`) is another thing, not a qualified synonym, and so is a longer word that
 * merely starts with it (`Winery` is no `Wine`: the synonym's words must be whole words of the
 * header, `words` and `synonymWords` being both spelt with spaces).
 */
function similarity(header: string, synonym: string, words: string, synonymWords: string): number {
  const edit = 1 - distance(header, synonym) / Math.max(header.length, synonym.length);
  const remainder = header.replace(synonym, "");
  if (
    synonym.length < 4 ||
    !` ${words} `.includes(` ${synonymWords} `) ||
    remainder.length > 6 ||
    /\d/.test(remainder)
  )
    return edit;
  const coverage = synonym.length / header.length;
  return Math.max(edit, (header.startsWith(synonym) ? 0.9 : 0.8) + 0.1 * coverage);
}
