import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CanonicalRecord } from "@crm-reco/core";
import { layers, splitOnRepeatedKeys } from "./batch.ts";

const rows = (keys: string) => [...keys].map((key, line) => ({ key, line }));
const keyOf = (r: CanonicalRecord) => String(r.key);
const keysOf = (parts: CanonicalRecord[][]) => parts.map((p) => p.map(keyOf).join(""));

describe("splitOnRepeatedKeys", () => {
  it.each([
    ["ABC", ["ABC"]],
    ["AAB", ["A", "AB"]],
    ["AABBB", ["A", "AB", "B", "B"]],
    ["ABAB", ["AB", "AB"]],
  ])("cuts %s where a key repeats: %j", (keys, parts) => {
    expect(keysOf(splitOnRepeatedKeys(rows(keys), keyOf))).toEqual(parts);
  });
});

describe("layers", () => {
  it.each([
    ["ABC", ["ABC"]],
    ["AAABBBCCC", ["ABC", "ABC", "ABC"]], // one row per order: three parts, not seven
    ["AABAC", ["ABC", "A", "A"]],
    ["", []],
  ])("cuts %s into each key's first rows, then second rows…: %j", (keys, parts) => {
    expect(keysOf(layers(rows(keys), keyOf))).toEqual(parts);
  });

  it("keeps every row once, each key's rows in file order, no key twice in a part", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("A", "B", "C", "D"), { maxLength: 40 }), (keys) => {
        const parts = layers(rows(keys.join("")), keyOf);
        for (const part of parts) {
          expect(new Set(part.map(keyOf)).size).toBe(part.length);
          // File order within a part.
          expect(part.map((r) => r.line)).toEqual(
            [...part.map((r) => Number(r.line))].sort((a, b) => a - b),
          );
        }
        const flat = parts.flat();
        expect(flat.map((r) => r.line).sort((a, b) => Number(a) - Number(b))).toEqual(
          keys.map((_, i) => i),
        );
        // Each key's rows come in file order across the parts.
        for (const key of new Set(keys)) {
          const lines = flat.filter((r) => r.key === key).map((r) => Number(r.line));
          expect(lines).toEqual([...lines].sort((a, b) => a - b));
        }
      }),
    );
  });
});
