import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveMapping } from "../mapping/mapping.ts";
import type { ColumnFormats } from "./build-record.ts";
import { emptyQualityState } from "../quality/score.ts";
import { createLastRowFinder, createRowProcessor } from "./process-rows.ts";

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

describe("createRowProcessor: a key on several rows", () => {
  const duplicatesIn = (entity: "customers" | "products", header: string[], rows: string[][]) => {
    const mapping: { entity: typeof entity; fields: Record<string, string> } =
      entity === "customers"
        ? { entity, fields: { external_id: header[0]!, last_name: header[1]!, city: header[2]! } }
        : { entity, fields: { sku: header[0]!, name: header[1]!, size_ml: header[2]! } };
    const processor = createRowProcessor({
      entity,
      fields: resolveMapping(mapping, header),
      formats: noFormats,
      today: "2026-12-04",
      quality: emptyQualityState(),
    });
    return rows.flatMap((values, i) => {
      const processed = processor.process({ line: i + 2, values, extra: [], cells: values });
      return processed.anomalies
        .filter((a) => a.code.endsWith(".duplicate_in_source"))
        .map((a) => `${processed.line} ${a.code}`);
    });
  };

  it.each([
    [
      "a customer repeated as they are (one row per order) loses nothing: no anomaly",
      "customers" as const,
      [
        ["C1", "Martin", "Colmar"],
        ["C2", "Blanc", "Sélestat"],
        ["C1", "Martin", "Colmar"],
      ],
      [],
    ],
    [
      "a customer whose rows differ keeps only the last: said",
      "customers" as const,
      [
        ["C1", "Martin", "Colmar"],
        ["C1", "Martin", "Strasbourg"],
      ],
      ["3 customer.duplicate_in_source"],
    ],
    [
      "two wines under one code (a 75 cl and a magnum): said",
      "products" as const,
      [
        ["POM19", "Pommard 2019", "75 cl"],
        ["POM19", "Pommard 2019 Magnum", "150 cl"],
      ],
      ["3 product.duplicate_in_source"],
    ],
    [
      "a wine listed twice alike: no anomaly",
      "products" as const,
      [
        ["POM19", "Pommard 2019", "75 cl"],
        ["POM19", "Pommard 2019", "75cl"],
      ],
      [],
    ],
  ])("%s", (_name, entity, rows, expected) => {
    expect(duplicatesIn(entity, ["Code", "Nom", "Autre"], rows)).toEqual(expected);
  });
});
