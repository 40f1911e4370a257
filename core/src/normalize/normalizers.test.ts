import { isValidPhoneNumber } from "libphonenumber-js/max";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasLegalForm, stripLegalForm } from "./company.ts";
import { toCountryCode } from "./country.ts";
import { normalizeEmail, severalEmails, suggestEmail } from "./email.ts";
import { customerNamedOnASale, splitFullName } from "./person-name.ts";
import { normalizePhone } from "./phone.ts";
import { normalizePostalCode } from "./postal-code.ts";
import { collapseSpaces, foldText, titleCase, withoutAccents } from "./text.ts";
import { excludeVat, includeVat } from "./vat.ts";
import { sizeFromLabel, vintageFromLabel } from "./wine-label.ts";

describe("titleCase", () => {
  it.each([
    ["JEAN-PIERRE DUPONT", "Jean-Pierre Dupont"],
    ["château de la tour", "Château de la Tour"],
    ["crémant d'alsace", "Crémant d'Alsace"],
    ["  saint-émilion   grand cru ", "Saint-Émilion Grand Cru"],
    ["de la fontaine", "De la Fontaine"],
  ])("%j → %j", (input, output) => expect(titleCase(input)).toBe(output));

  it("is idempotent", () =>
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(titleCase(titleCase(s))).toBe(titleCase(s));
      }),
    ));
});

describe("customerNamedOnASale", () => {
  it.each([
    [
      "Mme Hélène DUPRÉ",
      { civility: "Mme", firstName: "Hélène", lastName: "Dupré", company: null, kind: null },
    ],
    [
      "SARL Cave Œnologie & Fils",
      {
        civility: null,
        firstName: null,
        lastName: null,
        company: "SARL Cave Œnologie & Fils",
        kind: "trade",
      },
    ],
    [
      "Cave du Port",
      { civility: null, firstName: null, lastName: "Cave du Port", company: null, kind: null },
    ],
    [
      "Jean Martin",
      { civility: null, firstName: null, lastName: "Jean Martin", company: null, kind: null },
    ],
    // First names that read like a legal form when not written in capitals.
    [
      "Earl Johnson",
      { civility: null, firstName: null, lastName: "Earl Johnson", company: null, kind: null },
    ],
    [
      "Sa Nguyen",
      { civility: null, firstName: null, lastName: "Sa Nguyen", company: null, kind: null },
    ],
    [
      "S.A. Vins du Rhin",
      {
        civility: null,
        firstName: null,
        lastName: null,
        company: "S.A. Vins du Rhin",
        kind: "trade",
      },
    ],
  ])("%j", (text, expected) => expect(customerNamedOnASale(text)).toEqual(expected));
});

describe("splitFullName", () => {
  it.each([
    ["DUPONT Jean", { civility: null, firstName: "Jean", lastName: "Dupont" }],
    ["Jean Dupont", { civility: null, firstName: "Jean", lastName: "Dupont" }],
    ["M. DUPONT Jean-Pierre", { civility: "M.", firstName: "Jean-Pierre", lastName: "Dupont" }],
    ["Mme Marie LE GALL", { civility: "Mme", firstName: "Marie", lastName: "Le Gall" }],
    ["M. et Mme Martin", { civility: "M. et Mme", firstName: null, lastName: "Martin" }],
    [
      "Monsieur et Madame DURAND Paul",
      { civility: "M. et Mme", firstName: "Paul", lastName: "Durand" },
    ],
    ["Dr Anne de la Tour", { civility: "Dr", firstName: "Anne de la", lastName: "Tour" }],
    ["Mlle", { civility: "Mlle", firstName: null, lastName: null }],
  ])("%j", (input, output) => expect(splitFullName(input)).toEqual(output));
});

describe("stripLegalForm", () => {
  it.each([
    ["SARL Les Vins du Sud", "Les Vins du Sud"],
    ["Domaine Martin EARL", "Domaine Martin"],
    ["S.A.S. La Cave, SAS", "La Cave"],
    ["GAEC du Moulin", "du Moulin"],
    ["SCEA", "SCEA"],
    ["Sassenage Vins", "Sassenage Vins"],
  ])("%j → %j", (input, output) => expect(stripLegalForm(input)).toBe(output));

  it.each([
    ["SARL Les Vins du Sud", true],
    ["Domaine Martin EARL", true],
    ["G.A.E.C. du Moulin", true],
    ["Sassenage Vins", false],
    ["Cave du Port", false],
    ["SCEA", false],
  ])("%j has a legal form: %j", (input, expected) => expect(hasLegalForm(input)).toBe(expected));
});

