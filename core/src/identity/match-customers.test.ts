import { describe, expect, it } from "vitest";
import {
  AUTO_MERGE_SCORE,
  type MatchCandidate,
  matchCustomers,
  REVIEW_SCORE,
  scorePair,
} from "./match-customers.ts";

let next = 0;
const customer = (fields: Partial<MatchCandidate>): MatchCandidate => ({
  id: `c${String(++next).padStart(3, "0")}`,
  sourceIds: ["isavigne"],
  customerCode: null,
  firstName: null,
  lastName: null,
  company: null,
  email: null,
  phone: null,
  addressLine1: null,
  postalCode: null,
  city: null,
  kind: "private",
  ...fields,
});

const decide = (score: number) =>
  score >= AUTO_MERGE_SCORE ? "merge" : score >= REVIEW_SCORE ? "review" : "different";

describe("matchCustomers", () => {
  it.each([
    [
      "the same e-mail in iSaVigne and Odoo",
      {
        lastName: "Dupont",
        firstName: "Jean",
        email: "jean.dupont@gmail.com",
        postalCode: "68000",
      },
      {
        lastName: "DUPONT",
        firstName: "Jean",
        email: "jean.dupont@gmail.com",
        sourceIds: ["odoo"],
      },
      "merge",
    ],
    [
      "the same phone",
      { lastName: "Weber", phone: "+33389412345" },
      { lastName: "Weber", firstName: "Anne", phone: "+33389412345" },
      "merge",
    ],
    [
      "a typo in the name, same first name, address and postal code",
      {
        lastName: "Dupont",
        firstName: "Jean",
        postalCode: "68000",
        city: "Colmar",
        addressLine1: "12 rue des Vignes",
      },
      {
        lastName: "Dupond",
        firstName: "Jean",
        postalCode: "68000",
        city: "Colmar",
        addressLine1: "12, rue des vignes",
      },
      "merge",
    ],
    [
      "same names and postal code only",
      { lastName: "Martin", firstName: "Paul", postalCode: "21200" },
      { lastName: "Martin", firstName: "Paul", postalCode: "21200" },
      "merge",
    ],
    [
      "same last name and postal code, no first names",
      { lastName: "Martin", postalCode: "21200" },
      { lastName: "Martin", postalCode: "21200" },
      "review",
    ],
    [
      "a couple sharing an e-mail",
      { lastName: "Roux", firstName: "Marie", email: "roux@orange.fr" },
      { lastName: "Roux", firstName: "Pierre", email: "roux@orange.fr" },
      "review",
    ],
    [
      "two people in one postal code",
      { lastName: "Martin", firstName: "Paul", postalCode: "68000" },
      { lastName: "Durand", firstName: "Luc", postalCode: "68000" },
      "different",
    ],
    [
      "a company and its contact on the company's e-mail",
      {
        company: "SARL Cave du Port",
        lastName: "Cave du Port",
        email: "contact@caveduport.fr",
        kind: "trade" as const,
      },
      {
        firstName: "Marc",
        lastName: "Leroy",
        company: "Cave du Port",
        email: "contact@caveduport.fr",
        kind: "trade" as const,
      },
      "different",
    ],
    [
      "the same code in two sources",
      { customerCode: "C001", lastName: "Blanc" },
      { customerCode: "c001", lastName: "Blanc", sourceIds: ["odoo"] },
      "merge",
    ],
    [
      "the same code in two sources, confirmed by the postal code alone",
      { customerCode: "5000", postalCode: "13008" },
      { customerCode: "5000", postalCode: "13008", sourceIds: ["odoo"] },
      "merge",
    ],
    [
      "the same plain number in two unrelated sources, the places differ",
      { customerCode: "5000", lastName: "Bonnet", postalCode: "13008", city: "Marseille" },
      { customerCode: "5000", postalCode: "95476", city: "Sonoma", sourceIds: ["winery"] },
      "different",
    ],
    [
      "the same code in two sources and nothing else to compare: staff decide",
      { customerCode: "5000", lastName: "Bonnet" },
      { customerCode: "5000", sourceIds: ["winery"] },
      "review",
    ],
    [
      "one surname, one town, two businesses (a wine shop's contact and an importer's)",
      {
        lastName: "Wolff",
        company: "Cave Swiss Vins",
        postalCode: "59000",
        city: "Lille",
        kind: "trade" as const,
      },
      {
        lastName: "Wolff",
        company: "Import Rhein",
        postalCode: "59000",
        city: "Lille",
        kind: "trade" as const,
      },
      "different",
    ],
    [
      "one business written two ways",
      {
        firstName: "Paul",
        lastName: "Wolff",
        company: "SARL Cave Swiss Vins",
        postalCode: "59000",
        city: "Lille",
        kind: "trade" as const,
      },
      {
        firstName: "Paul",
        lastName: "Wolff",
        company: "Cave Swiss Vins",
        postalCode: "59000",
        city: "Lille",
        kind: "trade" as const,
      },
      "merge",
    ],
    [
      "namesakes' first name and town, different surnames",
      { firstName: "Véronique", lastName: "Walmer", postalCode: "13008", city: "Marseille" },
      { firstName: "Véronique", lastName: "Roux", postalCode: "13008", city: "Marseille" },
      "different",
    ],
    [
      "a restaurant's contact and a private person with the same surname and town",
      {
        lastName: "David",
        company: "Restaurant Le Cep",
        postalCode: "13008",
        city: "Marseille",
        kind: "trade" as const,
      },
      { firstName: "Christophe", lastName: "David", postalCode: "13008", city: "Marseille" },
      "different",
    ],
    [
      "a surname and a town without first names: staff decide",
      { lastName: "Schmitt", postalCode: "67000", city: "Strasbourg" },
      { lastName: "Schmitt", postalCode: "67000", city: "Strasbourg" },
      "review",
    ],
    [
      "the same code in one source, different people",
      { customerCode: "C001", lastName: "Blanc" },
      { customerCode: "C001", lastName: "Noir" },
      "different",
    ],
  ])("%s → %s", (_name, x, y, expected) => {
    const pairs = matchCustomers([customer(x), customer(y)]);
    expect(pairs.length <= 1).toBe(true);
    expect(pairs[0] ? decide(pairs[0].score) : "different").toBe(expected);
  });

  const village = { lastName: "Muller", postalCode: "68340", city: "Riquewihr" };
  it.each([
    ["12 rue des Vignes", "12, rue des vignes", true],
    ["12 rue des Vignes", "rue des Vignes", true], // the number left out once
    ["12 rue des Vignes", "14 rue des Vignes", false], // the neighbours
    ["rue des Vignes", "rue des Lilas", false], // "rue" and "des" name no street
    ["3 Grand'Rue", "3 Grand Rue", true],
    ["5 av. de la Gare", "5 avenue de la Gare", true],
    ["7 impasse des Lilas", "7 rue du Moulin", false],
    ["12bis rue des Vignes", "12 bis, rue des Vignes", true],
    ["12bis rue des Vignes", "31 rue des Vignes", false],
    ["12bis rue des Vignes", "12 rue des Vignes", false], // two houses
    ["Lieu-dit Le Grand Pré", "lieu dit le grand pre", true],
  ])("%j and %j are the same street: %s", (x, y, same) => {
    const { reasons } = scorePair(
      customer({ ...village, addressLine1: x }),
      customer({ ...village, addressLine1: y }),
    );
    expect(reasons.includes("adresse")).toBe(same);
  });

  it.each([
    ["12 rue des Vignes", "31 rue des Vignes", "review", "autre numéro de rue"], // a mother and a daughter, or a move
    ["12 rue des Vignes", "4 rue des Lilas", "review", "autre rue"],
    ["57 rue de l'Église", "46 place de la Mairie", "review", "autre rue"],
    ["12 rue des Vignes", "12, rue des vignes", "merge", null],
    ["12 rue des Vignes", "rue des Vignes", "merge", null],
  ])("one name in one village, at %j and %j: %s (%s)", (x, y, expected, against) => {
    const pairs = matchCustomers([
      customer({ ...village, firstName: "Anne", addressLine1: x }),
      customer({ ...village, firstName: "Anne", addressLine1: y }),
    ]);
    expect(pairs).toHaveLength(1);
    expect(decide(pairs[0]!.score)).toBe(expected);
    // Staff see why it waits for them.
    expect(pairs[0]!.reasons.filter((r) => r.startsWith("autre"))).toEqual(
      against ? [against] : [],
    );
  });

  it("says two e-mails disagree without holding a merge back for it (a home and a work address)", () => {
    const pairs = matchCustomers([
      customer({
        ...village,
        firstName: "Anne",
        addressLine1: "12 rue des Vignes",
        email: "anne@orange.fr",
      }),
      customer({
        ...village,
        firstName: "Anne",
        addressLine1: "12 rue des Vignes",
        email: "a.weber@cave.fr",
      }),
    ]);
    expect(pairs).toHaveLength(1);
    expect(decide(pairs[0]!.score)).toBe("merge");
    expect(pairs[0]!.reasons).toContain("autre e-mail");
  });

  it.each([
    ["+33612345678", "+33698765432", "review"], // two mobiles: a father and a son, or a new number
    ["03 89 12 34 56", "03 89 65 43 21", "review"], // two households' landlines
    ["+33612345678", "+33389123456", "merge"], // one person's mobile and landline
    ["+33612345678", null, "merge"],
    ["06 12 34 56 78", "+33612345678", "merge"], // the same number written two ways
    ["+41791234567", "+41321234567", "merge"], // a Swiss mobile and landline: kinds not read
  ])("one name in one village, with phones %j and %j: %s", (x, y, expected) => {
    const pairs = matchCustomers([
      customer({ ...village, firstName: "Jean", phone: x }),
      customer({ ...village, firstName: "Jean", phone: y }),
    ]);
    expect(pairs).toHaveLength(1);
    expect(decide(pairs[0]!.score)).toBe(expected);
    expect(pairs[0]!.reasons.includes("autre téléphone")).toBe(expected === "review");
  });

  it.each([
    ["Jean", "Jean", "merge"],
    ["Jean", "J", "review"], // an initial: Jean, or Jacques
    ["Jean-Luc", "Jean Luc", "merge"],
    ["Mathieu", "Matthieu", "merge"], // a spelling
    ["François", "Françoise", "review"], // a husband and a wife, staff decide
    ["Julien", "Julie", "review"],
    ["Michel", "Michèle", "review"],
    ["Frédéric", "Frédérique", "review"],
    ["Karin", "Karine", "review"], // or one person's two spellings: staff know
    ["Jean", "Jeanne", "review"],
    ["Paul", "Pierre", "different"],
  ])("%s and %s of one name in one village: %s", (x, y, expected) => {
    const pairs = matchCustomers([
      customer({ ...village, firstName: x }),
      customer({ ...village, firstName: y }),
    ]);
    expect(pairs.length <= 1).toBe(true);
    expect(pairs[0] ? decide(pairs[0].score) : "different").toBe(expected);
    if (expected === "review" && y !== "J")
      expect(pairs[0]!.reasons).toContain("prénoms différents");
  });

  it.each([
    ["Meyer", "Mayer", undefined, "review"], // a typo, or two families: staff decide
    ["Reinbach", "Weinbach", undefined, "review"],
    ["MEYER", "Meyer", undefined, "merge"], // written alike
    ["Dupont", "Dupond", "12 rue des Vignes", "merge"], // a typo, at the same address
  ])("Jean %s and Jean %s of one village (street %j): %s", (x, y, street, expected) => {
    const pairs = matchCustomers([
      customer({ ...village, lastName: x, firstName: "Jean", addressLine1: street }),
      customer({ ...village, lastName: y, firstName: "Jean", addressLine1: street }),
    ]);
    expect(pairs).toHaveLength(1);
    expect(decide(pairs[0]!.score)).toBe(expected);
    expect(pairs[0]!.reasons.includes("nom proche")).toBe(expected === "review");
  });

  it.each([
    [{ addressLine1: "12 rue des Vignes", phone: "+33698765432" }, "review"], // another mobile
    [{ addressLine1: "31 rue des Vignes" }, "review"], // another house
    [{ addressLine1: "31 rue des Vignes", phone: "+33698765432" }, "none"], // another house and mobile
    [{ addressLine1: "4 rue des Lilas", phone: "+33698765432" }, "none"], // another street and mobile
    [{ addressLine1: "31 rue des Vignes", phone: "+33612345679" }, "review"], // a digit mistyped
    [{ addressLine1: "31 rue des Vignes", phone: "06 98 76 54 32 / 06 11 22 33 44" }, "review"], // unread
    [{ addressLine1: "31 rue des Vignes", firstName: "Annie" }, "review"], // Annie, or a slip
    [{ lastName: "Mulller", addressLine1: "31 rue des Vignes" }, "review"], // a typo too
  ])("Anne Muller at 12 rue des Vignes, +33612345678, and one with %j: %s", (y, expected) => {
    // The other record has no phone unless the case gives one (the same phone would merge them
    // by the exact key, which these cases are not about).
    const anne = {
      ...village,
      firstName: "Anne",
      addressLine1: "12 rue des Vignes",
      phone: "+33612345678",
    };
    const pairs = matchCustomers([customer(anne), customer({ ...anne, phone: null, ...y })]);
    expect(pairs.map((p) => decide(p.score))).toEqual(expected === "none" ? [] : [expected]);
    for (const p of pairs) expect(p.method).toBe("probabilistic");
  });

  it("does not merge alone a couple sharing the family's e-mail, François and Françoise", () => {
    const pairs = matchCustomers([
      customer({ lastName: "Michel", firstName: "François", email: "famille.michel@orange.fr" }),
      customer({ lastName: "Michel", firstName: "Françoise", email: "famille.michel@orange.fr" }),
    ]);
    expect(pairs).toHaveLength(1);
    expect(decide(pairs[0]!.score)).toBe("review");
    expect(pairs[0]!.reasons).toEqual(["même e-mail", "prénoms différents"]);
  });

  it("ranks a pair to review lower for each thing that argues against it", () => {
    const [initial] = matchCustomers([
      customer({
        lastName: "Bonnet",
        firstName: "G.",
        addressLine1: "4 rue des Vignes",
        postalCode: "21200",
        city: "Beaune",
      }),
      customer({
        lastName: "BONNET",
        firstName: "Gérard",
        addressLine1: "4 rue des Vignes",
        postalCode: "21200",
        city: "Beaune",
      }),
    ]);
    const [elsewhere] = matchCustomers([
      customer({
        lastName: "Duchêne",
        firstName: "François",
        addressLine1: "2 rue Haute",
        postalCode: "21200",
        city: "Beaune",
        email: "f.duchene@orange.fr",
      }),
      customer({
        lastName: "Duchene",
        firstName: "François",
        addressLine1: "9 place Carnot",
        postalCode: "21200",
        city: "Beaune",
        email: "fduchene@free.fr",
      }),
    ]);
    expect(decide(initial!.score)).toBe("review");
    expect(decide(elsewhere!.score)).toBe("review");
    expect(elsewhere!.reasons).toEqual(expect.arrayContaining(["autre rue", "autre e-mail"]));
    expect(elsewhere!.score).toBeLessThanOrEqual(initial!.score - 2);
  });

  it("gives the reasons a person can check", () => {
    const { reasons } = scorePair(
      customer({ lastName: "Dupont", firstName: "Jean", postalCode: "68000", city: "Colmar" }),
      customer({ lastName: "Dupont", firstName: "J", postalCode: "68000", city: "COLMAR" }),
    );
    expect(reasons).toEqual(["nom", "prénom", "code postal", "ville"]);
  });

  it("returns each pair once, ordered, whatever the input order", () => {
    const a = customer({ lastName: "Dupont", email: "j@d.fr", phone: "+33612345678" });
    const b = customer({ lastName: "Dupont", email: "j@d.fr", phone: "+33612345678" });
    const c = customer({ lastName: "Dupont", email: "j@d.fr" });
    const forward = matchCustomers([a, b, c]);
    expect(forward.map((p) => `${p.a}-${p.b}`)).toEqual([
      `${a.id}-${b.id}`,
      `${a.id}-${c.id}`,
      `${b.id}-${c.id}`,
    ]);
    expect(matchCustomers([c, b, a])).toEqual(forward);
  });
});
