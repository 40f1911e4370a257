import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyRules, defaultRules, type RuleContext } from "./business-rules.ts";
import { de, explain } from "./explain.ts";
import { type ItemAttributes, NO_ATTRIBUTES, sharedTraits, type Trait } from "./item-attributes.ts";
import {
  chooseHybridWeights,
  fitHybrid,
  fusedScores,
  fusedTop,
  fusionTable,
  slotsOf,
} from "./hybrid.ts";
import { buildInteractions } from "./interactions.ts";
import { fitEase } from "./ease.ts";
import { fitItemKnn } from "./item-knn.ts";
import { fitPopularity } from "./popularity.ts";
import type { Model } from "./recommender.ts";
import { fitRp3beta } from "./rp3beta.ts";

/** A model that ranks a fixed list for everyone. */
const fixed = (name: string, items: number[]): Model => ({
  name,
  recommend: (_u, k, exclude) =>
    items
      .filter((i) => !exclude?.has(i))
      .slice(0, k)
      .map((item, rank) => ({
        item,
        score: 10 - rank,
        because: [{ item: 100 + item, weight: 1 }],
      })),
});

describe("hybrid (weighted rank fusion)", () => {
  it("blends ranks and scores relative to each list's first, and keeps the reasons of the model that gave each item most", () => {
    const hybrid = fitHybrid([
      { model: fixed("itemknn", [1, 2, 3]), weight: 1 },
      { model: fixed("rebuy", [3, 4]), weight: 2 },
    ]);
    const top = hybrid.recommendWithSources(0, 4);
    // Scores 10, 9, 8… so each rank r gives ½·61/(61 + r) + ½·(10 − r)/10:
    // 3: (½·61/63 + ½·0.8) + 2·1; 4: 2·(½·61/62 + ½·0.9); 1: 1; 2: ½·61/62 + ½·0.9
    expect(top.map((s) => [s.item, s.source])).toEqual([
      [3, "rebuy"],
      [4, "rebuy"],
      [1, "itemknn"],
      [2, "itemknn"],
    ]);
    expect(top[0]!.score).toBeCloseTo(0.5 * (61 / 63) + 0.4 + 2, 12);
    expect(top[1]!.score).toBeCloseTo(2 * (0.5 * (61 / 62) + 0.45), 12);
  });

  it("reads a model's typed ranking as it would read its list: the same items, scores, sources and reasons", () => {
    // The models that score the whole catalogue hand the blend typed arrays (`rank`); the blend
    // reads the others' lists. Stripped of `rank`, the same models must blend identically.
    const purchase = fc.record({
      customerId: fc.constantFrom("a", "b", "c", "d", "e"),
      itemId: fc.constantFrom("w1", "w2", "w3", "w4", "w5", "w6", "w7"),
      date: fc.constantFrom("2024-01-10", "2024-06-01"),
      quantity: fc.integer({ min: 1, max: 6 }),
    });
    fc.assert(
      fc.property(
        fc.array(purchase, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 8 }),
        (purchases, k) => {
          const data = buildInteractions(purchases, {
            asOf: "2024-12-31",
            weighting: { kind: "decay", halfLifeDays: 180 },
          });
          const models = [fitPopularity(data), fitItemKnn(data), fitEase(data), fitRp3beta(data)];
          const blend = (parts: Model[]) =>
            fitHybrid(
              parts.map((model, m) => ({ model, weight: 1 + m })),
              3,
            );
          const typed = blend(models);
          const lists = blend(models.map(({ rank: _rank, ...listOnly }) => listOnly));
          for (let u = 0; u < data.customers.length; u++) {
            const bought = new Set(data.itemOf.subarray(data.rowStart[u], data.rowStart[u + 1]));
            for (const exclude of [undefined, bought]) {
              const read = (h: typeof typed) =>
                h.recommendWithSources(u, k, exclude).map((s) => ({ ...s, because: s.because }));
              expect(read(typed)).toEqual(read(lists));
            }
          }
        },
      ),
    );
  });

  /** A model that ranks `items` for everyone with the given scores. */
  const scored = (name: string, items: number[], scores: number[]): Model => ({
    name,
    recommend: (_u, k) =>
      items.slice(0, k).map((item, rank) => ({ item, score: scores[rank]!, because: [] })),
  });

  it.each([1, 1000, 0.001])(
    "hears a model sure of its first item louder than one that is not, whatever its scale (× %s)",
    (scale) => {
      // Ranks alone tie 1 and 2 (first in one list, second in the other). Model a can hardly tell
      // them apart; model b is ten times surer of 2: 2 comes first, at any scale of b's scores.
      const hybrid = fitHybrid([
        { model: scored("a", [1, 2], [10, 9.9]), weight: 1 },
        { model: scored("b", [2, 1], [10 * scale, scale]), weight: 1 },
      ]);
      const top = hybrid.recommendWithSources(0, 2);
      expect(top.map((s) => [s.item, s.source])).toEqual([
        [2, "b"],
        [1, "a"],
      ]);
      expect(top[0]!.score).toBeCloseTo(0.5 * (61 / 62) + 0.5 * 0.99 + 1, 12);
      expect(top[1]!.score).toBeCloseTo(1 + 0.5 * (61 / 62) + 0.05, 12);
    },
  );

  it("explains an item by the personal model that proposed it, by popularity only when none did", () => {
    // Popularity, weighted 4, gives every item more than item-kNN does; item-kNN proposed 2 and 3.
    const hybrid = fitHybrid([
      { model: { ...fixed("popularity", [1, 2, 3]), fallback: true }, weight: 4 },
      { model: fixed("itemknn", [3, 2]), weight: 1 },
      { model: fixed("repeat", [2]), weight: 1 },
    ]);
    const top = hybrid.recommendWithSources(0, 3);
    expect(top.map((s) => [s.item, s.source])).toEqual([
      [2, "repeat"], // item-kNN and repeat both proposed it: the larger share (repeat's first) names it
      [3, "itemknn"],
      [1, "popularity"], // nobody else proposed it: a fallback
    ]);
    expect(top[0]!.because).toEqual([{ item: 102, weight: 1 }]);
  });

  it("ranks the same whatever scale each model's scores are on", () => {
    // Two models' lists (distinct items, scores descending) and a positive factor for each.
    const list = fc
      .uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 12 })
      .chain((items) =>
        fc
          .array(fc.double({ min: 0.01, max: 100, noNaN: true }), {
            minLength: items.length,
            maxLength: items.length,
          })
          .map((scores) => ({ items, scores: scores.sort((a, b) => b - a) })),
      );
    const factor = fc.double({ min: 1e-3, max: 1e3, noNaN: true });
    fc.assert(
      fc.property(list, list, factor, factor, (a, b, fa, fb) => {
        const ranked = (sa: number, sb: number) =>
          fitHybrid([
            {
              model: scored(
                "a",
                a.items,
                a.scores.map((x) => x * sa),
              ),
              weight: 1,
            },
            {
              model: scored(
                "b",
                b.items,
                b.scores.map((x) => x * sb),
              ),
              weight: 2,
            },
          ])
            .recommend(0, 10)
            .map((s) => s.item);
        expect(ranked(fa, fb)).toEqual(ranked(1, 1));
      }),
    );
  });

  it("ranks as its weights were tuned however many candidates are asked for", () => {
    // Tuned 2 deep. Item 6 sits deep in both lists and would overtake 3 if every rank counted.
    const hybrid = fitHybrid(
      [
        { model: fixed("a", [1, 3, 6, 7]), weight: 1 },
        { model: fixed("b", [2, 5, 6, 8]), weight: 1 },
      ],
      2,
    );
    const head = hybrid.recommendWithSources(0, 4).map((s) => s.item);
    const long = hybrid.recommendWithSources(0, 8);
    expect(head).toEqual([1, 2, 3, 5]);
    // The same head, then the items past the tuned depth by their deeper ranks, scored 0.
    expect(long.map((s) => s.item)).toEqual([1, 2, 3, 5, 6, 7, 8]);
    expect(long.slice(4).map((s) => s.score)).toEqual([0, 0, 0]);
  });

  it("chooses the weights that score best on held-out data, deterministically", () => {
    const a = fixed("a", [1, 2]);
    const b = fixed("b", [2, 1]);
    const table = fusionTable([a, b], 0, 10);
    // Ten customers, each a tenth of the objective, all wanting item 2 first (model b's order).
    const wantsTwoFirst = (weights: number[]) =>
      new Float64Array(10).fill(fusedTop(table, weights, 1)[0] === 2 ? 0.1 : 0);
    const chosen = chooseHybridWeights(2, [0, 1, 2], wantsTwoFirst);
    expect(chosen.weights).toEqual([0, 1]);
    expect(chosen.score).toBeCloseTo(1, 12);
  });

  it.each([
    // customers (of ten) for whom b's order is a hit; the others score 0.05 whatever the blend
    { hits: 1, weights: [1, 1] }, // gain 0.1, 1 standard error: a single customer, kept as noise
    { hits: 2, weights: [1, 1] }, // gain 0.2, 1.41 standard errors: still not clear
    { hits: 3, weights: [0, 1] }, // gain 0.3, 1.73 standard errors: taken
  ])(
    "takes a change only when enough customers carry its gain ($hits of 10)",
    ({ hits, weights }) => {
      const table = fusionTable([fixed("a", [1, 2]), fixed("b", [2, 1])], 0, 10);
      const score = (w: number[]) => {
        const twoFirst = fusedTop(table, w, 1)[0] === 2;
        return Float64Array.from({ length: 10 }, (_, c) =>
          c < hits ? (twoFirst ? 0.1 : 0) : 0.05,
        );
      };
      expect(chooseHybridWeights(2, [0, 1, 2], score).weights).toEqual(weights);
    },
  );

  it("starts from the weights it is given, and leaves them only for a clear gain", () => {
    const table = fusionTable([fixed("a", [1, 2]), fixed("b", [2, 1])], 0, 10);
    const score = (hits: number) => (w: number[]) => {
      const twoFirst = fusedTop(table, w, 1)[0] === 2;
      return Float64Array.from({ length: 10 }, (_, c) => (c < hits ? (twoFirst ? 0.1 : 0) : 0.05));
    };
    // b alone ranks 2 first: unclear with 2 customers of 10, clear with 3.
    expect(chooseHybridWeights(2, [0, 1, 2], score(2), { start: [0, 1] }).weights).toEqual([0, 1]);
    expect(chooseHybridWeights(2, [0, 1, 2], score(2), { start: [1, 0] }).weights).toEqual([1, 0]);
    // Clear: b is raised until it ranks 2 first (a at 0 would change nothing more).
    expect(chooseHybridWeights(2, [0, 1, 2], score(3), { start: [1, 0] }).weights).toEqual([1, 2]);
  });

  const weightings = [
    [1, 1, 1],
    [0, 2, 1],
    [4, 0, 1],
    [1, 2, 4],
  ];
  const blended = (models: Model[], weights: number[], depth: number) =>
    fitHybrid(
      models.map((model, i) => ({ model, weight: weights[i]! })),
      depth,
    );

  it("scores a weighting from a fusion table exactly as the hybrid ranks", () => {
    const models = [fixed("a", [5, 1, 2, 3]), fixed("b", [3, 4, 1]), fixed("c", [2, 9])];
    const table = fusionTable(models, 0, 3, new Set([9]));
    for (const weights of weightings)
      expect(fusedTop(table, weights, 3)).toEqual(
        blended(models, weights, 3)
          .recommend(0, 3, new Set([9]))
          .map((s) => s.item),
      );
  });

  it("scores new products in the list the customer gets: fused first, what they bought taken out", () => {
    const models = [fixed("a", [5, 1, 2, 3]), fixed("b", [3, 4, 1]), fixed("c", [2, 5])];
    const bought = new Set([5, 3]);
    const table = fusionTable(models, 0, 4);
    const skip = new Set([...table.items.keys()].filter((c) => bought.has(table.items[c]!)));
    const scratch = new Float64Array(table.items.length);
    const newFirst = (weights: number[]) =>
      slotsOf(fusedScores(table, weights, scratch), 2, skip).map((c) => table.items[c]!);
    for (const weights of weightings) {
      const shown = blended(models, weights, 4)
        .recommend(0, 10)
        .map((s) => s.item);
      expect(newFirst(weights)).toEqual(shown.filter((i) => !bought.has(i)).slice(0, 2));
    }
    // Fused without the bought wines, 1 would head a's list and come first; in the real list a
    // ranks it second, behind the bought 5, and 2 comes first.
    expect(newFirst([2, 1, 1])).toEqual([2, 1]);
    expect(fusedTop(fusionTable(models, 0, 4, bought), [2, 1, 1], 2)).toEqual([1, 2]);
  });
});

