import Papa from "papaparse";
import { AppError } from "../errors/app-error.ts";
import { type Encoding, bomLengthFor, createTextDecoder, detectEncoding } from "./encoding.ts";
import { findHeaderRow, normalizeHeaders } from "./find-header.ts";
import { type Delimiter, delimiters, sniffDelimiter } from "./sniff-delimiter.ts";
import type { ReadOptions, Table, TableInfo, TableRow } from "./table.ts";

const NEWLINES = /\r\n|\r|\n/g;

/**
 * Streams a delimited text file: encoding and delimiter are detected on the sample (or given),
 * preamble lines above the header are skipped, and rows come out one at a time with their line
 * number, through papaparse's streaming parser: memory does not grow with the file.
 */
export async function readCsv(
  sample: Uint8Array,
  complete: boolean,
  bytes: () => AsyncIterable<Uint8Array>,
  options: ReadOptions,
): Promise<Table> {
  const encoding: Encoding = options.encoding ?? detectEncoding(sample, complete).encoding;
  const bomLength = bomLengthFor(sample, encoding);
  // Guessed from a sample without a mark: a Windows-1252 file whose first accent comes after the
  // sample reads as UTF-8 until then (see createTextDecoder), and is read as what it is after.
  const guessed = options.encoding === undefined && encoding === "utf-8" && bomLength === 0;
  const late = {
    onWindows1252: () => {
      info.encoding = "windows-1252";
      options.onEncodingFound?.("windows-1252");
    },
  };

  const sampleDecoder = createTextDecoder(encoding);
  let sampleText =
    sampleDecoder.write(sample.subarray(bomLength)) + (complete ? sampleDecoder.end() : "");
  // Sniff on whole lines only; the sample's last line may be cut.
  if (!complete && /[\r\n]/.test(sampleText))
    sampleText = sampleText.slice(
      0,
      Math.max(sampleText.lastIndexOf("\n"), sampleText.lastIndexOf("\r")),
    );

  const delimiter = options.delimiter ?? sniffDelimiter(sampleText);
  if (!delimiter) {
    throw new AppError(
      "import.no_columns",
      "No column separator found: the file has a single column. Expected `;`, `,`, tab or `|` between columns.",
    );
  }
  if (options.delimiter && !delimiters.includes(options.delimiter as Delimiter)) {
    throw new AppError(
      "import.invalid_delimiter",
      `Unsupported delimiter ${JSON.stringify(options.delimiter)}: use one of ; , tab |.`,
    );
  }
  const newline = guessNewline(sampleText);
  const preview = Papa.parse<string[]>(sampleText, { delimiter, newline, preview: 60 }).data;
  const headerIndex = findHeaderRow(preview);
  if (headerIndex < 0)
    throw new AppError(
      "import.no_header",
      "No header row found: the first lines should name the columns.",
    );
  const { columns, warnings } = normalizeHeaders(preview[headerIndex]!);

  async function* rows(): AsyncGenerator<TableRow> {
    const decoder = createTextDecoder(encoding, guessed ? late : {});
    async function* text() {
      let skip = bomLength;
      for await (const chunk of bytes()) {
        const body = skip > 0 ? chunk.subarray(Math.min(skip, chunk.length)) : chunk;
        skip = Math.max(0, skip - chunk.length);
        const decoded = decoder.write(body);
        if (decoded) yield decoded;
      }
      const tail = decoder.end();
      if (tail) yield tail;
    }
    const parser = new Papa.Parser({ delimiter, newline });
    async function* records(): AsyncGenerator<string[]> {
      // Papa's own Node stream re-parses its whole pending chunk after every backpressure pause
      // (quadratic, 10× slower here); its Parser fed chunk by chunk holds back the last,
      // possibly incomplete, record and gives the cursor to resume from.
      let pending = "";
      for await (const chunk of text()) {
        const input = pending + chunk;
        const result = parser.parse(input, 0, true) as {
          data: string[][];
          meta: { cursor: number };
        };
        pending = input.slice(result.meta.cursor);
        yield* result.data;
      }
      if (pending !== "") yield* (parser.parse(pending, 0, false) as { data: string[][] }).data;
    }
    let line = 1;
    let index = 0;
    for await (const cells of records()) {
      const start = line;
      line += 1 + cells.reduce((n, cell) => n + (cell.match(NEWLINES)?.length ?? 0), 0);
      if (index++ <= headerIndex) continue;
      if (cells.every((cell) => cell.trim() === "")) continue;
      const values = columns.map((_, i) => cells[i] ?? "");
      const extra = cells.slice(columns.length).filter((cell) => cell.trim() !== "");
      yield { line: start, values, extra, cells };
    }
  }

  const headerLine =
    1 +
    preview
      .slice(0, headerIndex)
      .reduce(
        (n, cells) => n + 1 + cells.reduce((m, c) => m + (c.match(NEWLINES)?.length ?? 0), 0),
        0,
      );
  const info: TableInfo = {
    format: "csv",
    encoding,
    delimiter,
    sheet: undefined,
    sheets: [],
    headerLine,
    columns,
    warnings,
  };
  return { info, rows: rows() };
}

/** The line ending most lines of the sample use (files mixing them exist; the majority wins). */
function guessNewline(sample: string): "\r\n" | "\n" | "\r" {
  const crlf = sample.match(/\r\n/g)?.length ?? 0;
  const lf = (sample.match(/\n/g)?.length ?? 0) - crlf;
  const cr = (sample.match(/\r/g)?.length ?? 0) - crlf;
  if (crlf >= lf && crlf >= cr && crlf > 0) return "\r\n";
  return cr > lf ? "\r" : "\n";
}
