import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeCsvCell } from "./csv-cell.ts";

describe("safeCsvCell", () => {
  it.each([
    ['=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'],
    ["+33 6 12", "'+33 6 12"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["Crémant 2021", "Crémant 2021"],
    [-12.5, "-12.5"],
    [null, ""],
  ])("%j → %j", (input, output) => expect(safeCsvCell(input)).toBe(output));

  it("never lets a text cell start with a formula character", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(safeCsvCell(s)).not.toMatch(/^[=+\-@\t\r]/);
      }),
    );
  });
});
