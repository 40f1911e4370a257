import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitContentBased } from "./content-based.ts";
import { buildInteractions, rowOf } from "./interactions.ts";
import { featuresOf, type ItemAttributes } from "./item-attributes.ts";
import { fitRebuy } from "./rebuy.ts";

const wine = (
  cuvee: string,
  color: string,
  appellation: string,
  grapes: string[],
  vintage: number,
  price: number,
  sizeMl = 750,
): ItemAttributes => ({
  cuvee,
  color,
  appellation,
  grapes,
  vintage,
  priceInclTax: price,
  sizeMl,
});

// Items in id order (buildInteractions sorts ids): a-cremant-2021, b-cremant-2023, c-pinot-2022, d-riesling-2022, e-gewurz-2021, f-cremant-2021-magnum
const catalogue: Record<string, ItemAttributes> = {
  "a-cremant-2021": wine(
    "Crémant Brut",
    "sparkling",
    "Crémant d'Alsace",
    ["pinot blanc"],
    2021,
    12.5,
  ),
  "b-cremant-2023": wine(
    "Crémant Brut",
    "sparkling",
    "Crémant d'Alsace",
    ["pinot blanc"],
    2023,
    13.5,
  ),
  "c-pinot-2022": wine("Pinot Noir VV", "red", "Alsace", ["pinot noir"], 2022, 24),
  "d-riesling-2022": wine("Riesling GC", "white", "Alsace Grand Cru", ["riesling"], 2022, 32),
  "e-gewurz-2021": wine("Gewurztraminer VT", "sweet", "Alsace", ["gewurztraminer"], 2021, 38, 500),
  "f-cremant-2021-magnum": wine(
    "Crémant Brut",
    "sparkling",
    "Crémant d'Alsace",
    ["pinot blanc"],
    2021,
    29,
    1500,
  ),
};
const purchases = [
  { customerId: "anne", itemId: "a-cremant-2021", date: "2024-12-20", quantity: 6 },
  { customerId: "anne", itemId: "a-cremant-2021", date: "2025-12-18", quantity: 6 },
  { customerId: "bruno", itemId: "c-pinot-2022", date: "2025-03-01", quantity: 3 },
  { customerId: "bruno", itemId: "d-riesling-2022", date: "2025-03-01", quantity: 1 },
  { customerId: "chloe", itemId: "e-gewurz-2021", date: "2025-06-01", quantity: 1 },
  { customerId: "chloe", itemId: "b-cremant-2023", date: "2025-06-01", quantity: 1 },
  { customerId: "chloe", itemId: "f-cremant-2021-magnum", date: "2025-06-01", quantity: 1 },
];
const data = buildInteractions(purchases, { asOf: "2026-01-31", weighting: { kind: "log" } });
const attributes = data.items.map((id) => catalogue[id]!);
const names = (list: Array<{ item: number }>) => list.map((s) => data.items[s.item]);

describe("featuresOf", () => {
  it("describes a wine by colour, appellation, grapes, price band, size and style", () => {
    expect(featuresOf(catalogue["e-gewurz-2021"]!)).toEqual([
      "color:sweet",
      "appellation:alsace",
      "grape:gewurztraminer",
      "price:3",
      "size:small",
      "style:sweet",
    ]);
  });
});

describe("content-based", () => {
  it("offers wines that share the most (rarity-weighted) features with what the customer bought", () => {
    const model = fitContentBased(data, attributes);
    const bruno = data.customerIndex.get("bruno")!;
    // His Pinot Noir and Riesling are both 20-35 € bottles: the magnum shares the price band with
    // both, the Crémant 2021 the bottle size with both (ties go to the first item), the
    // Gewürztraminer only the Alsace appellation with one of them.
    expect(names(model.recommend(bruno, 3, new Set([2, 3])))).toEqual([
      "f-cremant-2021-magnum",
      "a-cremant-2021",
      "b-cremant-2023",
    ]);
    const anne = data.customerIndex.get("anne")!;
    expect(names(model.recommend(anne, 2, new Set([0])))).toEqual([
      "b-cremant-2023",
      "f-cremant-2021-magnum",
    ]);
  });

  it("explains a wine the customer already has by their other wines, never by itself", () => {
    const model = fitContentBased(data, attributes);
    const chloe = data.customerIndex.get("chloe")!;
    // Her Crémant 2023 is offered again (nothing excluded): what makes it close is the magnum of
    // the same Crémant she also bought, not the bottle itself, which shares everything with itself
    // (her Gewürztraminer shares nothing with it).
    const again = model.recommend(chloe, 6, new Set()).find((s) => s.item === 1)!;
    expect(names(again.because)).toEqual(["f-cremant-2021-magnum"]);
    // Anne bought only the Crémant 2021: offered again, nothing else of hers explains it.
    const anne = data.customerIndex.get("anne")!;
    expect(model.recommend(anne, 6, new Set()).find((s) => s.item === 0)!.because).toEqual([]);
  });
});

