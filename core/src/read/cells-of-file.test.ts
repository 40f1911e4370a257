import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { cellsOfFile } from "./cells-of-file.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);
const cp1252 = (text: string) => new Uint8Array(iconv.encode(text, "windows-1252"));

/** Small chunks, so that lines and characters cross chunk edges. */
const streamOf = (bytes: Uint8Array, chunkSize = 5) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += chunkSize)
        controller.enqueue(bytes.slice(i, i + chunkSize));
      controller.close();
    },
  });

async function cells(bytes: Uint8Array, sampleBytes?: number) {
  const all: string[][] = [];
  for await (const line of cellsOfFile(streamOf(bytes), sampleBytes)) all.push(line);
  return all;
}

describe("cellsOfFile", () => {
  it.each([
    {
      file: "a file of one column (no import reads it)",
      bytes: utf8("jean@x.fr\r\nmarie@y.fr\r\n"),
      want: [["jean@x.fr"], ["marie@y.fr"]],
    },
    {
      file: "a preamble, the header and quoted cells",
      bytes: utf8('Export du 01/02/2024\n\nCode;"E-mail"\nC001;"Jean <jean@x.fr>"\n'),
      want: [["Export du 01/02/2024"], [""], ["Code", "E-mail"], ["C001", "Jean <jean@x.fr>"]],
    },
    {
      file: "decimal commas in a `;` file stay whole",
      bytes: utf8("Client;Prix\n5017;5017,50\n"),
      want: [
        ["Client", "Prix"],
        ["5017", "5017,50"],
      ],
    },
    {
      file: "a `,` file, Windows-1252, no line break at the end",
      bytes: cp1252("Nom,Ville\nLefèvre,Mâcon"),
      want: [
        ["Nom", "Ville"],
        ["Lefèvre", "Mâcon"],
      ],
    },
    {
      file: "UTF-8 with a byte-order mark",
      bytes: new Uint8Array([0xef, 0xbb, 0xbf, ...utf8("Code;Nom\nC1;Zoé\n")]),
      want: [
        ["Code", "Nom"],
        ["C1", "Zoé"],
      ],
    },
    {
      file: "a binary file",
      bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]),
      want: [],
    },
  ])("$file", async ({ bytes, want }) => {
    expect(await cells(bytes)).toEqual(want);
  });

  it("reads past the sample, a line cut across chunks", async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `C${i};client${i}@x.fr`);
    const all = await cells(utf8(lines.join("\n")), 16);
    expect(all).toHaveLength(200);
    expect(all[199]).toEqual(["C199", "client199@x.fr"]);
  });

  it("reads every sheet of a workbook, the rows above its header too", async () => {
    const workbook = new ExcelJS.Workbook();
    workbook
      .addWorksheet("Ventes")
      .addRows([["Ventes 2024"], ["Facture", "Client", "Montant"], ["F1", "C001", 12.5]]);
    workbook.addWorksheet("Contacts").addRows([["jean@x.fr"]]);
    const all = await cells(new Uint8Array(await workbook.xlsx.writeBuffer()));
    expect(all).toEqual([
      ["Ventes 2024"],
      ["Facture", "Client", "Montant"],
      ["F1", "C001", "12.5"],
      ["jean@x.fr"],
    ]);
  });
});
