import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CanonicalRecord } from "@crm-reco/core";
import { lastOfEachKey, splitOnRepeatedKeys } from "./batch.ts";

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

describe("lastOfEachKey", () => {
  it.each([
    ["ABC", "ABC", 0],
    ["AAABBBCCC", "ABC", 6],
    ["AABAC", "ABC", 2],
    ["", "", 0],
  ])("keeps one row per key of %s: %s, %i superseded", (keys, kept, superseded) => {
    const result = lastOfEachKey(rows(keys), keyOf);
    expect(result.records.map(keyOf).join("")).toBe(kept);
    expect(result.superseded).toBe(superseded);
  });

  it("keeps each key's last row, where its first stood, and counts every other row as superseded", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("A", "B", "C", "D"), { maxLength: 40 }), (keys) => {
        const { records, superseded } = lastOfEachKey(rows(keys.join("")), keyOf);
        const distinct = [...new Set(keys)];
        expect(records.map(keyOf)).toEqual(distinct);
        for (const record of records)
          expect(record.line).toBe(keys.join("").lastIndexOf(String(record.key)));
        expect(superseded + records.length).toBe(keys.length);
      }),
    );
  });
});
