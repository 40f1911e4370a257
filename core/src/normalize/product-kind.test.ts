import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { guessProductKind, type ProductKind } from "./product-kind.ts";

describe("guessProductKind", () => {
  it.each<[string, string | null, ProductKind]>([
    // Wines, whatever their shape.
    ["Crémant d'Alsace Brut 2021 75cl", "CREM21", "wine"],
    ["Pinot Noir Vieilles Vignes 2022", null, "wine"],
    ["RIESLING GRAND CRU SCHLOSSBERG", "RGC", "wine"],
    ["Domaine de la Remise 2019", null, "wine"],
    ["Clos de la Remise", null, "wine"],
    ["Rully La Remise", null, "wine"],
    ["L'Atelier", null, "wine"],
    ["Le Livre blanc", null, "wine"],
    ["Caisse bois 6 Crémant", null, "wine"],
    ["Caisse bois 6 Pauillac", null, "wine"],
    ["Caisse 12 Bordeaux Supérieur", null, "wine"],
    ["Carton 6 Bourgogne Aligoté", null, "wine"],
    ["Etui Bourgogne rouge", null, "wine"],
    ["Château La Caisse", null, "wine"],
    ["Coffret découverte 3 bouteilles", null, "wine"],
    ["Coffret dégustation 6 x 75cl", null, "wine"],
    ["Coffret 1 bouteille + 2 verres", null, "wine"],
    ["Château Lafleur", "LAF", "wine"],
    ["Port Vintage 2017", null, "wine"],
    ["Porto Tawny 10 ans", "PORT", "wine"],
    // The carrier's charge.
    ["Frais de port", "PORT", "shipping"],
    ["FRAIS DE PORT", null, "shipping"],
    ["Participation aux frais d'expédition", null, "shipping"],
    ["Participation transport", null, "shipping"],
    ["Franco de port", null, "shipping"],
    ["Port", null, "shipping"],
    ["Livraison", null, "shipping"],
    ["Livraison 2024", null, "shipping"],
    ["Transport 6 bouteilles Crémant", null, "shipping"],
    ["Transport Colissimo 6 bouteilles", null, "shipping"],
    ["Forfait livraison", null, "shipping"],
    ["Expédition", "EXP", "shipping"],
    ["Forfait", "FDP", "shipping"],
    ["Forfait", "PORT", "shipping"],
    ["Messagerie DPD", null, "shipping"],
    // Discounts, deposits.
    ["Remise fidélité 5%", "REM", "discount"],
    ["Remise fidélité 2024", null, "discount"],
    ["Remise 5% Crémant", null, "discount"],
    ["Avoir Crémant 2021", null, "discount"],
    ["Ristourne Crémant 2021", null, "discount"],
    ["Geste commercial", null, "discount"],
    ["Bon d'achat", null, "discount"],
    ["Promotion -10%", null, "discount"],
    ["Remise Crémant 2021", "REMISE", "discount"],
    ["Consigne bouteille 75cl", "CONS", "deposit"],
    ["Déconsigne", null, "deposit"],
    ["Caution", null, "deposit"],
    // The case, the glass, the tour, the taxes.
    ["Caisse bois 6 bouteilles", "CAISSE6", "packaging"],
    ["Carton 6 bouteilles", null, "packaging"],
    ["Étui cadeau", null, "packaging"],
    ["Coffret cadeau", null, "packaging"],
    ["Coffret bois 1 bouteille", null, "packaging"],
    ["Bouteille vide 75cl", null, "packaging"],
    ["Verre dégustation gravé", "VERRE", "other"],
    ["Verre à vin INAO", null, "other"],
    ["Verre de Crémant", null, "other"],
    ["Coupe de Crémant", null, "other"],
    ["Tire-bouchon limonadier", null, "other"],
    ["Dégustation commentée", null, "other"],
    ["Dégustation 2024", null, "other"],
    ["Visite cave + dégustation 2024", null, "other"],
    ["Bon cadeau 50 €", null, "other"],
    ["Acompte sur commande", null, "other"],
    ["Droits d'accises", null, "other"],
    ["Ecotaxe", null, "other"],
    ["Etiquette personnalisée", null, "other"],
    ["Jus de raisin", null, "other"],
    ["Article divers", "FDP", "other"],
    ["Huile d'olive", null, "other"],
    ["Sac isotherme", null, "packaging"],
    ["T-shirt du domaine", null, "other"],
    ["Initiation dégustation", null, "other"],
    ["Rince-verre", null, "other"],
    ["Etiquette", null, "other"],
    ["Palette", null, "shipping"],
    // Names of cuvées that hold a charge's word.
    ["Étiquette Noire 2018", null, "wine"],
    ["Palette Rosé 2022", null, "wine"],
    ["Château Port du Roi 2018", null, "wine"],
    ["Cuvée Sans Caution 2020", null, "wine"],
    ["Atelier Riesling 2020", null, "wine"],
    ["L'Envoi", null, "wine"],
    ["Frais Muscadet", null, "wine"],
    ["Les Vignes", "TNT", "wine"],
  ])("%j (%j) → %s", (name, sku, kind) => expect(guessProductKind(name, sku).kind).toBe(kind));

  it.each<[string, string, ProductKind]>([
    ["Cuvée de l'Atelier", "Tous / Vins / Blancs", "wine"],
    ["Étiquette", "Vins", "wine"],
    ["Domaine", "Accessoires", "other"],
    ["Pass découverte", "Tous / Boutique / Oenotourisme", "other"],
    ["Forfait", "Frais de port", "shipping"],
    ["Caisse bois", "Emballages", "packaging"],
    ["Frais de port", "Vins", "shipping"],
    ["Crémant 2021", "All / Saleable", "wine"],
    ["Tire-bouchon", "Accessoires vin", "other"],
    ["Verre INAO", "Verres à vin", "other"],
    ["Bouteille 75 cl", "Bouteilles vides", "packaging"],
    ["Pinot Noir 2020", "Vins / Divers", "wine"],
    ["Crémant Brut", "Tous / Vins / Frais", "wine"],
    ["Porte-bouteilles", "Divers", "other"],
    ["Caisse bois 6 bouteilles", "Vins", "packaging"],
    ["Remise fidélité", "Vins", "discount"],
    ["Livraison Paris", "Vins", "shipping"],
    ["Cuvée sans nom", "Vins", "wine"],
    ["Frais de port", "All / Saleable", "shipping"],
  ])("%j in the family %j → %s", (name, family, kind) =>
    expect(guessProductKind(name, null, family).kind).toBe(kind),
  );

  it("says which words decided", () => {
    expect(guessProductKind("Participation aux frais d'envoi")).toEqual({
      kind: "shipping",
      because: "frais d envoi",
    });
    expect(guessProductKind("Crémant 2021")).toEqual({ kind: "wine", because: null });
  });

  const word = fc.constantFrom(
    "Crémant",
    "Frais de port",
    "caisse",
    "Remise",
    "2021",
    "Consigne",
    "rouge",
    "verre",
    "Domaine",
    "75cl",
  );
  const name = fc.array(word, { maxLength: 6 }).map((words) => words.join(" "));

  it("reads a name the same in any case and with or without its accents", () =>
    fc.assert(
      fc.property(name, (n) => {
        const kind = guessProductKind(n).kind;
        expect(guessProductKind(n.toUpperCase()).kind).toBe(kind);
        expect(guessProductKind(n.normalize("NFD").replace(/\p{M}/gu, "")).kind).toBe(kind);
      }),
    ));

  it("never takes a charge for a wine, whatever is written beside it", () =>
    fc.assert(
      fc.property(name, name, (before, after) => {
        expect(guessProductKind(`${before} Frais de port ${after}`).kind).not.toBe("wine");
        expect(guessProductKind(`${before} consigne ${after}`).kind).not.toBe("wine");
      }),
    ));

  it("keeps a vintage's name a wine unless a charge's word opens it", () =>
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("Crémant", "caisse", "Remise", "verre", "Domaine", "Brut"), {
          maxLength: 5,
        }),
        fc.integer({ min: 1950, max: 2030 }),
        (words, year) => {
          expect(guessProductKind(`Cuvée ${words.join(" ")} ${year}`).kind).toBe("wine");
          const opened = guessProductKind(`Remise ${words.join(" ")} ${year}`).kind;
          expect(opened).toBe("discount");
        },
      ),
    ));
});
