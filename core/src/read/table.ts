import Papa from "papaparse";
import type { Encoding } from "./encoding.ts";
import type { HeaderWarning } from "./find-header.ts";

/** One data row: its line in the file (1-based, where the record starts) and its cells. */
export interface TableRow {
  line: number;
  /** One string per column of the header (missing trailing cells are ""). */
  values: string[];
  /** Non-empty cells beyond the header's width: such a row cannot be read safely. */
  extra: string[];
  /** The record's cells as read (for the raw content of a rejected row, see `rawOf`). */
  cells: string[];
}

export interface TableInfo {
  format: "csv" | "xlsx";
  encoding: Encoding | undefined;
  delimiter: string | undefined;
  sheet: string | undefined;
  sheets: string[];
  /** Line (or spreadsheet row) of the header. */
  headerLine: number;
  columns: string[];
  warnings: HeaderWarning[];
}

export interface Table {
  info: TableInfo;
  rows: AsyncIterable<TableRow>;
}

export interface ReadOptions {
  encoding?: Encoding;
  delimiter?: string;
  sheet?: string;
  /** Bytes sniffed before reading (encoding, delimiter, header). */
  sampleBytes?: number;
  /**
   * Told when reading finds the file is in another encoding than its sample suggested (accents
   * in Windows-1252 only after the sample): `info.encoding` changes with it.
   */
  onEncodingFound?: (encoding: Encoding) => void;
}

/** The record as it appeared, re-serialised with the file's delimiter: kept for rejected rows. */
export const rawOf = (row: TableRow, info: TableInfo): string =>
  Papa.unparse([row.cells], { delimiter: info.delimiter ?? ";", newline: "\n" });
