import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { topK } from "./recommender.ts";

/** The k best by sorting everything: positive, not excluded, higher score first, then lower index. */
function sortedTopK(scores: Float64Array, k: number, exclude?: ReadonlySet<number>) {
  return Array.from(scores, (score, item) => ({ item, score }))
    .filter((s) => s.score > 0 && !exclude?.has(s.item))
    .sort((a, b) => b.score - a.score || a.item - b.item)
    .slice(0, k);
}

describe("topK", () => {
  it("keeps what a full sort keeps, ties to the lower index", () => {
    // Few distinct values (many ties), negatives and zeros, and k around the vector's length.
    const score = fc.oneof(
      fc.integer({ min: -3, max: 6 }).map((v) => v / 2),
      fc.double({ min: -1, max: 1, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(score, { maxLength: 300 }),
        fc.integer({ min: 0, max: 60 }),
        fc.option(fc.uniqueArray(fc.nat(299), { maxLength: 40 })),
        (values, k, excluded) => {
          const scores = Float64Array.from(values);
          const exclude = excluded ? new Set(excluded) : undefined;
          expect(topK(scores, k, exclude)).toEqual(sortedTopK(scores, k, exclude));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("keeps the k best of a thousand scores where half are positive, as a model's list does", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let run = 0; run < 20; run++) {
      const scores = Float64Array.from({ length: 1000 }, () => random() - 0.5);
      for (const k of [1, 10, 40]) expect(topK(scores, k)).toEqual(sortedTopK(scores, k));
    }
  });
});
