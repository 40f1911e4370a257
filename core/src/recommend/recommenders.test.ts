import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitEase, invertSymmetricPositive } from "./ease.ts";
import { buildInteractions, type Interactions, type Purchase, rowOf } from "./interactions.ts";
import { fitItemKnn } from "./item-knn.ts";
import { fitPopularity } from "./popularity.ts";
import type { Model, Scored } from "./recommender.ts";
import { fitRp3beta, fitRp3betas } from "./rp3beta.ts";

const buy = (customerId: string, itemId: string, date = "2024-01-10", quantity = 1): Purchase => ({
  customerId,
  itemId,
  date,
  quantity,
});
// u1: A B · u2: A B C · u3: B C · u4: A   (items A=0, B=1, C=2; customers u1..u4 = 0..3)
const small = [
  buy("u1", "A"),
  buy("u1", "B"),
  buy("u2", "A"),
  buy("u2", "B"),
  buy("u2", "C"),
  buy("u3", "B"),
  buy("u3", "C"),
  buy("u4", "A"),
];
const data = buildInteractions(small, { asOf: "2024-12-31", weighting: { kind: "binary" } });
const ranking = (list: Array<{ item: number; score: number }>) =>
  list.map((s) => [data.items[s.item], Math.round(s.score * 1000) / 1000]);

describe("buildInteractions", () => {
  it("indexes customers and items in sorted order, whatever the purchase order", () => {
    const shuffled = buildInteractions([...small].reverse(), {
      asOf: "2024-12-31",
      weighting: { kind: "binary" },
    });
    expect(shuffled.customers).toEqual(["u1", "u2", "u3", "u4"]);
    expect(shuffled.items).toEqual(["A", "B", "C"]);
    expect([...shuffled.itemOf]).toEqual([...data.itemOf]);
  });

  it.each([
    [{ kind: "binary" as const }, 1],
    [{ kind: "log" as const }, Math.log1p(7)],
    [{ kind: "decay" as const, halfLifeDays: 365 }, 6 * 0.5 + 1],
  ])("weighs repeated purchases (%j)", (weighting, expected) => {
    const d = buildInteractions([buy("u", "A", "2022-12-31", 6), buy("u", "A", "2023-12-31", 1)], {
      asOf: "2023-12-31",
      weighting,
    });
    expect(d.weight[0]).toBeCloseTo(expected, 5);
    expect(d.count[0]).toBe(2);
  });

  it("uses nothing after the as-of date", () => {
    const d = buildInteractions([buy("u", "A", "2024-01-01"), buy("u", "B", "2025-01-01")], {
      asOf: "2024-06-30",
      weighting: { kind: "binary" },
    });
    expect(d.items).toEqual(["A"]);
  });
});

describe("popularity", () => {
  it("ranks by buyers, ties to the first item, excluding what the customer has", () => {
    const model = fitPopularity(data);
    expect(ranking(model.recommend(3, 3))).toEqual([
      ["A", 3],
      ["B", 3],
      ["C", 2],
    ]);
    expect(ranking(model.recommend(3, 3, new Set([0])))).toEqual([
      ["B", 3],
      ["C", 2],
    ]);
  });

  it("counts a segment only", () => {
    expect(ranking(fitPopularity(data, { customers: new Set([2]) }).recommend(0, 3))).toEqual([
      ["B", 1],
      ["C", 1],
    ]);
  });
});

describe("item kNN", () => {
  it("scores by cosine similarity to the customer's items (hand-checked)", () => {
    const model = fitItemKnn(data, { shrink: 0 });
    // sim(A,B) = 2/√(3·3), sim(A,C) = 1/√(3·2), sim(B,C) = 2/√(3·2)
    expect(ranking(model.recommend(3, 3, new Set([0])))).toEqual([
      ["B", 0.667],
      ["C", 0.408],
    ]);
    expect(ranking(model.recommend(0, 3, new Set([0, 1])))).toEqual([["C", 1.225]]);
    expect(
      model.recommend(0, 3, new Set([0, 1]))[0]!.because.map((b) => data.items[b.item]),
    ).toEqual(["B", "A"]);
  });

  it("shrinks similarities resting on few common buyers", () => {
    const shrunk = fitItemKnn(data, { shrink: 10 }).recommend(3, 3, new Set([0]));
    expect(shrunk[0]!.score).toBeCloseTo((2 / 3) * (2 / 12), 5);
  });

  it("has a BM25 variant that ranks the same obvious neighbour first", () => {
    expect(
      fitItemKnn(data, { similarity: "bm25", shrink: 0 }).recommend(3, 1, new Set([0]))[0]!.item,
    ).toBe(1);
  });
});

