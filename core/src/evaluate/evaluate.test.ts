import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildInteractions, dayNumber, type Purchase } from "../recommend/interactions.ts";
import { fitItemKnn } from "../recommend/item-knn.ts";
import { fitPopularity } from "../recommend/popularity.ts";
import type { Model } from "../recommend/recommender.ts";
import { boughtBetween, evaluate, scoreModel, temporalSplit } from "./evaluate.ts";
import { catalogueCoverage, ndcgAt, rankingMetrics } from "./metrics.ts";

describe("rankingMetrics", () => {
  it.each([
    [
      [1, 2, 3],
      [1, 3],
      3,
      {
        precision: 2 / 3,
        recall: 1,
        ndcg: 1.5 / (1 + 1 / Math.log2(3)),
        ap: (1 + 2 / 3) / 2,
        hit: 1,
      },
    ],
    [[4, 5, 6], [1], 3, { precision: 0, recall: 0, ndcg: 0, ap: 0, hit: 0 }],
    [[1, 2], [2], 2, { precision: 0.5, recall: 1, ndcg: 1 / Math.log2(3), ap: 0.5, hit: 1 }],
    [[1, 2, 3, 4], [1, 2, 3, 4, 5, 6], 4, { precision: 1, recall: 4 / 6, ndcg: 1, ap: 1, hit: 1 }],
  ])("ranked %j, relevant %j, k=%i", (ranked, relevant, k, expected) => {
    const m = rankingMetrics(ranked, new Set(relevant), k);
    for (const [key, value] of Object.entries(expected))
      expect(m[key as keyof typeof m], key).toBeCloseTo(value, 10);
  });

  it("ndcgAt, the weight search's shortcut, is rankingMetrics' NDCG exactly", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 15 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 12 }),
        (ranked, relevant, k) => {
          const flags = Uint8Array.from({ length: 31 }, (_, i) => (relevant.includes(i) ? 1 : 0));
          expect(ndcgAt(ranked, flags, relevant.length, k)).toBe(
            rankingMetrics(ranked, new Set(relevant), k).ndcg,
          );
        },
      ),
    );
  });

  it("measures catalogue coverage", () => {
    expect(
      catalogueCoverage(
        [
          [1, 2],
          [2, 3],
        ],
        10,
      ),
    ).toBeCloseTo(0.3);
  });
});

describe("evaluate", () => {
  const p = (customerId: string, itemId: string, date: string): Purchase => ({
    customerId,
    itemId,
    date,
    quantity: 1,
  });
  // Before the split everyone who buys A also buys B; after it, u4 (who had only A) buys B.
  const history = [
    p("u1", "A", "2024-01-01"),
    p("u1", "B", "2024-01-02"),
    p("u2", "A", "2024-02-01"),
    p("u2", "B", "2024-02-02"),
    p("u3", "C", "2024-03-01"),
    p("u3", "C", "2024-03-05"),
    p("u5", "C", "2024-03-02"),
    p("u4", "A", "2024-04-01"),
    p("u4", "B", "2024-07-01"),
    p("u9", "B", "2024-07-02"),
  ];

  it("judges models on what customers bought after the split, in both protocols", () => {
    const results = evaluate(
      history,
      [(d) => fitPopularity(d), (d) => fitItemKnn(d, { shrink: 0 })],
      { splitDate: "2024-06-01", k: 1, weighting: { kind: "binary" } },
    );
    const get = (algorithm: string, protocol: string) =>
      results.find((r) => r.algorithm === algorithm && r.protocol === protocol)!;
    // Popularity ranks A, B, C all with 2 buyers: A first; u4 bought B → miss in "all"; in "new" A is excluded → B: hit.
    expect(get("popularity", "all")).toMatchObject({ customers: 1, hitRate: 0, ndcg: 0 });
    expect(get("popularity", "new")).toMatchObject({
      customers: 1,
      hitRate: 1,
      ndcg: 1,
      precision: 1,
      recall: 1,
    });
    expect(get("itemknn", "new")).toMatchObject({ customers: 1, hitRate: 1, map: 1 });
    expect(get("itemknn", "all").coverage).toBeCloseTo(1 / 3);
  });

  it("judges new products in the model's complete list with the bought ones taken out", () => {
    const split = temporalSplit(history, {
      splitDate: "2024-06-01",
      weighting: { kind: "binary" },
    });
    const [a, b, c] = ["A", "B", "C"].map((id) => split.train.itemIndex.get(id)!);
    // A model that ranks otherwise when asked to leave items out, as a blend of such lists does.
    const model: Model = {
      name: "blend-like",
      recommend: (_u, k, exclude) =>
        (exclude ? [c!, b!] : [a!, b!, c!]).slice(0, k).map((item, rank) => ({
          item,
          score: 3 - rank,
          because: [],
        })),
    };
    // u4 bought A before the split and B after: B is second in the complete list, after A.
    expect(scoreModel(model, split, 1, "new")).toMatchObject({ customers: 1, hitRate: 1 });
  });
});

describe("boughtBetween", () => {
  it("keeps what known customers bought of known items from the first day, before the last", () => {
    const bought = (customerId: string, itemId: string, date: string, quantity = 1): Purchase => ({
      customerId,
      itemId,
      date,
      quantity,
    });
    const train = buildInteractions(
      [bought("a", "X", "2024-01-01"), bought("b", "Y", "2024-01-01")],
      { asOf: "2024-05-31", weighting: { kind: "binary" } },
    );
    const later = [
      bought("a", "Y", "2024-05-31"), // the day before: out
      bought("a", "Y", "2024-06-01"), // the first day: in
      bought("b", "X", "2024-06-30T18:00:00"), // the last day kept
      bought("b", "Y", "2024-07-01"), // the end, excluded
      bought("a", "X", "2024-06-10", 0), // no quantity: a return or a gift line, out
      bought("c", "X", "2024-06-10"), // a customer the history does not know
      bought("a", "Z", "2024-06-10"), // an item it does not know
    ];
    const found = boughtBetween(later, train, dayNumber("2024-06-01"), dayNumber("2024-07-01"));
    const named = [...found].map(([u, items]) => [
      train.customers[u],
      [...items].map((i) => train.items[i]),
    ]);
    expect(named).toEqual([
      ["a", ["Y"]],
      ["b", ["X"]],
    ]);
  });
});
