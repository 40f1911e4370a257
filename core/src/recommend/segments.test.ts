import { describe, expect, it } from "vitest";
import { computeSegments } from "./segments.ts";

const today = 20_000;
const customers = [
  {
    customerId: "champion",
    orderDays: [today - 400, today - 300, today - 200, today - 100, today - 5],
    monetary: 2_000,
  },
  {
    customerId: "loyal",
    orderDays: [today - 700, today - 600, today - 500, today - 400, today - 300, today - 200],
    monetary: 300,
  },
  { customerId: "newcomer", orderDays: [today - 30], monetary: 60 },
  {
    customerId: "at-risk",
    orderDays: [today - 1200, today - 1000, today - 800, today - 600],
    monetary: 900,
  },
  { customerId: "dormant", orderDays: [today - 2000], monetary: 40 },
  { customerId: "never", orderDays: [], monetary: 0 },
];

describe("computeSegments", () => {
  const segments = computeSegments(customers, today);

  it.each([
    ["champion", "champions"],
    ["loyal", "loyal"],
    ["newcomer", "new"],
    ["at-risk", "at_risk"],
    ["dormant", "dormant"],
  ])("names %s a %s customer", (id, tier) => {
    expect(segments.get(id)!.tier).toBe(tier);
  });

  it("scores recency, frequency and monetary value by quintile among the estate's customers", () => {
    expect(segments.get("champion")).toMatchObject({ recency: 5, frequency: 4, monetary: 5 });
    expect(segments.get("dormant")).toMatchObject({ recency: 1, frequency: 1, monetary: 1 });
  });

  it("learns each customer's usual reorder interval and the expected next order", () => {
    expect(segments.get("loyal")).toMatchObject({
      reorderIntervalDays: 100,
      lastOrderDay: today - 200,
      expectedNextOrderDay: today - 100,
    });
    expect(segments.get("newcomer")).toMatchObject({
      reorderIntervalDays: null,
      expectedNextOrderDay: null,
    });
  });

  it("leaves out customers who never ordered", () => {
    expect(segments.has("never")).toBe(false);
  });
});