describe("business rules", () => {
  const context = (overrides: Partial<RuleContext> = {}): RuleContext => ({
    asOfDay: 20_000,
    isActive: (item) => item !== 9,
    daysSinceBought: (_c, item) => (item === 5 ? 30 : item === 6 ? 400 : undefined),
    daysSinceContact: () => undefined,
    wasRejected: (_c, item) => item === 7,
    wineOf: () => null,
    boughtNewerVintage: () => false,
    vintageOf: () => null,
    ...overrides,
  });
  const ranked = [9, 5, 7, 6, 1, 2, 3].map((item) => ({ item }));

  it("drops inactive, recently bought and previously rejected products, then keeps at most K, saying why", () => {
    const outcome = applyRules(0, ranked, defaultRules, context());
    expect(outcome.kept.map((c) => c.item)).toEqual([6, 1, 2]);
    expect(outcome.dropped.map((d) => [d.candidate.item, d.rule])).toEqual([
      [9, "inactive"],
      [5, "recent_purchase"],
      [7, "rejected_before"],
      [3, "over_limit"],
    ]);
  });

  it("keeps nothing for a customer contacted within the campaign gap", () => {
    const outcome = applyRules(0, ranked, defaultRules, context({ daysSinceContact: () => 100 }));
    expect(outcome.kept).toEqual([]);
    expect(new Set(outcome.dropped.map((d) => d.rule))).toEqual(new Set(["contacted_recently"]));
    expect(
      applyRules(0, ranked, defaultRules, context({ daysSinceContact: () => 200 })).kept,
    ).toHaveLength(3);
  });

  it("offers one vintage of each wine, and none older than a vintage the customer bought", () => {
    // Items 1 and 2 are two vintages of one Riesling, 3 and 6 of one Crémant; the customer
    // bought a newer vintage than 6.
    const wines: Record<number, string> = {
      1: "riesling|750",
      2: "riesling|750",
      3: "cremant|750",
      6: "cremant|750",
    };
    const outcome = applyRules(
      0,
      [6, 1, 2, 3, 4].map((item) => ({ item })),
      defaultRules,
      context({
        daysSinceBought: () => undefined,
        wineOf: (item) => wines[item] ?? null,
        boughtNewerVintage: (_c, item) => item === 6,
      }),
    );
    expect(outcome.kept.map((c) => c.item)).toEqual([1, 3, 4]);
    expect(outcome.dropped.map((d) => [d.candidate.item, d.rule])).toEqual([
      [6, "older_vintage"],
      [2, "same_wine"],
    ]);
  });

  it("offers the newest vintage of a wine the models found, in the place of an older one ranked first", () => {
    // 1, 2, 8: the 2022, 2025 and 2023 vintages of one Pinot Gris; 3 a Crémant without vintage.
    const wine: Record<number, string> = {
      1: "pinot-gris|750",
      2: "pinot-gris|750",
      8: "pinot-gris|750",
    };
    const vintage: Record<number, number> = { 1: 2022, 2: 2025, 8: 2023 };
    const outcome = applyRules(
      0,
      [8, 3, 1, 4, 2].map((item) => ({ item })),
      defaultRules,
      context({
        daysSinceBought: () => undefined,
        wineOf: (item) => wine[item] ?? null,
        vintageOf: (item) => vintage[item] ?? null,
      }),
    );
    expect(outcome.kept.map((c) => c.item)).toEqual([2, 3, 4]);
    expect(outcome.dropped.map((d) => [d.candidate.item, d.rule])).toEqual([
      [8, "same_wine"],
      [1, "same_wine"],
    ]);
    // A newest vintage the rules refuse (rejected by staff) leaves the place to the next newest.
    const refused = applyRules(
      0,
      [1, 3, 8, 2].map((item) => ({ item })),
      defaultRules,
      context({
        daysSinceBought: () => undefined,
        wasRejected: (_c, item) => item === 2,
        wineOf: (item) => wine[item] ?? null,
        vintageOf: (item) => vintage[item] ?? null,
      }),
    );
    expect(refused.kept.map((c) => c.item)).toEqual([8, 3]);
    expect(refused.dropped.map((d) => [d.candidate.item, d.rule])).toEqual([
      [1, "same_wine"],
      [2, "rejected_before"],
    ]);
  });

  it.each([
    [{ ...defaultRules, perCustomer: 1 }, [6]],
    [{ ...defaultRules, rebuyWindowDays: 10 }, [5, 6, 1]],
  ])("follows the campaign's own settings %j", (rules, kept) => {
    expect(applyRules(0, ranked, rules, context()).kept.map((c) => c.item)).toEqual(kept);
  });
});

