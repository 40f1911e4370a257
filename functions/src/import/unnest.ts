import { type SQL, sql } from "drizzle-orm";
import { arrayParam } from "../adapters/db/database.ts";

/** A column written by a bulk statement: its name in SQL and how its text value is cast. */
export interface ColumnSpec {
  column: string;
  /** SQL expression over `u.<column>` (the text value), e.g. `u.vintage::int`. */
  cast: (ref: SQL) => SQL;
}

export const asText: ColumnSpec["cast"] = (ref) => ref;
export const asInt: ColumnSpec["cast"] = (ref) => sql`${ref}::int`;
export const asNumeric: ColumnSpec["cast"] = (ref) => sql`${ref}::numeric`;

/** Specs for fields stored in columns of the same name: `{ vintage: asInt }`. */
export const specsFrom = (casts: Record<string, ColumnSpec["cast"]>): Record<string, ColumnSpec> =>
  Object.fromEntries(Object.entries(casts).map(([column, cast]) => [column, { column, cast }]));

const ref = (column: string) => sql.raw(`u.${column}`);

/**
 * `unnest($1::text[], $2::text[], …) as u(a, b, …)`: a whole batch as one table, in one round trip,
 * with the same SQL on PGlite, PostgreSQL and Neon. Every value travels as text (or null) and is
 * cast where it is used, so one statement shape serves every column type.
 */
export function unnestRows(columns: string[], rows: ReadonlyArray<Record<string, unknown>>): SQL {
  const arrays = columns.map((column) =>
    arrayParam(
      rows.map((row) => toText(row[column])),
      "text",
    ),
  );
  return sql`unnest(${sql.join(arrays, sql`, `)}) as u(${sql.raw(columns.join(", "))})`;
}

const toText = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

export const castList = (specs: ColumnSpec[]) =>
  sql.join(
    specs.map((s) => s.cast(ref(s.column))),
    sql`, `,
  );
export const columnList = (specs: ColumnSpec[], prefix = "") =>
  sql.raw(specs.map((s) => `${prefix}"${s.column}"`).join(", "));
