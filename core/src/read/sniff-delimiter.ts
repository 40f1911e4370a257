import Papa from "papaparse";

export const delimiters = [";", ",", "\t", "|"] as const;
export type Delimiter = (typeof delimiters)[number];

/**
 * The delimiter whose rows have the most consistent number of columns over the sample (a
 * decimal comma in a `;` file gives `,` ragged rows, so `;` wins). Ties go to more columns,
 * then to the order French exports favour: `;`, `,`, tab, `|`.
 */
export function sniffDelimiter(sampleText: string): Delimiter | undefined {
  let best: { delimiter: Delimiter; consistency: number; columns: number } | undefined;
  for (const delimiter of delimiters) {
    const rows = Papa.parse<string[]>(sampleText, { delimiter, preview: 100 }).data.filter((row) =>
      row.some((cell) => cell.trim() !== ""),
    );
    if (rows.length === 0) continue;
    const counts = new Map<number, number>();
    for (const row of rows) counts.set(row.length, (counts.get(row.length) ?? 0) + 1);
    const [columns, occurrences] = [...counts.entries()].sort(
      (a, b) => b[1] - a[1] || b[0] - a[0],
    )[0]!;
    if (columns < 2) continue;
    const consistency = occurrences / rows.length;
    if (
      !best ||
      consistency > best.consistency + 1e-9 ||
      (Math.abs(consistency - best.consistency) < 1e-9 && columns > best.columns)
    ) {
      best = { delimiter, consistency, columns };
    }
  }
  return best?.delimiter;
}
