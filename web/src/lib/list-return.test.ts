import { beforeEach, describe, expect, it } from "vitest";
import { listReturn, rememberListReturn } from "./list-return.ts";

describe("the way back to the list", () => {
  beforeEach(() => sessionStorage.clear());

  it("is the whole list until a list was left", () => {
    expect(listReturn()).toBe("/recommendations");
  });

  it("is the list as it was left, with its filters", () => {
    history.replaceState(null, "", "/recommendations?tier=champions&product=riesling");
    rememberListReturn();
    history.replaceState(null, "", "/recommendations/42");
    expect(listReturn()).toBe("/recommendations?tier=champions&product=riesling");
  });

  it("never leaves the app", () => {
    sessionStorage.setItem("crm-reco.list-return", "//evil.example/x");
    expect(listReturn()).toBe("/recommendations");
  });
});
