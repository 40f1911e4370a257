import { z } from "zod";
import { closest, distance } from "fastest-levenshtein";
import { AppError } from "../errors/app-error.ts";
import { Transformation } from "../normalize/transformation-schema.ts";
import { canonicalFields, importEntities } from "./canonical-fields.ts";

/** A column's reading options, when its values need telling how to read them. */
const ColumnRef = z.union([
  z.string().min(1),
  z.object({
    column: z.string().min(1),
    dateFormat: z.enum(["dmy", "mdy", "ymd", "excel"]).optional(),
    decimal: z.enum([",", "."]).optional(),
    /** Applied in order to the cell before it is read as the field's type. */
    transforms: z.array(Transformation).optional(),
  }),
]);

/** Which column feeds which canonical field, e.g. `{ "entity": "customers", "fields": { "external_id": "N° client" } }`. */
export const Mapping = z.object({
  entity: z.enum(importEntities),
  fields: z.record(z.string(), ColumnRef),
});
export type Mapping = z.infer<typeof Mapping>;

export interface ResolvedField {
  key: string;
  column: number;
  columnName: string;
  dateFormat?: "dmy" | "mdy" | "ymd" | "excel";
  decimal?: "," | ".";
  transforms?: Transformation[];
}

/**
 * Checks a mapping against the file's columns and the entity's fields, and resolves column
 * indexes. Fails with `mapping.*` codes naming what is wrong.
 */
export function resolveMapping(mapping: Mapping, columns: string[]): ResolvedField[] {
  const known = new Map(canonicalFields[mapping.entity].map((f) => [f.key, f]));
  const resolved: ResolvedField[] = [];
  for (const [key, ref] of Object.entries(mapping.fields)) {
    if (!known.has(key))
      throw new AppError(
        "mapping.unknown_field",
        unknownField(key, mapping.entity, [...known.keys()]),
        {
          field: key,
          known: [...known.keys()],
        },
      );
    const columnName = typeof ref === "string" ? ref : ref.column;
    const column = columns.indexOf(columnName);
    if (column < 0)
      throw new AppError(
        "mapping.unknown_column",
        `The file has no column "${columnName}" (for ${key}).`,
        { field: key, column: columnName, columns },
      );
    resolved.push({
      key,
      column,
      columnName,
      ...(typeof ref === "string"
        ? {}
        : { dateFormat: ref.dateFormat, decimal: ref.decimal, transforms: ref.transforms }),
    });
  }
  const missing = [...known.values()].filter(
    (f) => f.required && !resolved.some((r) => r.key === f.key),
  );
  if (missing.length > 0) {
    throw new AppError(
      "mapping.missing_required",
      `No column for the required field(s): ${missing.map((f) => `${f.key} (${f.label.fr})`).join(", ")}.`,
      {
        missing: missing.map((f) => f.key),
        columns,
      },
    );
  }
  return resolved;
}

/** A field the entity does not have, with the likeliest one meant (a typo) and the whole list. */
function unknownField(key: string, entity: string, known: string[]): string {
  const guess = closest(key, known);
  const meant = distance(key, guess) <= 3 ? ` Did you mean "${guess}"?` : "";
  return `"${key}" is not a field of ${entity}.${meant} Its fields: ${known.join(", ")}.`;
}
