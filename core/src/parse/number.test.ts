import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inferDecimalSeparator, parseNumber } from "./number.ts";

describe("parseNumber", () => {
  it.each([
    ["12,50", 12.5],
    ["12.50", 12.5],
    ["1 234,56", 1234.56],
    ["1\u00a0234,56", 1234.56],
    ["1\u202f234,56", 1234.56],
    ["1.234,56", 1234.56],
    ["1,234.56", 1234.56],
    ["1.234.567", 1234567],
    ["1,234,567", 1234567],
    ["12,50 €", 12.5],
    ["€12.50", 12.5],
    ["12,50 EUR", 12.5],
    ["$1,234.50", 1234.5],
    ["-12,5", -12.5],
    ["−12,5", -12.5],
    ["12,5-", -12.5],
    ["(12,50)", -12.5],
    ["(1 234,56 €)", -1234.56],
    ["0", 0],
    ["-0", 0],
    ["  42  ", 42],
    ["1'234.50", 1234.5],
    ["15,00 € TTC", 15],
  ])("reads %j as %d", (text, value) => {
    expect(parseNumber(text)).toEqual({ ok: true, value });
  });

  it.each([[""], ["   "]])("reads %j as missing", (text) => {
    expect(parseNumber(text)).toEqual({ ok: true, value: null });
  });

  it.each([
    ["abc"],
    ["12,5,3.1"],
    ["1.2.3,4,5"],
    ["12 abc"],
    ["--3"],
    ["1,2345.6"],
    ["N/A"],
    ["12.34.5"],
  ])("refuses %j", (text) => {
    expect(parseNumber(text)).toMatchObject({ ok: false });
  });

  it.each([
    ["1.234", ",", 1234],
    ["0.750", ",", 0.75], // no thousands after a 0
    ["0,375", ".", 0.375],
    ["1.234", ".", 1.234],
    ["1.234", undefined, 1.234],
    ["1,234", ".", 1234],
    ["1,234", ",", 1.234],
    ["12,5", ".", 12.5],
  ] as const)("reads the ambiguous %j with a decimal %j hint as %d", (text, decimal, value) => {
    expect(parseNumber(text, decimal)).toEqual({ ok: true, value });
  });

  const cents = fc.integer({ min: -10_000_000_00, max: 10_000_000_00 }).map((n) => n / 100);

  it("reads back any amount formatted the French way, with or without €", () => {
    const fr = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 2 });
    const frCurrency = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });
    fc.assert(
      fc.property(cents, (value) => {
        expect(parseNumber(fr.format(value), ",")).toEqual({ ok: true, value });
        expect(parseNumber(frCurrency.format(value), ",")).toEqual({ ok: true, value });
      }),
    );
  });

  it("reads back any amount formatted the English way, and in accounting parentheses", () => {
    const en = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2 });
    fc.assert(
      fc.property(cents, (value) => {
        expect(parseNumber(en.format(value), ".")).toEqual({ ok: true, value });
        if (value > 0)
          expect(parseNumber(`(${en.format(value)})`, ".")).toEqual({ ok: true, value: -value });
      }),
    );
  });

  it("never throws, whatever the text", () => {
    fc.assert(fc.property(fc.string(), (text) => void parseNumber(text)));
  });
});

describe("inferDecimalSeparator", () => {
  it.each([
    [["12,50", "3", "1 234,00"], ","],
    [["12.50", "3", "1,234.00"], "."],
    [["1.234", "2.345"], undefined],
    [["3", "4"], undefined],
    [["1.234,5", "7"], ","],
  ] as const)("infers from %j: %j", (values, expected) => {
    expect(inferDecimalSeparator(values)).toBe(expected);
  });
});