describe("explain", () => {
  it.each([
    ["Auxerrois Cuvée Marie 2025", "d'Auxerrois Cuvée Marie 2025"],
    ["Édelzwicker", "d'Édelzwicker"],
    ["Riesling Kirchberg", "de Riesling Kirchberg"],
    ["ses achats", "de ses achats"],
  ])("writes de %j as French does: %j", (name, expected) => {
    expect(de(name)).toBe(expected);
  });

  const names: Record<number, string> = {
    1: "Pinot Noir VV 2022",
    2: "Crémant Brut 2021",
    3: "Crémant Brut 2023",
    4: "Riesling GC 2022",
  };
  const context = {
    name: (i: number) => names[i]!,
    history: (i: number) =>
      i === 2 ? { times: 2, lastYear: 2023 } : i === 4 ? { times: 1, lastYear: 2025 } : undefined,
  };

  it.each([
    [
      "itemknn",
      1,
      2,
      "A acheté Crémant Brut 2021 deux fois ; les clients qui l'achètent prennent souvent Pinot Noir VV 2022",
      "Bought Crémant Brut 2021 twice; customers who buy it often take Pinot Noir VV 2022",
      false,
    ],
    [
      "ease",
      1,
      4,
      "A acheté Riesling GC 2022 une fois ; les clients qui l'achètent prennent souvent Pinot Noir VV 2022",
      "Bought Riesling GC 2022 once; customers who buy it often take Pinot Noir VV 2022",
      false,
    ],
    [
      "rebuy",
      3,
      2,
      "Nouveau millésime d'une cuvée achetée en 2023 (Crémant Brut 2021) : Crémant Brut 2023",
      "New vintage of a cuvée bought in 2023 (Crémant Brut 2021): Crémant Brut 2023",
      false,
    ],
    [
      "content",
      1,
      4,
      "Proche de Riesling GC 2022 (couleur, appellation, cépage, prix) : Pinot Noir VV 2022",
      "Similar to Riesling GC 2022 (colour, appellation, grape, price): Pinot Noir VV 2022",
      false,
    ],
    [
      "repeat",
      2,
      2,
      "A déjà racheté Crémant Brut 2021 (deux fois, dernier achat en 2023)",
      "Bought Crémant Brut 2021 again before (twice, last in 2023)",
      false,
    ],
    [
      "repeat",
      4,
      4,
      "A déjà acheté Riesling GC 2022 (en 2025) : à lui reproposer",
      "Bought Riesling GC 2022 before (in 2025): worth offering again",
      false,
    ],
    [
      "popularity",
      3,
      undefined,
      "Meilleure vente du moment (repli : rien dans ses achats ne la désigne) : Crémant Brut 2023",
      "Current best seller (fallback: nothing in their purchases points to it): Crémant Brut 2023",
      true,
    ],
    [
      "ease",
      2,
      4,
      "A acheté Riesling GC 2022 une fois ; les clients qui l'achètent prennent souvent Crémant Brut 2021 ; déjà acheté deux fois, dernier achat en 2023",
      "Bought Riesling GC 2022 once; customers who buy it often take Crémant Brut 2021; bought twice before, last in 2023",
      false,
    ],
    [
      "popularity",
      2,
      undefined,
      "Meilleure vente du moment (repli : rien dans ses achats ne la désigne) : Crémant Brut 2021 ; déjà acheté deux fois, dernier achat en 2023",
      "Current best seller (fallback: nothing in their purchases points to it): Crémant Brut 2021; bought twice before, last in 2023",
      true,
    ],
  ])("explains a %s recommendation", (source, item, anchor, fr, en, fallback) => {
    const because = anchor === undefined ? [] : [{ item: anchor, weight: 1 }];
    expect(explain({ item, score: 1, because, source }, context)).toEqual({ fr, en, fallback });
  });

  it.each<[Trait[] | undefined, string, string]>([
    [
      ["appellation", "price"],
      "Proche de Riesling GC 2022 (même appellation et même gamme de prix) : Pinot Noir VV 2022",
      "Similar to Riesling GC 2022 (same appellation and same price band): Pinot Noir VV 2022",
    ],
    [
      ["color", "grape", "price", "size", "style"],
      "Proche de Riesling GC 2022 (même couleur, même cépage et même gamme de prix) : Pinot Noir VV 2022",
      "Similar to Riesling GC 2022 (same colour, same grape and same price band): Pinot Noir VV 2022",
    ],
    [
      ["grape"],
      "Proche de Riesling GC 2022 (même cépage) : Pinot Noir VV 2022",
      "Similar to Riesling GC 2022 (same grape): Pinot Noir VV 2022",
    ],
    [
      ["size"],
      "Proche de ce qu'il achète (couleur, appellation, cépage, prix) : Pinot Noir VV 2022",
      "Close to what they buy (colour, appellation, grape, price): Pinot Noir VV 2022",
    ],
    [
      [],
      "Proche de ce qu'il achète (couleur, appellation, cépage, prix) : Pinot Noir VV 2022",
      "Close to what they buy (colour, appellation, grape, price): Pinot Noir VV 2022",
    ],
    [
      undefined,
      "Proche de Riesling GC 2022 (couleur, appellation, cépage, prix) : Pinot Noir VV 2022",
      "Similar to Riesling GC 2022 (colour, appellation, grape, price): Pinot Noir VV 2022",
    ],
  ])("names what a similar wine shares with its anchor (%j)", (traits, fr, en) => {
    const asked: number[][] = [];
    const shared = (a: number, b: number) => (asked.push([a, b]), traits);
    const scored = { item: 1, score: 1, because: [{ item: 4, weight: 1 }], source: "content" };
    expect(explain(scored, { ...context, shared })).toEqual({ fr, en, fallback: false });
    expect(asked).toEqual([[4, 1]]);
  });
});

