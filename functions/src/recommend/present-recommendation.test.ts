import { describe, expect, it } from "vitest";
import { NO_ATTRIBUTES, type SellableItem, trainRecommender } from "@crm-reco/core";
import { presentRecommendation } from "./generate.ts";

const wine = (name: string, over: Partial<SellableItem> = {}) => ({
  ...NO_ATTRIBUTES,
  active: true,
  name,
  ...over,
});

const catalogue = new Map([
  [
    "riesling",
    wine("Riesling 2023", {
      color: "white",
      appellation: "Alsace",
      grapes: ["Riesling"],
      priceInclTax: 14,
    }),
  ],
  [
    "pinot",
    wine("Pinot Noir 2023", {
      color: "red",
      appellation: "Alsace",
      grapes: ["Pinot Noir"],
      priceInclTax: 18,
    }),
  ],
]);

describe("presentRecommendation", () => {
  const trained = trainRecommender(
    [
      { customerId: "a", itemId: "riesling", date: "2025-01-10", quantity: 6 },
      { customerId: "b", itemId: "pinot", date: "2025-02-01", quantity: 3 },
    ],
    { algorithm: "content", asOf: "2025-06-01", describe: (id) => catalogue.get(id) },
  );
  const u = trained.data.customerIndex.get("a")!;
  const similar = {
    item: trained.data.itemIndex.get("pinot")!,
    score: 1,
    because: [{ item: trained.data.itemIndex.get("riesling")!, weight: 1 }],
    source: "content",
  };

  it("names what a similar wine shares with the one it is close to, from the catalogue", () => {
    const { explanation } = presentRecommendation(trained, u, similar, catalogue);
    expect(explanation.fr).toBe(
      "Proche de Riesling 2023 (même appellation et même gamme de prix) : Pinot Noir 2023",
    );
    expect(explanation.en).toBe(
      "Similar to Riesling 2023 (same appellation and same price band): Pinot Noir 2023",
    );
    expect(explanation.because).toEqual(["riesling"]);
  });

  it.each([
    [
      "the estate described neither wine",
      new Map([
        ["riesling", wine("Riesling 2023")],
        ["pinot", wine("Pinot Noir 2023")],
      ]),
      "Proche de Riesling 2023 (couleur, appellation, cépage, prix) : Pinot Noir 2023",
    ],
    [
      "the wines are not in the catalogue",
      new Map(),
      "Proche de riesling (couleur, appellation, cépage, prix) : pinot",
    ],
  ])("keeps the general wording when %s", (_, known, fr) => {
    const { explanation } = presentRecommendation(trained, u, similar, known);
    expect(explanation.fr).toBe(fr);
  });
});
