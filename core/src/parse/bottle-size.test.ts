import { describe, expect, it } from "vitest";
import { parseBottleSizeMl } from "./bottle-size.ts";

describe("parseBottleSizeMl", () => {
  it.each([
    ["75 cl", 750],
    ["75cl", 750],
    ["0,75 L", 750],
    ["0.375 l", 375],
    ["1,5 L", 1500],
    ["750ml", 750],
    ["75", 750],
    ["150", 150],
    ["1500", 1500],
    ["Magnum", 1500],
    ["magnum 2021", 1500],
    ["Jéroboam", 3000],
    ["Demi-bouteille", 375],
    ["Bouteille", 750],
    ["Half bottle", 375],
    ["demi bouteille", 375],
    ["Demi", 375],
    ["", null],
  ])("reads %j as %j", (text, ml) => {
    expect(parseBottleSizeMl(text)).toBe(ml);
  });

  it.each([["grand"], ["-75 cl"], ["75 kg"], ["demi-sec"], ["Demi Doux"], ["demi-muid"]])(
    "cannot read %j",
    (text) => {
      expect(parseBottleSizeMl(text)).toBeUndefined();
    },
  );
});
