import { describe, expect, it } from "vitest";
import { filterParams, readFilters, toQuery } from "./review-filters.ts";

describe("review filters in the URL", () => {
  it("opens on the pending ones, most confident first, page 1", () => {
    expect(readFilters({})).toEqual({
      status: "pending",
      algorithm: undefined,
      minConfidencePercent: undefined,
      campaignId: undefined,
      customer: undefined,
      product: undefined,
      kind: undefined,
      tier: undefined,
      sort: "confidence.desc",
      page: 1,
    });
  });

  it("reads every filter and turns it into the API's query", () => {
    const filters = readFilters({
      status: "all",
      algorithm: "itemknn",
      confidence: "40",
      campaign: "c1",
      customer: " Martin ",
      product: ["Riesling", "ignored"],
      kind: "trade",
      tier: "at_risk",
      sort: "customer.desc",
      page: "3",
    });
    expect(toQuery(filters, 50)).toEqual({
      status: undefined,
      algorithm: "itemknn",
      minConfidence: 0.4,
      campaignId: "c1",
      customer: "Martin",
      product: "Riesling",
      kind: "trade",
      tier: "at_risk",
      sort: "customer",
      order: "desc",
      limit: 50,
      offset: 100,
    });
  });

  it.each([
    [{ status: "archived" }, "status", "pending"],
    [{ sort: "price.asc" }, "sort", "confidence.desc"],
    [{ confidence: "140" }, "minConfidencePercent", undefined],
    [{ confidence: "abc" }, "minConfidencePercent", undefined],
    [{ confidence: "0" }, "minConfidencePercent", 0],
    [{ page: "-2" }, "page", 1],
    [{ page: "2.5" }, "page", 1],
    [{ customer: "   " }, "customer", undefined],
    [{ kind: "pro" }, "kind", undefined],
    [{ tier: "gold" }, "tier", undefined],
    [{ tier: "dormant" }, "tier", "dormant"],
  ])("ignores or keeps %j (%s → %j)", (params, field, expected) => {
    expect(readFilters(params)[field as keyof ReturnType<typeof readFilters>]).toBe(expected);
  });

  it("writes a change without defaults, back on page 1", () => {
    expect(filterParams({ status: "pending", algorithm: "hybrid", customer: "" })).toEqual({
      status: undefined,
      algorithm: "hybrid",
      customer: undefined,
      page: undefined,
    });
    expect(filterParams({ minConfidencePercent: 50, sort: "date.desc" })).toEqual({
      confidence: "50",
      sort: "date.desc",
      page: undefined,
    });
    expect(filterParams({ page: 4 })).toEqual({ page: "4" });
    expect(filterParams({ kind: "trade", tier: undefined })).toEqual({
      kind: "trade",
      tier: undefined,
      page: undefined,
    });
  });
});