/**
 * Any small history: customers c0..c5 buying among wines w0..w7, some several times (so the
 * weights differ), on a few dates.
 */
const anyHistory = fc.array(
  fc.record({
    customer: fc.integer({ min: 0, max: 5 }),
    item: fc.integer({ min: 0, max: 7 }),
    day: fc.integer({ min: 1, max: 28 }),
    quantity: fc.integer({ min: 1, max: 6 }),
  }),
  { minLength: 1, maxLength: 30 },
);
const interactionsOf = (
  history: Array<{ customer: number; item: number; day: number; quantity: number }>,
  catalogue: string[] = [],
) =>
  buildInteractions(
    history.map((p) =>
      buy(`c${p.customer}`, `w${p.item}`, `2024-02-${String(p.day).padStart(2, "0")}`, p.quantity),
    ),
    { asOf: "2024-12-31", weighting: { kind: "log" }, catalogue },
  );
/** Wines nobody bought, numbered after w0..w7: enough for a model to score only what it reaches. */
const largeCatalogue = Array.from({ length: 5000 }, (_, i) => `x${i}`);

/**
 * What a neighbour model must score, worked out the plain way: the whole items × items
 * similarity `sim(i, j)`, each row cut to its `keep` strongest positive values (ties to the lower
 * index), then Σ over the customer's wines of weight × kept similarity.
 */
function denseScores(
  d: Interactions,
  sim: (i: number, j: number) => number,
  keep: number,
): number[][] {
  const n = d.items.length;
  const kept = Array.from({ length: n }, (_, i) => {
    const row = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i && sim(i, j) > 0);
    row.sort((a, b) => sim(i, b) - sim(i, a) || a - b);
    return new Map(row.slice(0, keep).map((j) => [j, sim(i, j)]));
  });
  return d.customers.map((_, u) => {
    const { items, weights } = rowOf(d, u);
    return Array.from({ length: n }, (_, j) =>
      items.reduce((sum, i, at) => sum + weights[at]! * (kept[i]!.get(j) ?? 0), 0),
    );
  });
}

/**
 * The model's ranking of every wine for every customer matches the scores worked out densely;
 * and the same model fitted with thousands of unbought wines in the catalogue (`large`) ranks the
 * same wines the same.
 */
function expectScores(
  d: Interactions,
  model: Model,
  expected: number[][],
  large: { data: Interactions; model: Model },
) {
  d.customers.forEach((_, u) => {
    const got = model.recommend(u, d.items.length);
    const positive = expected[u]!.flatMap((score, item) => (score > 1e-9 ? [item] : []));
    expect(got.map((s) => s.item).sort()).toEqual(positive);
    for (const s of got) expect(s.score).toBeCloseTo(expected[u]![s.item]!, 5);
    const named = (list: Scored[], items: string[]) =>
      list.map((s) => [items[s.item], s.score, s.because.map((b) => items[b.item])]);
    expect(named(large.model.recommend(u, d.items.length), large.data.items)).toEqual(
      named(got, d.items),
    );
  });
}

