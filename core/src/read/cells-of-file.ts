import { takeSample } from "./byte-sample.ts";
import { detectEncoding } from "./encoding.ts";
import { sniffFileKind } from "./file-kind.ts";
import { sniffDelimiter } from "./sniff-delimiter.ts";

/**
 * Every cell of a stored file, line by line, whatever its shape: to find who a file names, not to
 * import it. A table's reader skips what it cannot import (a preamble, a file of one column, the
 * header row, the sheets after the first); this reads them all. Text is cut at the delimiter
 * its first lines suggest (none for a file of one column) and quotes are dropped, so a quoted
 * cell holding the delimiter or a line break comes as pieces: what is searched for (a code, an
 * e-mail) holds neither. Files that are no table (binary, .xls, .ods) yield nothing.
 */
export async function* cellsOfFile(
  stream: ReadableStream<Uint8Array>,
  sampleBytes = 64 * 1024,
): AsyncGenerator<string[]> {
  const { sample, complete, rest } = await takeSample(stream, sampleBytes);
  const kind = sniffFileKind(sample);
  if (kind === "csv") {
    const { encoding } = detectEncoding(sample, complete);
    const delimiter = sniffDelimiter(new TextDecoder(encoding).decode(sample));
    yield* textCells(rest(), encoding, delimiter);
  } else if (kind === "xlsx") {
    // Loaded on demand, as for an import: the Excel reader is heavy.
    const { loadWorkbook, sheetRows } = await import("./read-xlsx.ts");
    for (const sheet of (await loadWorkbook(rest())).worksheets)
      for (const row of sheetRows(sheet)) yield row.cells;
  }
}

async function* textCells(
  bytes: AsyncIterable<Uint8Array>,
  encoding: string,
  delimiter: string | undefined,
): AsyncGenerator<string[]> {
  // Not strict: a stray byte must not hide the rest of the file from a search.
  const decoder = new TextDecoder(encoding);
  let pending = "";
  const cut = (line: string) =>
    (delimiter === undefined ? [line] : line.split(delimiter)).map((cell) =>
      cell.replace(/"/g, "").trim(),
    );
  for await (const chunk of bytes) {
    const lines = (pending + decoder.decode(chunk, { stream: true })).split(/\r\n|\n|\r/);
    pending = lines.pop() ?? "";
    for (const line of lines) yield cut(line);
  }
  pending += decoder.decode();
  if (pending !== "") yield cut(pending);
}
