import { afterEach, describe, expect, it } from "vitest";
import { formatConfidence, formatTenthsPercent, setLocale, tierName } from "./i18n.ts";

// Intl writes a no-break space (U+202F or U+00A0) before "%" in French: compare on plain spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe("figures in the reader's language", () => {
  afterEach(() => setLocale("fr"));

  it.each([
    // Each language's way, as Intl writes it: a space before "%" in French, none in English.
    [0.457, "45,7 %", "45.7%"],
    [0.4567, "45,7 %", "45.7%"],
    [1, "100 %", "100%"],
    [0.001, "0,1 %", "0.1%"],
    [0.0004, "< 0,1 %", "< 0.1%"],
    [0, "< 0,1 %", "< 0.1%"],
  ])("shows a confidence of %d as %s (%s in English)", (confidence, fr, en) => {
    expect(plain(formatConfidence(confidence))).toBe(fr);
    setLocale("en");
    expect(plain(formatConfidence(confidence))).toBe(en);
  });

  it.each(["fr", "en"] as const)(
    "joins the percent sign to its number (%s), so no column wraps it alone",
    (language) => {
      setLocale(language);
      for (const text of [formatConfidence(0.231), formatConfidence(0), formatTenthsPercent(1)])
        expect(text).toMatch(
          language === "fr" ? /^(<\u00a0)?[\d,.]+[\u00a0\u202f]%$/ : /^(<\u00a0)?[\d,.]+%$/,
        );
    },
  );

  it.each([
    ["dormant", "Endormis"],
    ["at_risk", "À risque"],
    [null, "—"],
    ["gold", "gold"],
  ])("names the tier %s", (tier, name) => {
    expect(tierName(tier)).toBe(name);
  });
});
