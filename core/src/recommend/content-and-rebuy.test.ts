import { describe, expect, it } from "vitest";
import { fitContentBased } from "./content-based.ts";
import { buildInteractions } from "./interactions.ts";
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
