import { describe, expect, it } from "vitest";
import { Transformation, transformationCatalogue } from "./transformation-schema.ts";
import { applyChain, applyTransformation } from "./transformations.ts";

const row = (cells: Record<string, string>) => (column: string) => cells[column] ?? "";
const noRow = row({});
const t = (json: unknown) => Transformation.parse(json);

describe("applyTransformation", () => {
  it.each([
    [{ kind: "trim" }, "  Domaine   du  Lavoir ", "Domaine du Lavoir"],
    [{ kind: "case", to: "upper" }, "colmar", "COLMAR"],
    [{ kind: "case", to: "lower" }, "COLMAR", "colmar"],
    [{ kind: "case", to: "title" }, "SAINT-ÉMILION", "Saint-Émilion"],
    [{ kind: "split_name", part: "last_name" }, "M. DUPONT Jean", "Dupont"],
    [{ kind: "split_name", part: "first_name" }, "M. DUPONT Jean", "Jean"],
    [{ kind: "split_name", part: "civility" }, "M. DUPONT Jean", "M."],
    [{ kind: "strip_legal_form" }, "EARL Domaine Weber", "Domaine Weber"],
    [{ kind: "email" }, " Contact@Cave.FR", "contact@cave.fr"],
    // Several addresses pass whole, for the import to mail the first and report them all.
    [{ kind: "email" }, "Jean@x.fr; Marie <marie@x.fr>", "jean@x.fr, marie@x.fr"],
    [{ kind: "phone" }, "06 12 34 56 78", "+33612345678"],
    [{ kind: "phone", defaultCountry: "BE" }, "0470 12 34 56", "+32470123456"],
    [{ kind: "postal_code" }, "1000", "01000"],
    [{ kind: "country" }, "Allemagne", "DE"],
    [{ kind: "number" }, "1 234,50 €", 1234.5],
    [{ kind: "date", format: "dmy" }, "01/03/2024", "2024-03-01"],
    [{ kind: "boolean" }, "Oui", true],
    [{ kind: "lookup", table: { Rouge: "red", Blanc: "white" } }, "rouge", "red"],
    [{ kind: "lookup", table: { Rouge: "red" } }, "Orange", "Orange"],
    [{ kind: "lookup", table: { Rouge: "red" }, otherwise: "empty" }, "Orange", null],
    [{ kind: "vintage_from_label" }, "Crémant d'Alsace Brut 2021 Magnum", 2021],
    [{ kind: "size_from_label" }, "Crémant d'Alsace Brut 2021 Magnum", 1500],
    [{ kind: "color" }, "Rosé", "rose"],
    [{ kind: "appellation" }, "CREMANT D ALSACE", "Crémant d'Alsace"],
    [{ kind: "appellation" }, "AOC Alsace", "Alsace"],
    [{ kind: "appellation" }, "st emilion", "Saint-Émilion"],
    [{ kind: "constant", value: "FR" }, "", "FR"],
    [{ kind: "vat", direction: "exclude" }, "12,00", 10],
    [{ kind: "vat", direction: "include", rate: 0.055 }, 10, 10.55],
  ])("%j turns %j into %j", (step, input, output) => {
    expect(applyTransformation(t(step), input, noRow)).toEqual({ value: output });
  });

  it("concatenates other columns of the row", () => {
    const step = t({ kind: "concat", columns: ["Adresse 1", "Adresse 2"], separator: ", " });
    expect(
      applyTransformation(
        step,
        null,
        row({ "Adresse 1": "3 rue du Pressoir", "Adresse 2": " Bât. B " }),
      ),
    ).toEqual({ value: "3 rue du Pressoir, Bât. B" });
    expect(applyTransformation(step, null, row({ "Adresse 1": "3 rue du Pressoir" }))).toEqual({
      value: "3 rue du Pressoir",
    });
  });

  it.each([
    [{ kind: "email" }, "jean@", "email.invalid"],
    [{ kind: "phone" }, "12", "phone.invalid"],
    [{ kind: "postal_code" }, "ABCDE", "postal_code.invalid"],
    [{ kind: "country" }, "Atlantide", "country.unknown"],
    [{ kind: "number" }, "douze", "number.invalid"],
    [{ kind: "date", format: "dmy" }, "31/02/2024", "date.invalid"],
    [{ kind: "boolean" }, "bof", "boolean.invalid"],
    [{ kind: "appellation" }, "Vin de Mars", "appellation.unknown"],
    [{ kind: "lookup", table: { Rouge: "red" }, otherwise: "issue" }, "Orange", "lookup.missing"],
  ])("%j keeps %j as it was and reports %s", (step, input, code) => {
    const result = applyTransformation(t(step), input, noRow);
    expect(result.issue?.code).toBe(code);
    expect(result.value).toBeDefined();
  });

  it("leaves an empty value empty", () => {
    for (const { kind } of transformationCatalogue.filter(
      (k) => k.kind !== "constant" && k.kind !== "concat",
    )) {
      const step = t({
        kind,
        ...(kind === "case"
          ? { to: "upper" }
          : kind === "split_name"
            ? { part: "last_name" }
            : kind === "lookup"
              ? { table: {} }
              : kind === "vat"
                ? { direction: "exclude" }
                : {}),
      });
      expect(applyTransformation(step, "  ", noRow)).toEqual({ value: null });
    }
  });
});

describe("applyChain", () => {
  it("runs the steps in order", () => {
    const chain = [t({ kind: "split_name", part: "last_name" }), t({ kind: "case", to: "upper" })];
    expect(applyChain(chain, "Mme Marie Curie", noRow)).toEqual({ value: "CURIE" });
  });

  it("stops at the first issue", () => {
    const chain = [t({ kind: "number" }), t({ kind: "vat", direction: "exclude" })];
    expect(applyChain(chain, "n/a", noRow)).toMatchObject({
      value: "n/a",
      issue: { code: "number.invalid" },
    });
  });
});

describe("transformationCatalogue", () => {
  it("lists every kind the schema accepts, labelled in French and English", () => {
    const kinds = Transformation.options.map((option) => option.shape.kind.value).sort();
    expect(transformationCatalogue.map((entry) => entry.kind).sort()).toEqual(kinds);
    expect(kinds.length).toBeGreaterThanOrEqual(12);
  });
});
