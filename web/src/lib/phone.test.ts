import { describe, expect, it } from "vitest";
import { displayPhone } from "./phone.ts";

describe("displayPhone", () => {
  it.each([
    ["+33612345678", "06 12 34 56 78"],
    ["+33389412345", "03 89 41 23 45"],
    ["+262692123456", "06 92 12 34 56"],
    ["+41791234567", "+41791234567"],
    ["12", "12"],
    [null, ""],
  ])("%j → %j", (stored, shown) => expect(displayPhone(stored)).toBe(shown));
});
