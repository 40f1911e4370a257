import { parseNumber } from "../parse/number.ts";

export interface HeaderWarning {
  code: "header.duplicate" | "header.empty";
  column: number;
  message: string;
}

/**
 * The index of the header row among the first rows of a table: the first row that fills most of
 * the table's usual width with text (not numbers), so title and preamble lines above it
 * ("Export clients du 01/03/2024", an empty line, a report name) are skipped.
 * Returns -1 when no row looks like a header.
 */
export function findHeaderRow(rows: string[][]): number {
  const widths = rows.map(filledWidth).filter((w) => w > 0);
  if (widths.length === 0) return -1;
  const usual = mode(widths);
  for (let i = 0; i < rows.length; i++) {
    const cells = rows[i]!.map((cell) => cell.trim()).filter((cell) => cell !== "");
    if (cells.length < Math.max(2, Math.ceil(usual * 0.6))) continue;
    const numeric = cells.filter(
      (cell) => parseNumber(cell).ok || /^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}/.test(cell),
    ).length;
    if (numeric <= cells.length * 0.2) return i;
  }
  return -1;
}

const filledWidth = (row: string[]) => {
  let last = row.length;
  while (last > 0 && row[last - 1]!.trim() === "") last--;
  return last;
};

const mode = (values: number[]) => {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]![0];
};

/**
 * Clean column names: trimmed, inner spaces collapsed, trailing empty header cells dropped, empty
 * ones named `Column N`, duplicates numbered (`Nom`, `Nom (2)`), each change reported.
 */
export function normalizeHeaders(cells: string[]): {
  columns: string[];
  warnings: HeaderWarning[];
} {
  const trimmed = cells.map((cell) => cell.replace(/\s+/g, " ").trim());
  while (trimmed.length > 0 && trimmed[trimmed.length - 1] === "") trimmed.pop();
  const warnings: HeaderWarning[] = [];
  const seen = new Map<string, number>();
  const columns = trimmed.map((name, i) => {
    let column = name;
    if (column === "") {
      column = `Column ${i + 1}`;
      warnings.push({
        code: "header.empty",
        column: i,
        message: `Column ${i + 1} has no name; it is called "${column}".`,
      });
    }
    const key = column.toLowerCase();
    const times = (seen.get(key) ?? 0) + 1;
    seen.set(key, times);
    if (times > 1) {
      const renamed = `${column} (${times})`;
      warnings.push({
        code: "header.duplicate",
        column: i,
        message: `Column ${i + 1} repeats the name "${column}"; it is called "${renamed}".`,
      });
      column = renamed;
    }
    return column;
  });
  return { columns, warnings };
}