describe("neighbour models against their dense formula", () => {
  const weightOf = (d: Interactions, u: number, i: number) => {
    const { items, weights } = rowOf(d, u);
    const at = items.indexOf(i);
    return at < 0 ? 0 : weights[at]!;
  };

  it("item kNN: cosine × shrinkage, strongest neighbours kept", () => {
    fc.assert(
      fc.property(
        anyHistory,
        fc.constantFrom(1, 2, 100),
        fc.constantFrom(0, 10),
        (history, keep, shrink) => {
          const d = interactionsOf(history);
          const users = d.customers.map((_, u) => u);
          const w = (u: number, i: number) => weightOf(d, u, i);
          const sim = (i: number, j: number) => {
            const co = users.reduce((sum, u) => sum + w(u, i) * w(u, j), 0);
            const common = users.filter((u) => w(u, i) > 0 && w(u, j) > 0).length;
            const norm = (k: number) => users.reduce((sum, u) => sum + w(u, k) ** 2, 0);
            return Math.fround((co / Math.sqrt(norm(i) * norm(j))) * (common / (common + shrink)));
          };
          const fit = (data: Interactions) => fitItemKnn(data, { neighbours: keep, shrink });
          const large = interactionsOf(history, largeCatalogue);
          expectScores(d, fit(d), denseScores(d, sim, keep), { data: large, model: fit(large) });
        },
      ),
    );
  });

  it("RP3beta: the three-step walk ÷ popularity^β, strongest neighbours kept", () => {
    fc.assert(
      fc.property(
        anyHistory,
        fc.constantFrom(1, 2, 100),
        fc.constantFrom(0.5, 1),
        fc.constantFrom(0, 0.5, 0.9),
        (history, keep, alpha, beta) => {
          const d = interactionsOf(history);
          const users = d.customers.map((_, u) => u);
          const w = (u: number, i: number) => weightOf(d, u, i);
          const itemTotal = (i: number) => users.reduce((sum, u) => sum + w(u, i), 0);
          const rowTotal = (u: number) => d.items.reduce((sum, _, j) => sum + w(u, j), 0);
          const buyers = (j: number) => users.filter((u) => w(u, j) > 0).length;
          const sim = (i: number, j: number) =>
            users.reduce(
              (sum, u) =>
                sum + (w(u, i) / itemTotal(i)) ** alpha * (w(u, j) / rowTotal(u)) ** alpha,
              0,
            ) / Math.pow(buyers(j), beta);
          const fit = (data: Interactions) => fitRp3beta(data, { neighbours: keep, alpha, beta });
          const large = interactionsOf(history, largeCatalogue);
          expectScores(d, fit(d), denseScores(d, sim, keep), { data: large, model: fit(large) });
        },
      ),
    );
  });

  it("fits a catalogue of 200,000 wines, where items² would not fit in memory", () => {
    const catalogue = Array.from({ length: 200_000 }, (_, i) => `w${i}`);
    const d = buildInteractions(small, {
      asOf: "2024-12-31",
      weighting: { kind: "binary" },
      catalogue,
    });
    expect(d.items.length).toBe(200_000 + 3);
    // u3 bought B and C; A is the one wine its neighbours lead to.
    const u3 = d.customerIndex.get("u3")!;
    const owned = new Set(rowOf(d, u3).items);
    for (const model of [fitItemKnn(d, { shrink: 0 }), fitRp3beta(d, { beta: 0 })])
      expect(model.recommend(u3, 5, owned).map((s) => d.items[s.item])).toEqual(["A"]);
    // Not a speed test: 2 s alone, more on a busy machine, where the default 5 s is too short.
  }, 30_000);
});

