import { describe, expect, it } from "vitest";
import { suggestMapping } from "./suggest-mapping.ts";
import { LOW_CONFIDENCE, uncertainFields } from "./uncertain-fields.ts";

describe("uncertainFields", () => {
  it("lists the columns recognised by a near name, the least sure first", () => {
    const { suggestions } = suggestMapping(
      "customers",
      ["Code client", "Nom", "Prenon", "Vile", "Adrese", "E-mail"],
      [["C1", "Dupont", "Anne", "Colmar", "1 rue des Vignes", "anne@exemple.fr"]],
    );
    expect(uncertainFields(suggestions)).toEqual([
      { field: "city", column: "Vile", confidence: expect.closeTo(0.8, 2) },
      { field: "first_name", column: "Prenon", confidence: expect.closeTo(0.83, 2) },
      { field: "address_line1", column: "Adrese", confidence: expect.closeTo(0.86, 2) },
    ]);
  });

  it.each([
    ["a saved or given mapping", 1, 0],
    ["a synonym's near spelling at the threshold", LOW_CONFIDENCE, 0],
    ["just under it", LOW_CONFIDENCE - 0.01, 1],
  ])("%s: %s gives %i uncertain field", (_, confidence, count) =>
    expect(uncertainFields([{ field: "city", column: "Ville", confidence }])).toHaveLength(count),
  );
});
