import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inferDateFormat, parseDate, parseDateInColumn } from "./date.ts";

describe("parseDate", () => {
  it.each([
    ["01/03/2024", "dmy", "2024-03-01"],
    ["1/3/2024", "dmy", "2024-03-01"],
    ["01/03/24", "dmy", "2024-03-01"],
    ["01/03/85", "dmy", "1985-03-01"],
    ["01-03-2024", "dmy", "2024-03-01"],
    ["01.03.2024", "dmy", "2024-03-01"],
    ["24/12/2023 18:30", "dmy", "2023-12-24T18:30:00"],
    ["24/12/2023 18h30", "dmy", "2023-12-24T18:30:00"],
    ["24/12/2023 18:30:15", "dmy", "2023-12-24T18:30:15"],
    ["03/01/2024", "mdy", "2024-03-01"],
    ["2024-03-01", "ymd", "2024-03-01"],
    ["2024-03-01T09:05:00Z", "ymd", "2024-03-01T09:05:00"],
    ["2024-03-01 09:05:00.123+01:00", "ymd", "2024-03-01T09:05:00"],
    ["08-Jul-08", "dmy", "2008-07-08"],
    ["8 juil. 2024", "dmy", "2024-07-08"],
    ["1er juillet 2024", "dmy", "2024-07-01"],
    ["1er août 24", "dmy", "2024-08-01"],
    ["15 août 2023", "dmy", "2023-08-15"],
    ["45352", "excel", "2024-03-01"],
    ["59", "excel", "1900-02-28"],
    ["61", "excel", "1900-03-01"],
    ["45352.75", "excel", "2024-03-01T18:00:00"],
    ["29/02/2024", "dmy", "2024-02-29"],
  ] as const)("reads %j (%s) as %s", (text, format, value) => {
    expect(parseDate(text, format)).toEqual({ ok: true, value });
  });

  it.each([
    ["31/02/2024", "dmy"],
    ["29/02/2023", "dmy"],
    ["13/13/2024", "dmy"],
    ["2024-13-01", "ymd"],
    ["01/03/2024", "ymd"],
    ["hier", "dmy"],
    ["24/12/2023 25:00", "dmy"],
    ["0", "excel"],
    ["60", "excel"], // Excel's fictitious 29 February 1900
    ["01/03/024", "dmy"],
  ] as const)("refuses %j as %s", (text, format) => {
    expect(parseDate(text, format)).toMatchObject({ ok: false });
  });

  it("reads an empty cell as missing", () => {
    expect(parseDate("  ", "dmy")).toEqual({ ok: true, value: null });
  });

  const day = fc
    .date({
      min: new Date("1970-01-01T00:00:00Z"),
      max: new Date("2069-12-31T00:00:00Z"),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));

  it("reads back any date written as dd/mm/yyyy, dd/mm/yy, mm/dd/yyyy or ISO", () => {
    fc.assert(
      fc.property(day, (iso) => {
        const [y, m, d] = iso.split("-");
        expect(parseDate(`${d}/${m}/${y}`, "dmy")).toEqual({ ok: true, value: iso });
        expect(parseDate(`${d}/${m}/${y!.slice(2)}`, "dmy")).toEqual({ ok: true, value: iso });
        expect(parseDate(`${m}/${d}/${y}`, "mdy")).toEqual({ ok: true, value: iso });
        expect(parseDate(iso, "ymd")).toEqual({ ok: true, value: iso });
      }),
    );
  });

  it("never throws, whatever the text and format", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom("dmy", "mdy", "ymd", "excel" as const),
        (text, format) => void parseDate(text, format),
      ),
    );
  });
});

describe("inferDateFormat", () => {
  it.each([
    [["01/03/2024", "02/03/2024"], { format: "dmy", ambiguous: true, invalid: 0 }],
    [["01/03/2024", "25/03/2024"], { format: "dmy", ambiguous: false, invalid: 0 }],
    // Months in words read the same either way: nothing to warn about.
    [["08-Jul-08", "05-Oct-08"], { format: "dmy", ambiguous: false, invalid: 0 }],
    [["12/12/2024", "01/01/2025"], { format: "dmy", ambiguous: false, invalid: 0 }],
    // Each order reads one value only: no way to tell which the file meant.
    [["13/01/2024", "01/13/2024"], { format: "dmy", ambiguous: true, invalid: 1 }],
    [["03/01/2024", "03/25/2024"], { format: "mdy", ambiguous: false, invalid: 0 }],
    [["2024-03-01", "2024-03-25T10:00:00"], { format: "ymd", ambiguous: false, invalid: 0 }],
    [["45352", "45353"], { format: "excel", ambiguous: false, invalid: 0 }],
    [["25/03/2024", "n/a", ""], { format: "dmy", ambiguous: false, invalid: 1 }],
    [["", " "], { format: undefined, ambiguous: false, invalid: 0 }],
  ] as const)("infers %j", (values, expected) => {
    expect(inferDateFormat(values)).toEqual(expected);
  });

  it("never reads a French column as month-first when a day above 12 appears anywhere in it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 12 })), {
          minLength: 1,
        }),
        fc.integer({ min: 13, max: 28 }),
        (pairs, bigDay) => {
          const values = [...pairs.map(([d, m]) => `${d}/${m}/2024`), `${bigDay}/05/2024`];
          expect(inferDateFormat(values).format).toBe("dmy");
        },
      ),
    );
  });
});

describe("parseDateInColumn", () => {
  it.each([
    ["17/01/2024", "dmy", "2024-01-17"],
    ["2024-01-17", "dmy", "2024-01-17"], // ISO reads the same anywhere
    ["2024-01-17 10:05", "mdy", "2024-01-17T10:05:00"],
    ["45400", "dmy", "2024-04-18"], // an Excel date number left unformatted
    ["45400", "ymd", "2024-04-18"],
    ["25/04/2024", "ymd", "2024-04-25"], // text in a column of real dates, one way only
    ["04/25/2024", "ymd", "2024-04-25"],
    ["04/04/2024", "excel", "2024-04-04"],
    ["2024-04-12", "excel", "2024-04-12"],
  ] as const)("%j in a %s column is %s", (text, format, iso) => {
    expect(parseDateInColumn(text, format)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ["25/03/2024", "mdy"], // a day/month value among month/day ones: one of the two is wrong
    ["03/25/2024", "dmy"],
    ["2024", "dmy"], // a year alone is no date, nor an Excel number
    ["10000", "dmy"], // five digits that would be 1927: no Excel date of an estate's
    ["12/04/2024", "ymd"], // either 12 April or 4 December: not guessed
    ["31/02/2024", "ymd"],
    ["abc", "dmy"],
  ] as const)("%j in a %s column stays an error", (text, format) => {
    expect(parseDateInColumn(text, format).ok).toBe(false);
  });

  it("reads every value its column's format reads, as that format does", () =>
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1950-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }),
        fc.constantFrom("dmy", "mdy", "ymd") as fc.Arbitrary<"dmy" | "mdy" | "ymd">,
        (date, format) => {
          const [y, m, d] = date.toISOString().slice(0, 10).split("-");
          const text =
            format === "ymd"
              ? `${y}-${m}-${d}`
              : format === "dmy"
                ? `${d}/${m}/${y}`
                : `${m}/${d}/${y}`;
          expect(parseDateInColumn(text, format)).toEqual(parseDate(text, format));
        },
      ),
    ));
});
