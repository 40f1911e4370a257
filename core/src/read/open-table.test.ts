import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { openTable } from "./open-table.ts";
import { rawOf, type ReadOptions } from "./table.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);
const cp1252 = (text: string) => new Uint8Array(iconv.encode(text, "windows-1252"));
const withBom = (bom: number[], bytes: Uint8Array) => new Uint8Array([...bom, ...bytes]);

/** Delivers bytes in small chunks, so BOMs, multi-byte characters and records cross chunk edges. */
const streamOf = (bytes: Uint8Array, chunkSize = 7) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += chunkSize)
        controller.enqueue(bytes.slice(i, i + chunkSize));
      controller.close();
    },
  });

async function read(bytes: Uint8Array, options: ReadOptions = {}) {
  const table = await openTable(streamOf(bytes), { sampleBytes: 64, ...options });
  const rows = [];
  for await (const row of table.rows) rows.push(row);
  return { info: table.info, rows };
}

const clients =
  "Code client;Nom;Prénom;Ville;CA TTC\r\nC001;Lefèvre;Zoé;Mâcon;1 234,50\r\nC002;Dupré;Noël;Sète;99,90\r\n";

describe("openTable on CSV", () => {
  it.each([
    ["Windows-1252", cp1252(clients), "windows-1252"],
    ["UTF-8", utf8(clients), "utf-8"],
    ["UTF-8 with BOM", withBom([0xef, 0xbb, 0xbf], utf8(clients)), "utf-8"],
    [
      "UTF-16LE with BOM",
      withBom([0xff, 0xfe], new Uint8Array(iconv.encode(clients, "utf-16le"))),
      "utf-16le",
    ],
    [
      "UTF-16BE with BOM",
      withBom([0xfe, 0xff], new Uint8Array(iconv.encode(clients, "utf-16be"))),
      "utf-16be",
    ],
  ])("reads a French export saved as %s", async (_name, bytes, encoding) => {
    const { info, rows } = await read(bytes);
    expect(info).toMatchObject({
      format: "csv",
      encoding,
      delimiter: ";",
      headerLine: 1,
      columns: ["Code client", "Nom", "Prénom", "Ville", "CA TTC"],
    });
    expect(rows.map((r) => [r.line, ...r.values])).toEqual([
      [2, "C001", "Lefèvre", "Zoé", "Mâcon", "1 234,50"],
      [3, "C002", "Dupré", "Noël", "Sète", "99,90"],
    ]);
  });

  it("honours an encoding override", async () => {
    const { info, rows } = await read(utf8("a;b\nÃ©;1\n"), { encoding: "windows-1252" });
    expect(info.encoding).toBe("windows-1252");
    expect(rows[0]!.values[0]).toBe("Ã\u0192Â©");
  });

  it.each([
    [";", "a;b;c\n1,5;2,5;x\n3,25;4;y\n"],
    [",", "a,b,c\n1.5,2.5,x\n3.25,4,y\n"],
    ["\t", "a\tb\tc\n1,5\t2\tx\n3\t4\ty\n"],
    ["|", "a|b|c\n1,5|2|x\n3|4|y\n"],
  ])("sniffs the %j delimiter, even with decimal commas", async (delimiter, text) => {
    const { info, rows } = await read(utf8(text));
    expect(info.delimiter).toBe(delimiter);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.values).toHaveLength(3);
  });

  it("keeps quoted multi-line fields, doubled quotes and delimiters inside quotes, and counts lines", async () => {
    const text =
      'Nom;Adresse;Note\nMartin;"12 rue du Pressoir\nBâtiment B";"Il a dit ""santé"" ; puis"\r\nBlanc;"3 place ; du marché";ok\n';
    const { rows } = await read(utf8(text));
    expect(rows.map((r) => ({ line: r.line, values: r.values }))).toEqual([
      { line: 2, values: ["Martin", "12 rue du Pressoir\nBâtiment B", 'Il a dit "santé" ; puis'] },
      { line: 4, values: ["Blanc", "3 place ; du marché", "ok"] },
    ]);
  });

  it.each([["\r\n"], ["\n"], ["\r"]])("reads %j line endings", async (eol) => {
    const { rows } = await read(utf8(["a;b", "1;2", "3;4"].join(eol) + eol));
    expect(rows.map((r) => r.values)).toEqual([
      ["1", "2"],
      ["3", "4"],
    ]);
  });

  it("skips title and preamble lines above the header, and blank rows", async () => {
    const text =
      "Export clients du 01/03/2024;;;\nDomaine du Vieux Lavoir;;;\n;;;\nNom;Prénom;Ville;CP\nMartin;Jean;Colmar;68000\n;;;\n\nBlanc;Marie;Beaune;21200\n";
    const { info, rows } = await read(utf8(text));
    expect(info.headerLine).toBe(4);
    expect(info.columns).toEqual(["Nom", "Prénom", "Ville", "CP"]);
    expect(rows.map((r) => [r.line, r.values[0]])).toEqual([
      [5, "Martin"],
      [8, "Blanc"],
    ]);
  });

  it("names empty headers, numbers duplicates, drops blank trailing columns, and reports it", async () => {
    const { info } = await read(utf8("Nom;;Nom;Ville;;\nMartin;x;Jean;Colmar;;\n"));
    expect(info.columns).toEqual(["Nom", "Column 2", "Nom (2)", "Ville"]);
    expect(info.warnings.map((w) => w.code)).toEqual(["header.empty", "header.duplicate"]);
  });

  it("pads short rows and flags non-empty cells beyond the header, keeping the raw record", async () => {
    const { info, rows } = await read(utf8("a;b;c\n1;2\n1;2;3;4\n1;2;3;;\n"));
    expect(rows.map((r) => [r.values, r.extra])).toEqual([
      [["1", "2", ""], []],
      [["1", "2", "3"], ["4"]],
      [["1", "2", "3"], []],
    ]);
    expect(rawOf(rows[1]!, info)).toBe("1;2;3;4");
  });

  it.each([
    ["an empty file", new Uint8Array(), "import.empty"],
    ["only a BOM and blank lines", withBom([0xef, 0xbb, 0xbf], utf8("\r\n\r\n")), "import.empty"],
    [
      "a PNG renamed .csv",
      new Uint8Array([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
      ]),
      "import.binary",
    ],
    [
      "a legacy .xls",
      new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
      "import.unsupported_format",
    ],
    ["a single column", utf8("nom\nMartin\nBlanc\n"), "import.no_columns"],
    ["numbers without a header", utf8("1;2;3\n4;5;6\n"), "import.no_header"],
  ])("refuses %s with a clear code", async (_name, bytes, code) => {
    await expect(read(bytes)).rejects.toMatchObject({ code });
  });

  it("reads as Windows-1252 a file whose first accents come after an all-ASCII sample, and says so", async () => {
    const text = "a;b\n" + "x;y\n".repeat(40) + "Hélène;Noël\nété;ça\n";
    for (const chunkSize of [1, 2, 3, 5, 7, 64]) {
      const found: string[] = [];
      const table = await openTable(streamOf(cp1252(text), chunkSize), {
        sampleBytes: 64,
        onEncodingFound: (encoding) => found.push(encoding),
      });
      expect(table.info.encoding).toBe("utf-8"); // what the sample said
      const rows = [];
      for await (const row of table.rows) rows.push(row.values);
      expect(rows.slice(-2)).toEqual([
        ["Hélène", "Noël"],
        ["été", "ça"],
      ]);
      expect(table.info.encoding).toBe("windows-1252");
      expect(found).toEqual(["windows-1252"]);
    }
  });

  it.each([
    [
      "UTF-8 accents, then a Windows-1252 one: a mixed file",
      new Uint8Array([...utf8("a;b\n" + "x;y\n".repeat(40) + "é;è\n"), ...cp1252("à;ç\n")]),
      {},
    ],
    [
      "the encoding given as UTF-8",
      new Uint8Array([...utf8("a;b\n" + "x;y\n".repeat(40)), ...cp1252("é;è\n")]),
      { encoding: "utf-8" as const },
    ],
  ])("still fails with import.encoding: %s", async (_name, bytes, options) => {
    await expect(read(bytes, options)).rejects.toMatchObject({ code: "import.encoding" });
  });

  it("streams 100,000 rows with exact line numbers", async () => {
    const lines = ["N° facture;Date;Code client;Article;Qté;PU TTC"];
    for (let i = 0; i < 100_000; i++)
      lines.push(`F${i};01/03/2024;C${i % 977};SKU-${i % 40};${(i % 12) + 1};12,50`);
    const table = await openTable(streamOf(utf8(lines.join("\r\n") + "\r\n"), 65_536));
    let count = 0;
    let last = 0;
    for await (const row of table.rows) {
      count++;
      last = row.line;
    }
    expect(count).toBe(100_000);
    expect(last).toBe(100_001);
  });
});

