import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeHeader } from "../mapping/normalize-header.ts";
import {
  parseBooleanWord,
  parseConsentWord,
  parseCustomerKind,
  parseOrderChannel,
  parseWineColor,
} from "./words.ts";

describe("parseBooleanWord", () => {
  it.each([
    ["Oui", true],
    ["x", true],
    ["1", true],
    ["Opt-in", true],
    ["NON", false],
    ["0", false],
    ["Désinscrit", false],
    ["", null],
    ["  ", null],
    ["57.00", undefined],
    ["peut-être", undefined],
  ])("%j → %j", (text, value) => expect(parseBooleanWord(text)).toBe(value));
});

describe("parseConsentWord", () => {
  it.each([
    ["Oui", "opt_in"],
    ["Opt-in", "opt_in"],
    ["Abonné", "opt_in"],
    ["Subscribed", "opt_in"],
    ["Soft opt-in", "soft_opt_in"],
    ["Client existant", "soft_opt_in"],
    ["non", "opt_out"],
    ["Désabonné", "opt_out"],
    ["Unsubscribed", "opt_out"],
    ["STOP", "opt_out"],
    ["Blacklisté", "opt_out"],
    ["", null],
    ["peut-être", undefined],
    ["Client", undefined],
  ])("%j → %j", (text, value) => expect(parseConsentWord(text)).toBe(value));

  it("reads every yes/no word as the boolean parser does", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const yes = parseBooleanWord(text);
        if (yes === true) expect(parseConsentWord(text)).toBe("opt_in");
        if (yes === false) expect(parseConsentWord(text)).toBe("opt_out");
        if (yes === null) expect(parseConsentWord(text)).toBe(null);
      }),
    );
  });
});

describe("parseCustomerKind", () => {
  it.each([
    ["Particulier", { kind: "private", tradeType: null }],
    ["Consumer", { kind: "private", tradeType: null }],
    ["Caviste", { kind: "trade", tradeType: "wine_shop" }],
    ["CHR", { kind: "trade", tradeType: "restaurant" }],
    ["Importateur", { kind: "trade", tradeType: "importer" }],
    ["Société", { kind: "trade", tradeType: "other" }],
    ["Corporate", { kind: "trade", tradeType: "other" }],
    ["Home Office", { kind: "trade", tradeType: "other" }],
    ["", null],
    ["High Roller", undefined],
  ])("%j → %j", (text, value) => expect(parseCustomerKind(text)).toEqual(value));
});

describe("parseWineColor and parseOrderChannel", () => {
  it.each([
    ["Rouge", "red"],
    ["Rosé", "rose"],
    ["Vendanges tardives", "sweet"],
    ["Orange", "other"],
    ["", null],
  ])("colour %j → %j", (text, value) => expect(parseWineColor(text)).toBe(value));
  it.each([
    ["Caveau", "cellar_door"],
    ["Site web", "eshop"],
    ["Foire aux vins", "fair"],
    ["Téléphone", "other"],
    ["", null],
  ])("channel %j → %j", (text, value) => expect(parseOrderChannel(text)).toBe(value));
});

describe("word parsers", () => {
  it("ignore case, accents, spaces and punctuation", () => {
    const known = [
      "oui",
      "non",
      "caviste",
      "particulier",
      "rose",
      "caveau",
      "home office",
      "soft opt in",
      "desabonne",
    ];
    const spelling = fc
      .tuple(fc.constantFrom(...known), fc.boolean(), fc.constantFrom("", " ", "-", "."))
      .map(([word, upper, around]) => `${around}${upper ? word.toUpperCase() : word}${around}`);
    fc.assert(
      fc.property(spelling, (text) => {
        const plain = text.replace(/[ .-]/g, "").toLowerCase();
        expect(parseBooleanWord(text)).toBe(parseBooleanWord(plain));
        expect(parseConsentWord(text)).toBe(parseConsentWord(plain));
        expect(parseCustomerKind(text)).toEqual(parseCustomerKind(plain));
        expect(parseWineColor(text)).toBe(parseWineColor(plain));
        expect(parseOrderChannel(text)).toBe(parseOrderChannel(plain));
      }),
    );
  });

  it("read any text: null exactly when nothing is left of it, else a word or not known", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const empty = normalizeHeader(text) === "";
        expect(parseBooleanWord(text) === null).toBe(empty);
        expect(parseConsentWord(text) === null).toBe(empty);
        expect(parseCustomerKind(text) === null).toBe(empty);
        expect(parseWineColor(text) === null).toBe(empty);
        expect(parseOrderChannel(text) === null).toBe(empty);
        expect([true, false, null, undefined]).toContain(parseBooleanWord(text));
      }),
    );
  });
});
