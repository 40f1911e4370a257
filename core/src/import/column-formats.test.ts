import { describe, expect, it } from "vitest";
import type { ResolvedField } from "../mapping/mapping.ts";
import { createColumnFormatLearner } from "./column-formats.ts";

const field = (key: string, column: number): ResolvedField => ({ key, column, columnName: key });

describe("createColumnFormatLearner", () => {
  const fields = [field("unit_price", 0), field("total", 1), field("quantity", 2)];
  const decimalsOf = (rows: string[][]) => {
    const learner = createColumnFormatLearner("order_lines", fields);
    for (const values of rows) learner.add(values);
    return Object.fromEntries(learner.result().decimal);
  };

  it.each([
    [
      "whole amounts with a thousands point beside prices with a decimal comma",
      [
        ["12,50", "1.250", "100"],
        ["12,50", "2.500", "200"],
        ["6", "25", "4"],
      ],
      { 0: ",", 1: ",", 2: "," },
    ],
    [
      "whole amounts with a thousands comma beside prices with a decimal point",
      [
        ["12.50", "1,250", "100"],
        ["9.90", "2,500", "2"],
      ],
      { 0: ".", 1: ".", 2: "." },
    ],
    [
      "a column that proves its own separator keeps it",
      [
        ["12,50", "1.5", "1"],
        ["3,20", "2.25", "1"],
        ["4,10", "", "1"],
      ],
      { 0: ",", 1: ".", 2: "," },
    ],
    ["nothing in the file tells", [["1.250", "2.500", "3"]], {}],
  ])("%s", (_name, rows, expected) => {
    expect(decimalsOf(rows)).toEqual(expected);
  });

  it("does not pool a workbook's columns, whose number cells are written with a point", () => {
    const learner = createColumnFormatLearner("order_lines", fields, { poolDecimals: false });
    for (const values of [
      ["12,50", "10.417", "1"],
      ["3,20", "20.833", "2"],
    ])
      learner.add(values);
    expect(Object.fromEntries(learner.result().decimal)).toEqual({ 0: "," });
  });
});
