import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildInteractions,
  dayNumber,
  isoDay,
  type Purchase,
  type Weighting,
} from "./interactions.ts";

/** What dayNumber must equal: Date.parse on the date part, in whole days. */
const parsedDay = (iso: string) =>
  Math.floor(Date.parse(iso.slice(0, 10) + "T00:00:00Z") / 86_400_000);

describe("dayNumber", () => {
  it.each([
    ["1970-01-01", 0],
    ["2024-03-01", 19_783],
    ["2024-02-30", 19_783], // rolled over to 1 March, as Date.parse does
    ["2024-01-05T23:59:59", 19_727],
    ["2024-13-01", NaN],
    ["2024-01-00", NaN],
    ["2024-1-5", NaN],
    ["", NaN],
  ])("%s → %s", (iso, day) => expect(dayNumber(iso)).toBe(day));

  it("agrees with Date.parse on dates of any shape", () => {
    const twoDigits = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, "0"));
    const isoLike = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), twoDigits, twoDigits, fc.string({ maxLength: 6 }))
      .map(([y, m, d, rest]) => `${String(y).padStart(4, "0")}-${m}-${d}${rest}`);
    fc.assert(
      fc.property(fc.oneof(isoLike, fc.string({ maxLength: 12 })), (iso) => {
        expect(Object.is(dayNumber(iso), parsedDay(iso)), iso).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("isoDay", () => {
  it.each([
    [0, "1970-01-01"],
    [19_783, "2024-03-01"],
    [-1, "1969-12-31"],
  ])("%s → %s", (day, iso) => expect(isoDay(day)).toBe(iso));

  it("is dayNumber's inverse", () => {
    fc.assert(
      fc.property(fc.integer({ min: -600_000, max: 2_900_000 }), (day) => {
        expect(dayNumber(isoDay(day))).toBe(day);
      }),
    );
  });
});

describe("buildInteractions' item order", () => {
  it("numbers items by the key given, then by id, and by id alone without one", () => {
    const purchases = ["id-c", "id-a", "id-b", "id-d"].map((itemId) => ({
      customerId: "u",
      itemId,
      date: "2025-01-01",
      quantity: 1,
    }));
    const options = { asOf: "2025-06-01", weighting: { kind: "binary" } as const };
    const sku: Record<string, string> = { "id-a": "Z1", "id-b": "A1", "id-c": "M1", "id-d": "A1" };
    expect(buildInteractions(purchases, options).items).toEqual(["id-a", "id-b", "id-c", "id-d"]);
    expect(buildInteractions(purchases, { ...options, itemKey: (id) => sku[id]! }).items).toEqual([
      "id-b",
      "id-d",
      "id-c",
      "id-a",
    ]);
  });

  it("gives the same matrix, by key, whatever ids the same history's items and customers get", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(4), fc.nat(6), fc.integer({ min: 1, max: 5 })), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 7, maxLength: 7 }),
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 5, maxLength: 5 }),
        (lines, ids, customerIds) => {
          const sku = (n: number) => `SKU${n}`;
          const code = (c: number) => `C${c}`;
          const built = (idOf: (n: number) => string, customerIdOf: (c: number) => string) => {
            const keyOf = new Map(Array.from({ length: 7 }, (_, n) => [idOf(n), sku(n)]));
            const codeOf = new Map(Array.from({ length: 5 }, (_, c) => [customerIdOf(c), code(c)]));
            const data = buildInteractions(
              lines.map(([c, n, quantity]) => ({
                customerId: customerIdOf(c),
                itemId: idOf(n),
                date: "2025-01-01",
                quantity,
              })),
              {
                asOf: "2025-06-01",
                weighting: { kind: "binary" },
                itemKey: (id) => keyOf.get(id)!,
                customerKey: (id) => codeOf.get(id)!,
              },
            );
            return {
              ...data,
              items: data.items.map((id) => keyOf.get(id)),
              itemIndex: null,
              customers: data.customers.map((id) => codeOf.get(id)),
              customerIndex: null,
            };
          };
          expect(
            built(
              (n) => ids[n]!,
              (c) => customerIds[c]!,
            ),
          ).toEqual(
            built(
              (n) => `id-${n}`,
              (c) => `customer-${c}`,
            ),
          );
        },
      ),
    );
  });
});