describe("openTable on Excel", () => {
  async function workbook(build: (wb: ExcelJS.Workbook) => void) {
    const wb = new ExcelJS.Workbook();
    build(wb);
    return new Uint8Array(await wb.xlsx.writeBuffer());
  }

  it("reads the first sheet, with dates, numbers and a preamble row, even when named .csv", async () => {
    const bytes = await workbook((wb) => {
      const sheet = wb.addWorksheet("Ventes");
      sheet.addRow(["Export des ventes"]);
      sheet.addRow(["N° facture", "Date pièce", "Qté", "PU TTC", "Désignation"]);
      sheet.addRow([
        "FA-1",
        new Date(Date.UTC(2024, 2, 1)),
        6,
        12.5,
        { richText: [{ text: "Crémant " }, { text: "2021" }] },
      ]);
      sheet.addRow([]);
      sheet.addRow(["FA-2", new Date(Date.UTC(2024, 11, 24, 18, 30)), 1, 34.9, "Pinot Noir"]);
      wb.addWorksheet("Autre").addRow(["x", "y"]);
    });
    const { info, rows } = await read(bytes);
    expect(info).toMatchObject({
      format: "xlsx",
      sheet: "Ventes",
      headerLine: 2,
      columns: ["N° facture", "Date pièce", "Qté", "PU TTC", "Désignation"],
    });
    expect(rows.map((r) => [r.line, ...r.values])).toEqual([
      [3, "FA-1", "2024-03-01", "6", "12.5", "Crémant 2021"],
      [5, "FA-2", "2024-12-24T18:30:00", "1", "34.9", "Pinot Noir"],
    ]);
  });

  it("reads a chosen sheet, and names the sheets when it is missing", async () => {
    const bytes = await workbook((wb) => {
      wb.addWorksheet("Clients").addRows([
        ["Nom", "Ville"],
        ["Martin", "Colmar"],
      ]);
      wb.addWorksheet("Articles").addRows([
        ["Code", "Désignation"],
        ["CRE-21", "Crémant 2021"],
      ]);
    });
    expect((await read(bytes, { sheet: "Articles" })).rows[0]!.values).toEqual([
      "CRE-21",
      "Crémant 2021",
    ]);
    await expect(read(bytes, { sheet: "Ventes" })).rejects.toMatchObject({
      code: "import.sheet_not_found",
      details: { sheets: ["Clients", "Articles"] },
    });
  });
});