describe("EASE", () => {
  it("inverts a symmetric positive-definite matrix", () => {
    // Sizes 1 to 11: below, at and past the four-wide dot products, with their remainders.
    const square = fc.integer({ min: 1, max: 11 }).chain((n) =>
      fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n }), {
        minLength: n,
        maxLength: n,
      }),
    );
    fc.assert(
      fc.property(square, (rows) => {
        const n = rows.length;
        const g = new Float64Array(n * n);
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++)
            for (let k = 0; k < n; k++) g[i * n + j]! += rows[k]![i]! * rows[k]![j]!;
        for (let i = 0; i < n; i++) g[i * n + i]! += 1;
        const inv = invertSymmetricPositive(g, n);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let k = 0; k < n; k++) s += g[i * n + k]! * inv[k * n + j]!;
            expect(s).toBeCloseTo(i === j ? 1 : 0, 8);
          }
        }
      }),
    );
  });

  it("matches a direct solve of each column's ridge regression with a zero diagonal", () => {
    const baskets = [
      ["A", "B"],
      ["A", "B", "C"],
      ["B", "C", "D"],
      ["A", "D"],
      ["C", "D"],
      ["A", "B", "D"],
    ];
    const d = buildInteractions(
      baskets.flatMap((items, u) => items.map((i) => buy(`u${u}`, i))),
      { asOf: "2024-12-31", weighting: { kind: "binary" } },
    );
    const lambda = 1.5;
    const n = d.items.length;
    const x = d.customers.map((_, u) => {
      const row = new Array(n).fill(0);
      for (const i of rowOf(d, u).items) row[i] = 1;
      return row;
    });
    // For each item j: minimise ‖x_j − X b‖² + λ‖b‖² with b_j = 0, by Gaussian elimination.
    const b = Array.from({ length: n }, () => new Array(n).fill(0));
    for (let j = 0; j < n; j++) {
      const others = [...Array(n).keys()].filter((i) => i !== j);
      const a = others.map((p) =>
        others.map((q) => x.reduce((s, row) => s + row[p] * row[q], 0) + (p === q ? lambda : 0)),
      );
      const rhs = others.map((p) => x.reduce((s, row) => s + row[p] * row[j], 0));
      const solution = solve(a, rhs);
      others.forEach((i, idx) => (b[i]![j] = solution[idx]));
    }
    const model = fitEase(d, { lambda });
    for (let u = 0; u < d.customers.length; u++) {
      const expected = [...Array(n).keys()].map((j) =>
        x[u]!.reduce((s: number, v: number, i: number) => s + v * b[i]![j]!, 0),
      );
      // B is kept in single precision (7 significant digits).
      for (const s of model.recommend(u, n)) expect(s.score).toBeCloseTo(expected[s.item]!, 6);
      const returned = new Set(model.recommend(u, n).map((s) => s.item));
      expected.forEach((score, j) => {
        if (!returned.has(j)) expect(score).toBeLessThanOrEqual(1e-9);
      });
    }
  });
});

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    const pivot = m
      .slice(c)
      .reduce((best, row, i) => (Math.abs(row[c]!) > Math.abs(m[best]![c]!) ? c + i : best), c);
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

describe("RP3beta", () => {
  // Walk probabilities by hand (binary, α = 1): A→B = ⅓·½ (via u1) + ⅓·⅓ (via u2) = 5/18,
  // A→C = ⅓·⅓ = 1/9, B→A = 5/18, C→A = ½·⅓ = 1/6.
  it("scores a three-step walk from the customer's items", () => {
    const model = fitRp3beta(data, { alpha: 1, beta: 0 });
    expect(ranking(model.recommend(3, 3))).toEqual([
      ["B", 0.278],
      ["C", 0.111],
    ]);
    // u3 bought B and C: A = B→A + C→A = 5/18 + 1/6.
    expect(ranking(model.recommend(2, 1))).toEqual([["A", 0.444]]);
  });

  it("divides arrivals by popularity^β", () => {
    const model = fitRp3beta(data, { alpha: 1, beta: 1 });
    expect(ranking(model.recommend(3, 3))).toEqual([
      ["B", 0.093],
      ["C", 0.056],
    ]);
  });

  it("keeps only the strongest neighbours", () => {
    const model = fitRp3beta(data, { alpha: 1, beta: 0, neighbours: 1 });
    expect(ranking(model.recommend(3, 3))).toEqual([["B", 0.278]]);
  });

  it("fits several β on one walk as fits of their own would", () => {
    const betas = [1, 0, 0.5, 1];
    const models = fitRp3betas(data, betas, { alpha: 1 });
    betas.forEach((beta, at) =>
      expect(ranking(models[at]!.recommend(3, 3))).toEqual(
        ranking(fitRp3beta(data, { alpha: 1, beta }).recommend(3, 3)),
      ),
    );
    expect(ranking(models[0]!.recommend(3, 3))).toEqual([
      ["B", 0.093],
      ["C", 0.056],
    ]);
  });
});
