import { canonicalFields, type ImportEntity } from "../mapping/canonical-fields.ts";
import type { ResolvedField } from "../mapping/mapping.ts";
import { createDateFormatCounter } from "../parse/date.ts";
import { createDecimalCounter, pooledDecimalSeparator } from "../parse/number.ts";
import type { ColumnFormats } from "./build-record.ts";

/**
 * Learns, over a first pass on every row, how each date and number column of a file is written,
 * so that `01/03/2024` is read the same way on line 2 and on line 200,000. Constant memory.
 */
export function createColumnFormatLearner(
  entity: ImportEntity,
  fields: ResolvedField[],
  /**
   * Whether a column that proves nothing takes the separator the file's other columns prove.
   * Text files only: a workbook's number cells are written with a point whatever the estate
   * typed, so `10.417` there is ten euros, beside prices typed as text (`12,50`).
   */
  options: { poolDecimals?: boolean } = {},
) {
  const types = new Map(canonicalFields[entity].map((f) => [f.key, f.type]));
  const dates = fields
    .filter((f) => types.get(f.key) === "date" && !f.dateFormat)
    .map((f) => ({ column: f.column, counter: createDateFormatCounter() }));
  const numbers = fields
    .filter((f) => (types.get(f.key) === "number" || types.get(f.key) === "integer") && !f.decimal)
    .map((f) => ({ column: f.column, counter: createDecimalCounter() }));
  return {
    needed: dates.length + numbers.length > 0,
    add(values: string[]) {
      for (const d of dates) d.counter.add(values[d.column] ?? "");
      for (const n of numbers) n.counter.add(values[n.column] ?? "");
    },
    result(): ColumnFormats & { ambiguousDateColumns: number[] } {
      const dateFormat = new Map<number, "dmy" | "mdy" | "ymd" | "excel">();
      const ambiguousDateColumns: number[] = [];
      for (const d of dates) {
        const inferred = d.counter.result();
        if (inferred.format) dateFormat.set(d.column, inferred.format);
        if (inferred.ambiguous) ambiguousDateColumns.push(d.column);
      }
      const decimal = new Map<number, "," | ".">();
      const file =
        options.poolDecimals === false
          ? undefined
          : pooledDecimalSeparator(numbers.map((n) => n.counter.tally()));
      for (const n of numbers) {
        const sep = n.counter.result() ?? file;
        if (sep) decimal.set(n.column, sep);
      }
      return { dateFormat, decimal, ambiguousDateColumns };
    },
  };
}