/** The matrix built the obvious way, one map entry per (customer, item): the oracle. */
function naiveInteractions(purchases: Purchase[], asOf: string, weighting: Weighting) {
  const asOfDay = parsedDay(asOf);
  const pairs = new Map<
    string,
    { quantity: number; decayed: number; last: number; times: number }
  >();
  for (const p of purchases) {
    const day = parsedDay(p.date);
    if (day > asOfDay || !(p.quantity > 0)) continue;
    const decay =
      weighting.kind === "decay" ? Math.pow(0.5, (asOfDay - day) / weighting.halfLifeDays) : 1;
    const key = JSON.stringify([p.customerId, p.itemId]);
    const pair = pairs.get(key) ?? { quantity: 0, decayed: 0, last: -Infinity, times: 0 };
    pair.quantity += p.quantity;
    pair.decayed += p.quantity * decay;
    pair.last = Math.max(pair.last, day);
    pair.times++;
    pairs.set(key, pair);
  }
  return [...pairs]
    .map(([key, pair]) => {
      const [customer, item] = JSON.parse(key) as [string, string];
      const w =
        weighting.kind === "binary"
          ? 1
          : weighting.kind === "log"
            ? Math.log1p(pair.quantity)
            : pair.decayed;
      return [customer, item, Math.fround(w), pair.last, pair.times] as const;
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

describe("buildInteractions", () => {
  it("holds, per customer and item, the purchases' sum, last day and count, in sorted order", () => {
    const purchase = fc.record({
      customerId: fc.constantFrom("u1", "u2", "U3", "é4", ""),
      itemId: fc.constantFrom("A", "B", "b", "C2", "Ω"),
      date: fc.constantFrom("2024-01-10", "2023-06-30", "2024-12-31", "2025-01-01", "2024-02-30"),
      quantity: fc.constantFrom(1, 2, 6, 0.5, 0, -1),
    });
    const weighting = fc.constantFrom<Weighting>(
      { kind: "binary" },
      { kind: "log" },
      { kind: "decay", halfLifeDays: 180 },
    );
    fc.assert(
      fc.property(
        // Short histories, and long ones (a customer with more than 64 purchases sorts differently).
        fc.oneof(
          fc.array(purchase, { maxLength: 40 }),
          fc.array(purchase, { minLength: 200, maxLength: 400 }),
        ),
        weighting,
        (purchases, w) => {
          const data = buildInteractions(purchases, { asOf: "2024-12-31", weighting: w });
          const got = data.customers.flatMap((customer, u) =>
            Array.from({ length: data.rowStart[u + 1]! - data.rowStart[u]! }, (_, n) => {
              const at = data.rowStart[u]! + n;
              return [
                customer,
                data.items[data.itemOf[at]!]!,
                data.weight[at]!,
                data.lastDay[at]!,
                data.count[at]!,
              ] as const;
            }),
          );
          expect(got).toEqual(naiveInteractions(purchases, "2024-12-31", w));
          expect(data.customers).toEqual([...data.customers].sort());
          expect(data.items).toEqual([...new Set(got.map((g) => g[1]))].sort());
        },
      ),
      { numRuns: 500 },
    );
  });

  it("reads any iterable as it reads an array, its columns growing past 1,024 purchases", () => {
    const purchase = fc.record({
      customerId: fc.constantFrom("u1", "u2", "U3"),
      itemId: fc.constantFrom("A", "B", "C2"),
      date: fc.constantFrom("2024-01-10", "2023-06-30", "2025-01-01"),
      quantity: fc.constantFrom(1, 2, 6, 0),
    });
    fc.assert(
      fc.property(fc.array(purchase, { minLength: 2000, maxLength: 3000 }), (purchases) => {
        const options = {
          asOf: "2024-12-31",
          weighting: { kind: "decay", halfLifeDays: 90 } as Weighting,
        };
        const fromArray = buildInteractions(purchases, options);
        const fromGenerator = buildInteractions(
          (function* () {
            yield* purchases;
          })(),
          options,
        );
        expect(fromGenerator).toEqual(fromArray);
        expect(fromArray.count.reduce((sum, n) => sum + n, 0)).toBe(
          purchases.filter((p) => p.date <= "2024-12-31" && p.quantity > 0).length,
        );
      }),
      { numRuns: 20 },
    );
  });

  it("indexes the catalogue's items nobody bought yet, and nothing twice", () => {
    const data = buildInteractions(
      [{ customerId: "u1", itemId: "B", date: "2024-01-10", quantity: 1 }],
      { asOf: "2024-12-31", weighting: { kind: "binary" }, catalogue: ["C", "B", "A", "C"] },
    );
    expect(data.items).toEqual(["A", "B", "C"]);
    expect([...data.itemOf]).toEqual([1]);
  });
});
