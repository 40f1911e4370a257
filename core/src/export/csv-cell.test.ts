import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeCsvCell } from "./csv-cell.ts";

describe("safeCsvCell", () => {
  it.each([
    ['=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'],
    ["+33 6 12", "'+33 6 12"],
    ["+33612345678", "+33612345678"], // a stored phone: digits only, nothing to run
    ["+33612345678+1", "'+33612345678+1"],
    ["+1", "'+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["Crémant 2021", "Crémant 2021"],
    [-12.5, "-12.5"],
    [null, ""],
  ])("%j → %j", (input, output) => expect(safeCsvCell(input)).toBe(output));

  it("never lets a text cell start with a formula character, but for a bare phone number", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\+\d{0,16}.?$/)), (s) => {
        const cell = safeCsvCell(s);
        if (/^[=+\-@\t\r]/.test(cell)) expect(cell).toMatch(/^\+[1-9]\d{5,14}$/);
      }),
    );
  });
});
