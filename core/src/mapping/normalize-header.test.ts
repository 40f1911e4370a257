import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { headerWords, normalizeHeader } from "./normalize-header.ts";

describe("normalizeHeader and headerWords", () => {
  it.each([
    ["N° client", "noclient", "no client"],
    ["No Client", "noclient", "no client"],
    ["E-mail  client ", "emailclient", "e mail client"],
    ["Désignation", "designation", "designation"],
    ["Winery", "winery", "winery"],
    ["n°123", "no123", "no 123"],
  ])("%j → %j, words %j", (header, compact, words) => {
    expect(normalizeHeader(header)).toBe(compact);
    expect(headerWords(header)).toBe(words);
  });

  it("spells a header as before words were kept (saved mappings are found by it)", () => {
    const before = (header: string) =>
      header
        .normalize("NFD")
        .replace(/\p{M}/gu, "")
        .toLowerCase()
        .replace(/n\s*[°º]/g, "no")
        .replace(/[^a-z0-9]+/g, "");
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (header) => {
        expect(normalizeHeader(header)).toBe(before(header));
        expect(headerWords(header)).toMatch(/^(?:[a-z0-9]+(?: [a-z0-9]+)*)?$/);
      }),
    );
  });
});
