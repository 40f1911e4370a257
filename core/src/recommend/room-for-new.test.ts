import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildInteractions } from "./interactions.ts";
import { customerList, roomForNew } from "./room-for-new.ts";

const items = (...list: number[]) => list.map((item) => ({ item }));
const names = (list: Array<{ item: number }>) => list.map((s) => s.item);

describe("roomForNew", () => {
  // Items 100 and up are wines the customer already bought.
  const bought = (item: number) => item >= 100;

  it.each([
    {
      why: "leaves a list with enough new wines as ranked",
      ranked: [100, 1, 2, 101, 3, 4],
      k: 5,
      options: { head: 2, minNew: 3 },
      expected: [100, 1, 2, 101, 3],
    },
    {
      why: "passes over reorders past the head to make room",
      ranked: [100, 1, 101, 102, 103, 2, 3],
      k: 5,
      options: { head: 2, minNew: 3 },
      expected: [100, 1, 101, 2, 3],
    },
    {
      why: "never changes the head, even when it is all reorders",
      ranked: [100, 101, 102, 1, 103, 2],
      k: 4,
      options: { head: 3, minNew: 3 },
      expected: [100, 101, 102, 1],
    },
    {
      why: "fills with the reorders passed over when new wines run out",
      ranked: [100, 1, 101, 102, 2],
      k: 5,
      options: { head: 1, minNew: 4 },
      expected: [100, 1, 2, 101, 102],
    },
    {
      why: "changes nothing when k is within the head",
      ranked: [100, 101, 102, 1],
      k: 3,
      options: { head: 10, minNew: 10 },
      expected: [100, 101, 102],
    },
  ])("$why", ({ ranked, k, options, expected }) => {
    expect(names(roomForNew(items(...ranked), k, bought, options))).toEqual(expected);
  });

  it("keeps the head, the new wines' order, and as many new wines as there is room for", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 45 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
        (ranked, k, head, minNew) => {
          const isBought = (item: number) => item % 3 === 0;
          const out = names(roomForNew(items(...ranked), k, isBought, { head, minNew }));
          const headLength = Math.min(head, k, ranked.length);
          expect(out).toHaveLength(Math.min(k, ranked.length));
          expect(new Set(out).size).toBe(out.length);
          expect(out.slice(0, headLength)).toEqual(ranked.slice(0, headLength));
          // The new wines are the ranking's first ones, in its order.
          const fresh = out.filter((i) => !isBought(i));
          expect(fresh).toEqual(ranked.filter((i) => !isBought(i)).slice(0, fresh.length));
          // As many as asked for, as far as the head leaves room and the ranking has them.
          const freshInHead = ranked.slice(0, headLength).filter((i) => !isBought(i)).length;
          const freshAfter = ranked.slice(headLength).filter((i) => !isBought(i)).length;
          const room = Math.min(k, ranked.length) - headLength;
          expect(fresh.length).toBeGreaterThanOrEqual(
            Math.min(minNew, freshInHead + Math.min(freshAfter, room)),
          );
          // A list that already has them is left as ranked.
          const asRanked = ranked.slice(0, k);
          if (asRanked.filter((i) => !isBought(i)).length >= minNew) expect(out).toEqual(asRanked);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("customerList", () => {
  // Customer 0 bought wines 100 to 129; the model ranks them all before the new wines 0 to 39.
  const data = buildInteractions(
    Array.from({ length: 30 }, (_, n) => ({
      customerId: "c",
      itemId: `w${100 + n}`,
      date: "2024-01-10",
      quantity: 1,
    })),
    { asOf: "2024-12-31", weighting: { kind: "binary" } },
  );
  const asked: number[] = [];
  const recommend = (_u: number, k: number) => {
    asked.push(k);
    const own = Array.from({ length: 30 }, (_, n) => data.itemIndex.get(`w${100 + n}`)!);
    const fresh = Array.from({ length: 40 }, (_, n) => 1000 + n);
    return [...own, ...fresh].slice(0, k).map((item) => ({ item }));
  };

  it("draws four candidates per place and keeps room for new wines past the first ten", () => {
    const list = names(customerList(recommend, data, 0, 20));
    expect(asked.at(-1)).toBe(80);
    expect(list.slice(0, 10)).toEqual(names(recommend(0, 10))); // the head as ranked
    expect(list.slice(10)).toEqual(Array.from({ length: 10 }, (_, n) => 1000 + n));
  });

  it("applies the rules to the candidates before making room", () => {
    const noReorders = (candidates: Array<{ item: number }>) =>
      candidates.filter((s) => s.item >= 1000);
    // Ten places: forty candidates, of which the last ten are new.
    expect(names(customerList(recommend, data, 0, 10, noReorders))).toEqual(
      Array.from({ length: 10 }, (_, n) => 1000 + n),
    );
  });
});
