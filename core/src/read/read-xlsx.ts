import ExcelJS from "exceljs";
import { AppError } from "../errors/app-error.ts";
import { findHeaderRow, normalizeHeaders } from "./find-header.ts";
import type { ReadOptions, Table, TableRow } from "./table.ts";

type CellValue = ExcelJS.CellValue;

const MAX_XLSX_BYTES = 100 * 1024 * 1024;

/**
 * Reads one sheet of an .xlsx workbook (the first, or the one named): cells become the text a
 * CSV export would hold (dates as ISO, numbers with a decimal point), so one pipeline reads both.
 *
 * The workbook is loaded whole (capped at 100 MB; a sheet holds at most 1,048,576 rows): exceljs's
 * streaming reader decodes each inflated chunk separately and corrupts accented characters that
 * straddle two chunks, which French exports are full of. CSV is the streamed, unbounded path.
 */
export async function readXlsx(
  bytes: () => AsyncIterable<Uint8Array>,
  options: ReadOptions,
): Promise<Table> {
  const workbook = await loadWorkbook(bytes());
  const sheets = workbook.worksheets.map((sheet) => sheet.name);
  const sheet =
    options.sheet === undefined ? workbook.worksheets[0] : workbook.getWorksheet(options.sheet);
  if (!sheet) {
    throw new AppError(
      "import.sheet_not_found",
      options.sheet
        ? `No sheet named "${options.sheet}" (sheets: ${sheets.join(", ")}).`
        : "The workbook has no sheet.",
      { sheets },
    );
  }

  const all = sheetRows(sheet);
  const headerIndex = findHeaderRow(all.slice(0, 60).map((row) => row.cells));
  if (headerIndex < 0)
    throw new AppError(
      "import.no_header",
      `No header row found in sheet "${sheet.name}": the first rows should name the columns.`,
    );
  const { columns, warnings } = normalizeHeaders(all[headerIndex]!.cells);

  async function* rows(): AsyncGenerator<TableRow> {
    for (const { line, cells } of all.slice(headerIndex + 1)) {
      if (cells.every((cell) => cell.trim() === "")) continue;
      yield {
        line,
        values: columns.map((_, i) => cells[i] ?? ""),
        extra: cells.slice(columns.length).filter((c) => c.trim() !== ""),
        cells,
      };
    }
  }

  return {
    info: {
      format: "xlsx",
      encoding: undefined,
      delimiter: undefined,
      sheet: sheet.name,
      sheets,
      headerLine: all[headerIndex]!.line,
      columns,
      warnings,
    },
    rows: rows(),
  };
}

/** A sheet's non-empty rows, each cell as the text a CSV export would hold. */
export function sheetRows(sheet: ExcelJS.Worksheet): Array<{ line: number; cells: string[] }> {
  const all: Array<{ line: number; cells: string[] }> = [];
  sheet.eachRow(
    { includeEmpty: false },
    (row, line) => void all.push({ line, cells: cellsOf(row) }),
  );
  return all;
}

function cellsOf(row: ExcelJS.Row): string[] {
  const values = row.values as CellValue[]; // 1-based: index 0 is always empty
  const cells: string[] = [];
  for (let i = 1; i < values.length; i++) cells.push(textOf(values[i]));
  return cells;
}

function textOf(value: CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.slice(0, 19);
  }
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if ("richText" in value) return value.richText.map((part) => part.text).join("");
  if ("result" in value) return textOf((value as { result: CellValue }).result);
  if ("text" in value) return String((value as { text: unknown }).text);
  if ("error" in value) return "";
  return String(value);
}

/** The whole workbook, or `import.too_large` / `import.unreadable`. */
export async function loadWorkbook(bytes: AsyncIterable<Uint8Array>): Promise<ExcelJS.Workbook> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of bytes) {
    size += chunk.length;
    if (size > MAX_XLSX_BYTES)
      throw new AppError(
        "import.too_large",
        "This Excel file is larger than 100 MB: export it as CSV instead.",
      );
    chunks.push(chunk);
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  } catch (error) {
    throw new AppError(
      "import.unreadable",
      `The Excel file cannot be read: ${(error as Error).message}`,
    );
  }
  return workbook;
}