/** RFC 5322 addresses, but for the endings no domain has (`.con`), which bounce. */
const mailableAddress = fc.emailAddress().filter((email) => !/\.(con|fe|ft)$/i.test(email));

describe("normalizeEmail", () => {
  it.each([
    [" Jean.Dupont@Example.FR ", { value: "jean.dupont@example.fr", valid: true }],
    ["mailto:contact@cave-du-port.com", { value: "contact@cave-du-port.com", valid: true }],
    ["<a.b+vin@domaine.fr>", { value: "a.b+vin@domaine.fr", valid: true }],
    ["jean.dupont@", { value: "jean.dupont@", valid: false }],
    ["jean dupont@example.fr", { value: "jean dupont@example.fr", valid: false }],
    ["jean..dupont@example.fr", { value: "jean..dupont@example.fr", valid: false }],
    ["jean@example", { value: "jean@example", valid: false }],
    ["Jean Dupont <Jean@Dupont.fr>", { value: "jean@dupont.fr", valid: true }], // as Odoo writes it
    ["jean.@laposte.net", { value: "jean.@laposte.net", valid: false }],
    [".jean@free.fr", { value: ".jean@free.fr", valid: false }],
    ["jean@gmail.con", { value: "jean@gmail.con", valid: false }],
    ["jean@orange.fe", { value: "jean@orange.fe", valid: false }],
    ["contact@cave.cm", { value: "contact@cave.cm", valid: true }], // Cameroon's, a real ending
    ["", { value: null, valid: true }],
  ])("%j", (input, output) => expect(normalizeEmail(input)).toEqual(output));

  it("is idempotent", () =>
    fc.assert(
      fc.property(mailableAddress, (email) => {
        const once = normalizeEmail(email);
        expect(once.valid).toBe(true);
        expect(normalizeEmail(once.value!)).toEqual(once);
      }),
    ));
});

describe("severalEmails", () => {
  it.each([
    ["jean@x.fr; marie@y.fr", ["jean@x.fr", "marie@y.fr"]],
    ["jean@x.fr , marie@y.fr,", ["jean@x.fr", "marie@y.fr"]],
    ["jean@x.fr / marie@y.fr", ["jean@x.fr", "marie@y.fr"]],
    ["a/b@x.fr", undefined], // "/" may be part of an address: one address
    ["jean@x.fr\nmarie@y.fr", ["jean@x.fr", "marie@y.fr"]],
    ["jean@x.fr marie@y.fr", ["jean@x.fr", "marie@y.fr"]],
    ["jean@x.fr et marie@y.fr", ["jean@x.fr", "marie@y.fr"]],
    ["Jean Dupont <jean@x.fr>, Marie <MARIE@y.fr>", ["jean@x.fr", "marie@y.fr"]],
    ["jean@x.fr; jean@x.fr", ["jean@x.fr"]],
    ["jean@x.fr", undefined], // one address is not several
    ["jean.dupont@orange,fr", undefined], // a slip in one address
    ["jean @ free.fr", undefined],
    ["jean@x.fr; marie@", undefined],
    ["jean@dupont@free.fr", undefined],
    ["", undefined],
  ])("%j → %j", (input, emails) => expect(severalEmails(input)).toEqual(emails));

  it("finds every address of a list, whatever the separator, each once and in order", () =>
    fc.assert(
      fc.property(
        fc.array(mailableAddress, { minLength: 2, maxLength: 5 }),
        fc.constantFrom(", ", ";", " / ", " | ", "\n", " ", " et "),
        (emails, separator) => {
          const normalized = emails.map((e) => normalizeEmail(e).value!);
          expect(severalEmails(emails.join(separator))).toEqual([...new Set(normalized)]);
        },
      ),
    ));
});

