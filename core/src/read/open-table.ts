import { AppError } from "../errors/app-error.ts";
import { takeSample } from "./byte-sample.ts";
import { sniffFileKind } from "./file-kind.ts";
import { readCsv } from "./read-csv.ts";
import type { ReadOptions, Table } from "./table.ts";

const SAMPLE_BYTES = 64 * 1024;

/**
 * Opens an export as a table of rows, whatever it is: CSV in any usual encoding and delimiter,
 * or an .xlsx workbook, even one renamed `.csv`. Files that are no table at all (empty, binary,
 * legacy .xls, .ods) fail with a code and a message saying what to do.
 */
export async function openTable(
  stream: ReadableStream<Uint8Array>,
  options: ReadOptions = {},
): Promise<Table> {
  const { sample, complete, rest } = await takeSample(stream, options.sampleBytes ?? SAMPLE_BYTES);
  let consumed = false;
  const bytes = () => {
    if (consumed) throw new Error("A table's rows can be read once.");
    consumed = true;
    return rest();
  };
  switch (sniffFileKind(sample)) {
    case "empty":
      throw new AppError("import.empty", "The file is empty.");
    case "binary":
      throw new AppError(
        "import.binary",
        "This is not a spreadsheet or a CSV file (it holds binary data).",
      );
    case "xls":
      throw new AppError(
        "import.unsupported_format",
        "Old Excel .xls files cannot be read: open it in Excel or LibreOffice and save it as .xlsx or CSV.",
      );
    case "ods":
      throw new AppError(
        "import.unsupported_format",
        "OpenDocument .ods files cannot be read: save it as .xlsx or CSV from LibreOffice.",
      );
    case "xlsx": {
      // Loaded on demand: the Excel reader weighs ~40 MB of memory that CSV imports never need.
      const { readXlsx } = await import("./read-xlsx.ts");
      return readXlsx(bytes, options);
    }
    case "csv":
      return readCsv(sample, complete, bytes, options);
  }
}