describe("sharedTraits", () => {
  const wine = (over: Partial<ItemAttributes>): ItemAttributes => ({ ...NO_ATTRIBUTES, ...over });
  it.each<[Partial<ItemAttributes>, Partial<ItemAttributes>, Trait[] | undefined]>([
    [
      { color: "white", appellation: "Alsace" },
      { color: "red", appellation: "Alsace" },
      ["appellation"],
    ],
    [{ color: "Blanc" }, { color: "blanc" }, ["color"]],
    [{ grapes: ["Riesling", "Pinot Gris"] }, { grapes: ["Pinot gris"] }, ["grape"]],
    [{ priceInclTax: 12 }, { priceInclTax: 19.9 }, ["price"]],
    [{ priceInclTax: 12 }, { priceInclTax: 20 }, []],
    [{ sizeMl: 750 }, { sizeMl: 700 }, []],
    [{ color: "sparkling" }, { color: "sparkling" }, ["color", "style"]],
    [{ color: "red" }, { color: "white" }, []],
    [{ color: "red" }, {}, undefined],
    [{}, {}, undefined],
  ])("%j and %j share %j", (a, b, traits) => {
    expect(sharedTraits(wine(a), wine(b))).toEqual(traits);
    expect(sharedTraits(wine(b), wine(a))).toEqual(traits);
  });
});