describe("suggestEmail", () => {
  it.each([
    ["julien.fischmann@@gmail.com", "julien.fischmann@gmail.com"],
    ["jean.dupont@orange,fr", "jean.dupont@orange.fr"],
    ["jean dupont@free.fr", undefined], // jean.dupont? jeandupont? staff ask
    ["jean @ free.fr", "jean@free.fr"],
    ["jean@hotmail.con", "jean@hotmail.com"],
    ["jean@orange.ft", "jean@orange.fr"],
    ["jean..dupont@free.fr", "jean.dupont@free.fr"],
    ["jean.@laposte.net", "jean@laposte.net"],
    ["jean@gmail", "jean@gmail.com"],
    ["jean@gmail.con", "jean@gmail.com"],
    ["jean@wanadoo", "jean@wanadoo.fr"],
    ["jean@example", undefined], // which ending? staff ask
    ["jean.dupont@", undefined],
    ["jean.dupont", undefined],
    ["jean@dupont@free.fr", undefined], // two addresses, or a name with an @: not ours to pick
  ])("%j → %j", (input, likely) => expect(suggestEmail(input)).toBe(likely));

  it("suggests only valid addresses, never for a valid one, and keeps the name's letters", () =>
    fc.assert(
      fc.property(mailableAddress, fc.constantFrom("@@", " ", ",", "..", ".@"), (email, slip) => {
        const { value } = normalizeEmail(email);
        expect(suggestEmail(value!)).toBeUndefined();
        const broken = slip === ".@" ? value!.replace("@", ".@") : value!.replace(".", slip);
        const likely = suggestEmail(slip === "@@" ? value!.replace("@", "@@") : broken);
        if (likely === undefined) return;
        expect(normalizeEmail(likely).valid).toBe(true);
        const letters = (text: string) => text.replace(/[^a-z0-9]/g, "");
        expect(letters(likely)).toBe(letters(value!));
      }),
    ));
});

describe("normalizePhone", () => {
  it.each([
    ["06 12 34 56 78", "+33612345678", "mobile"],
    ["06.12.34.56.78", "+33612345678", "mobile"],
    ["+33 6 12 34 56 78", "+33612345678", "mobile"],
    ["0033612345678", "+33612345678", "mobile"],
    ["03 89 41 23 45", "+33389412345", "fixed"],
    ["+41 22 123 45 67", "+41221234567", "fixed"],
    ["0049 30 1234567", "+49301234567", "fixed"],
    // France's overseas numbers, dialled nationally (and once with the metropolitan +33).
    ["06 92 12 34 56", "+262692123456", "mobile"],
    ["0690 12 34 56", "+590690123456", "mobile"],
    ["06.96.12.34.56", "+596696123456", "mobile"],
    ["+33 693 12 34 56", "+262693123456", "mobile"],
    ["02 62 41 23 45", "+262262412345", "fixed"],
    // Landlines whose ranges libphonenumber's French plan still holds (Mayotte, Martinique).
    ["02 69 61 12 34", "+262269611234", "fixed"],
    ["+33 2 69 61 12 34", "+262269611234", "fixed"],
    ["05 96 60 12 34", "+596596601234", "fixed"],
    ["05 90 82 12 34", "+590590821234", "fixed"],
    ["05 94 30 12 34", "+594594301234", "fixed"],
  ])("%j → %s (%s)", (input, e164, type) =>
    expect(normalizePhone(input)).toEqual({ value: e164, valid: true, type }),
  );

  it.each([["12"], ["06 12 34"], ["pas de tél"]])("%j is invalid and kept as written", (input) => {
    expect(normalizePhone(input)).toEqual({ value: input, valid: false, type: null });
  });

  it("reads back any French mobile number, however it is spaced", () =>
    fc.assert(
      // 0639 and 069x are overseas mobiles (Mayotte, Antilles, Réunion…): metropolitan ones only here.
      fc.property(
        fc.integer({ min: 10, max: 88 }),
        fc.integer({ min: 0, max: 999_999 }),
        fc.constantFrom(" ", ".", "", "-"),
        (block, rest, sep) => {
          const digits = `06${block >= 39 ? block + 1 : block}${String(rest).padStart(6, "0")}`;
          const written = digits.match(/.{2}/g)!.join(sep);
          expect(normalizePhone(written).value).toBe(`+33${digits.slice(1)}`);
        },
      ),
    ));
});

it("reads a mainland landline as one, around the overseas ranges", () =>
  fc.assert(
    fc.property(
      fc.integer({ min: 10, max: 59 }),
      fc.integer({ min: 0, max: 9_999_999 }),
      (area, rest) => {
        // libphonenumber's French plan says which ranges are allocated; its overseas ones are
        // the ones read otherwise.
        const digits = `0${area}${String(rest).padStart(7, "0")}`;
        fc.pre(!/^0(26[239]|59[046])/.test(digits));
        fc.pre(isValidPhoneNumber(digits, "FR")); // an allocated range
        expect(normalizePhone(digits).value).toBe(`+33${digits.slice(1)}`);
      },
    ),
  ));

