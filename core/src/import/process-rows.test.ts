import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveMapping } from "../mapping/mapping.ts";
import type { ColumnFormats } from "./build-record.ts";
import { createLastRowFinder } from "./process-rows.ts";

const noFormats: ColumnFormats = { dateFormat: new Map(), decimal: new Map() };
const columns = ["N° client", "Nom", "Ville"];
const fields = resolveMapping(
  { entity: "customers", fields: { external_id: "N° client", last_name: "Nom", city: "Ville" } },
  columns,
);
const row = (line: number, code: string) => ({
  line,
  values: [code, "Martin", "Colmar"],
  extra: [],
  cells: [code, "Martin", "Colmar"],
});

describe("createLastRowFinder", () => {
  it.each([
    ["every key once", ["C1", "C2", "C3"], []],
    ["one customer on consecutive rows", ["C1", "C1", "C1", "C2"], [2, 3]],
    ["one customer far apart", ["C1", "C2", "C1", "C3", "C1"], [2, 4]],
    ["spaces around a code are the same code", ["C1", " C1 ", "C2"], [2]],
    ["a row without a code is rejected, not a key", ["C1", "", "C1"], [2]],
  ])("%s: superseded lines %j (the file's first row is line 2)", (_name, codes, superseded) => {
    const finder = createLastRowFinder({ entity: "customers", fields, formats: noFormats });
    const rows = codes.map((code, i) => row(i + 2, code));
    for (const r of rows) finder.add(r);
    const key = (code: string) => code.trim();
    expect(
      rows
        .filter((r) => r.values[0] && finder.isSuperseded(key(r.values[0]), r.line))
        .map((r) => r.line),
    ).toEqual(superseded);
  });

  it("leaves exactly one row of each key not superseded: the last one", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("A", "B", "C", "D"), { maxLength: 40 }), (codes) => {
        const finder = createLastRowFinder({ entity: "customers", fields, formats: noFormats });
        codes.forEach((code, i) => finder.add(row(i + 2, code)));
        const kept = codes.flatMap((code, i) => (finder.isSuperseded(code, i + 2) ? [] : [i]));
        expect(kept).toEqual(
          [...new Set(codes)].map((code) => codes.lastIndexOf(code)).sort((a, b) => a - b),
        );
      }),
    );
  });

  it("supersedes nothing for a key it never saw", () => {
    const finder = createLastRowFinder({ entity: "customers", fields, formats: noFormats });
    expect(finder.isSuperseded("C9", 2)).toBe(false);
  });
});