/** Content scores the obvious way, one wine at a time: the cosine of idf-weighted features. */
function naiveContentScores(purchases: typeof data, wines: ItemAttributes[], u: number) {
  const features = wines.map((w) => [...new Set(featuresOf(w))]);
  const df = new Map<string, number>();
  for (const list of features) for (const f of list) df.set(f, (df.get(f) ?? 0) + 1);
  const vectors = features.map((list) => {
    const idf = list.map((f) => Math.log((wines.length + 1) / (df.get(f)! + 1)) + 1);
    const norm = Math.sqrt(idf.reduce((s, x) => s + x * x, 0)) || 1;
    return new Map(list.map((f, n) => [f, idf[n]! / norm]));
  });
  const taste = new Map<string, number>();
  const { items, weights } = rowOf(purchases, u);
  items.forEach((i, a) => {
    for (const [f, v] of vectors[i]!) taste.set(f, (taste.get(f) ?? 0) + weights[a]! * v);
  });
  const tasteNorm = Math.sqrt([...taste.values()].reduce((s, x) => s + x * x, 0)) || 1;
  return vectors.map(
    (v) => [...v].reduce((s, [f, x]) => s + x * (taste.get(f) ?? 0), 0) / tasteNorm,
  );
}

describe("content-based, against the naive cosine", () => {
  it("ranks every customer's wines as scoring each wine on its own would", () => {
    const anyWine = fc.record({
      cuvee: fc.constantFrom("A", "B"),
      color: fc.constantFrom(null, "red", "white", "sparkling"),
      appellation: fc.constantFrom(null, "Alsace", "Crémant d'Alsace"),
      grapes: fc.subarray(["riesling", "pinot noir", "pinot blanc"]),
      vintage: fc.constantFrom(2021, 2022),
      priceInclTax: fc.constantFrom(null, 9, 15, 30),
      sizeMl: fc.constantFrom(null, 750, 1500),
    });
    fc.assert(
      fc.property(
        fc.array(anyWine, { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(3), fc.nat(11), fc.integer({ min: 1, max: 6 })), {
          minLength: 1,
          maxLength: 30,
        }),
        (wines, lines) => {
          const ids = wines.map((_, i) => `w${String(i).padStart(2, "0")}`);
          const history = buildInteractions(
            lines.map(([c, w, quantity]) => ({
              customerId: `c${c}`,
              itemId: ids[w % wines.length]!,
              date: "2025-01-01",
              quantity,
            })),
            { asOf: "2025-06-01", weighting: { kind: "log" }, catalogue: ids },
          );
          const described = history.items.map((id) => wines[ids.indexOf(id)]!);
          const model = fitContentBased(history, described);
          for (let u = 0; u < history.customers.length; u++) {
            const naive = naiveContentScores(history, described, u);
            const expected = naive
              .map((score, item) => ({ item, score }))
              .filter((s) => s.score > 0)
              .sort((a, b) => b.score - a.score || a.item - b.item);
            const got = model.recommend(u, described.length);
            expect(got.map((s) => s.score)).toEqual(
              expected.map((s) => expect.closeTo(s.score, 12)),
            );
            // The same wines (two whose scores differ in the last bits may swap places).
            expect(new Set(got.map((s) => s.item))).toEqual(new Set(expected.map((s) => s.item)));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("rebuy / new vintage", () => {
  const active = attributes.map(() => true);

  it("offers the newest vintage of a cuvée the customer bought, in the same size", () => {
    const model = fitRebuy(data, attributes, active);
    const anne = data.customerIndex.get("anne")!;
    const [offer] = model.recommend(anne, 3);
    expect(names([offer!])).toEqual(["b-cremant-2023"]);
    expect(data.items[offer!.because[0]!.item]).toBe("a-cremant-2021");
  });

  it("offers nothing for a cuvée without a newer vintage, or when it cannot be sold", () => {
    const bruno = data.customerIndex.get("bruno")!;
    expect(fitRebuy(data, attributes, active).recommend(bruno, 3)).toEqual([]);
    const anne = data.customerIndex.get("anne")!;
    const noNew = attributes.map((a) => a.vintage !== 2023);
    expect(fitRebuy(data, attributes, noNew).recommend(anne, 3)).toEqual([]);
  });

  it("prefers the customer who bought the cuvée often and recently", () => {
    const model = fitRebuy(data, attributes, active);
    const anne = model.recommend(data.customerIndex.get("anne")!, 1)[0]!.score;
    const chloe = model.recommend(data.customerIndex.get("chloe")!, 1);
    expect(chloe).toEqual([]); // she already has the 2023; the magnum 2021 has no newer magnum and 2023 is hers
    expect(anne).toBeGreaterThan(1);
  });
});
