import { describe, expect, it } from "vitest";
import { shownMonths } from "./shown-months.ts";

const month = (month: string, orders: number) => ({ month, orders, amount: orders * 100 });

describe("shownMonths", () => {
  it.each([
    [
      "the month in progress without an order yet is left out",
      [month("2026-10", 40), month("2026-11", 38), month("2026-12", 0)],
      ["2026-10", "2026-11"],
    ],
    [
      "with an order, it is shown",
      [month("2026-11", 38), month("2026-12", 3)],
      ["2026-11", "2026-12"],
    ],
    [
      "an empty month before it stays",
      [month("2026-10", 0), month("2026-11", 5), month("2026-12", 0)],
      ["2026-10", "2026-11"],
    ],
    ["no months, none shown", [], []],
  ])("%s", (_name, months, shown) => {
    expect(shownMonths(months).map((m) => m.month)).toEqual(shown);
  });
});