describe("normalizePostalCode", () => {
  it.each([
    ["1000", "FR", { value: "01000", valid: true, cedex: false }],
    ["01000", "FR", { value: "01000", valid: true, cedex: false }],
    ["75008 CEDEX 08", "FR", { value: "75008", valid: true, cedex: true }],
    ["68 000", "FR", { value: "68000", valid: true, cedex: false }],
    ["6800", "FR", { value: "06800", valid: true, cedex: false }],
    ["680000", "FR", { value: "680000", valid: false, cedex: false }],
    ["SW1A 1AA", "GB", { value: "SW1A 1AA", valid: true, cedex: false }],
  ] as const)("%j in %s", (input, country, output) =>
    expect(normalizePostalCode(input, country)).toEqual(output),
  );

  it("restores the lost leading zero of every French code", () =>
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), (n) => {
        expect(normalizePostalCode(String(n)).value).toBe(`0${n}`);
        expect(normalizePostalCode(normalizePostalCode(String(n)).value!).value).toBe(`0${n}`);
      }),
    ));
});

describe("toCountryCode", () => {
  it.each([
    ["France", "FR"],
    ["france", "FR"],
    ["FR", "FR"],
    ["FRA", "FR"],
    ["Allemagne", "DE"],
    ["Germany", "DE"],
    ["Royaume-Uni", "GB"],
    ["UK", "GB"],
    ["Suisse", "CH"],
    ["Belgique", "BE"],
    ["États-Unis", "US"],
    ["", null],
  ])("%j → %j", (input, code) => expect(toCountryCode(input)).toBe(code));

  it("does not know Narnia", () => expect(toCountryCode("Narnia")).toBeUndefined());
});

describe("wine labels", () => {
  it.each([
    ["Crémant d'Alsace Brut 2021 Magnum", 2021, 1500],
    ["Pinot Noir Vieilles Vignes 2019 75cl", 2019, 750],
    ["Gewurztraminer VT 2018 - 50 cl", 2018, 500],
    ["Riesling 2020 37,5 cl", 2020, 375],
    ["Crémant Brut", null, null],
    ["Cuvée 1998 / 2000", null, null],
    ["Jéroboam Pinot Noir 2015", 2015, 3000],
    // A sweetness, a cask and a cuvée's name are no bottle sizes.
    ["Vouvray Demi-Sec 2020", 2020, null],
    ["Crémant de Bourgogne Demi Sec", null, null],
    ["Savennières demi-sec", null, null],
    ["Riesling élevé en Demi-Muid 2019", 2019, null],
    ["Cuvée Balthazar rouge 2020", 2020, null],
    ["Cuvée  « Balthazar » 2020", 2020, null],
    ["Quart de Chaume 2018", 2018, null],
    ["Quarts-de-Chaume Grand Cru 2019 Demi-bouteille", 2019, 375],
    ["Demi Alsace Pinot Blanc 2022", 2022, 375],
    ["Half bottle of Sancerre 2021", 2021, 375],
    ["Sancerre 2021 (half bottle)", 2021, 375],
    ["Pouilly-Fumé 2022 demi-bouteille", 2022, 375],
  ])("%j → vintage %j, size %j", (label, vintage, size) => {
    expect(vintageFromLabel(label)).toBe(vintage);
    expect(sizeFromLabel(label)).toBe(size);
  });
});

describe("VAT", () => {
  it.each([
    [12, 0.2, 10],
    [34.9, 0.2, 29.08],
    [19.99, 0.055, 18.95],
  ])("%d incl. at %d is %d excl.", (incl, rate, excl) => expect(excludeVat(incl, rate)).toBe(excl));

  it("round-trips within a cent", () =>
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom(0.2, 0.1, 0.055, 0.021),
        (cents, rate) => {
          const excl = cents / 100;
          expect(Math.abs(excludeVat(includeVat(excl, rate), rate) - excl)).toBeLessThanOrEqual(
            0.01,
          );
        },
      ),
    ));
});

describe("collapseSpaces", () => {
  it("never leaves double or edge spaces", () =>
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = collapseSpaces(s);
        expect(out).not.toMatch(/^\s|\s$|\s{2}/);
      }),
    ));
});

describe("foldText", () => {
  it.each([
    ["LEFÈVRE  Anne", "lefevre anne"],
    ["Gewürztraminer\u00a0Grand Cru", "gewurztraminer grand cru"],
    ["  Crémant d'Alsace ", "cremant d'alsace"],
    ["Dvořák", "dvorak"],
    ["Œnologie", "œnologie"],
    ["", ""],
  ])("%j is compared as %j", (text, folded) => expect(foldText(text)).toBe(folded));

  it("is what it gives, and leaves no accent", () =>
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const out = foldText(s);
        expect(foldText(out)).toBe(out);
        expect(out).not.toMatch(/\p{M}/u);
      }),
    ));
});

describe("withoutAccents", () => {
  it("keeps case and spacing, drops accents", () =>
    expect(withoutAccents(" Éloïse  Müller ")).toBe(" Eloise  Muller "));
});
