import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitIsotonic } from "./calibration.ts";

describe("fitIsotonic (pool-adjacent-violators)", () => {
  it.each([
    // Already increasing: each point is its own block.
    [
      [
        [1, 0],
        [2, 1],
      ],
      [
        [0, 0],
        [1, 0],
        [1.5, 1],
        [2, 1],
        [9, 1],
      ],
    ],
    // One violation pooled: (0.2, 1) then (0.4, 0) average to 0.5 up to 0.4.
    [
      [
        [0.2, 1],
        [0.4, 0],
        [0.8, 1],
      ],
      [
        [0.1, 0.5],
        [0.3, 0.5],
        [0.4, 0.5],
        [0.5, 1],
        [2, 1],
      ],
    ],
    // Decreasing everywhere: one block, the overall rate.
    [
      [
        [1, 1],
        [2, 1],
        [3, 0],
        [4, 0],
      ],
      [
        [0, 0.5],
        [2.5, 0.5],
        [5, 0.5],
      ],
    ],
    // Ties in x: pooled whatever their order.
    [
      [
        [1, 1],
        [1, 0],
        [2, 1],
      ],
      [
        [1, 0.5],
        [2, 1],
      ],
    ],
    // Ties whose 0s come first: each group is one point before any pooling (0.5, then 2/3).
    [
      [
        [1, 0],
        [1, 1],
        [2, 0],
        [2, 1],
        [2, 1],
      ],
      [
        [1, 0.5],
        [2, 2 / 3],
      ],
    ],
  ])("fits %j", (points, probes) => {
    const rate = fitIsotonic(points.map(([x, y]) => ({ x: x!, y: y! })));
    for (const [x, expected] of probes) expect(rate(x!), `at ${x}`).toBeCloseTo(expected!, 10);
  });

  it("pools a step resting on fewer points than asked with its neighbour", () => {
    // 40 scores from 0.01 to 0.40, a purchase for every fourth, then the highest score bought.
    const points = Array.from({ length: 40 }, (_, i) => ({
      x: (i + 1) / 100,
      y: i % 4 === 3 ? 1 : 0,
    }));
    points.push({ x: 0.9, y: 1 });
    expect(fitIsotonic(points)(0.95)).toBe(1); // one point: 100 %
    const pooled = fitIsotonic(points, 10);
    expect(pooled(0.95)).toBeLessThan(1);
    expect(pooled(0.95)).toBeGreaterThanOrEqual(pooled(0.2));
  });

  it("answers 0 when it has seen nothing, and leaves out scores that are not numbers", () => {
    expect(fitIsotonic([])(0.3)).toBe(0);
    const rate = fitIsotonic([
      { x: Number.NaN, y: 1 },
      { x: 0.1, y: 0 },
      { x: 0.2, y: 1 },
    ]);
    expect([rate(0.1), rate(0.2)]).toEqual([0, 1]);
  });

  it("equals a naive pool-adjacent-violators on tied scores", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ x: fc.integer({ min: 0, max: 6 }), y: fc.constantFrom(0, 1) }), {
          minLength: 1,
          maxLength: 40,
        }),
        (points) => {
          // Oracle: one block per distinct score, then merge any adjacent pair out of order.
          const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
          let blocks = xs.map((x) => {
            const ys: number[] = points.filter((p) => p.x === x).map((p) => p.y);
            return { xs: [x], sum: ys.reduce((a, b) => a + b, 0), n: ys.length };
          });
          for (let i = 0; i + 1 < blocks.length;) {
            const [a, b] = [blocks[i]!, blocks[i + 1]!];
            if (a.sum / a.n > b.sum / b.n) {
              blocks = [
                ...blocks.slice(0, i),
                { xs: [...a.xs, ...b.xs], sum: a.sum + b.sum, n: a.n + b.n },
                ...blocks.slice(i + 2),
              ];
              i = Math.max(0, i - 1);
            } else i++;
          }
          const rate = fitIsotonic(points);
          for (const block of blocks)
            for (const x of block.xs) expect(rate(x)).toBeCloseTo(block.sum / block.n, 10);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("is non-decreasing, stays within [0, 1], and preserves the overall rate", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ x: fc.double({ min: 0, max: 1, noNaN: true }), y: fc.constantFrom(0, 1) }),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        fc.integer({ min: 1, max: 10 }),
        (points, minPoints) => {
          const rate = fitIsotonic(points, minPoints);
          const xs = points.map((p) => p.x).sort((a, b) => a - b);
          for (let i = 1; i < xs.length; i++)
            expect(rate(xs[i]!)).toBeGreaterThanOrEqual(rate(xs[i - 1]!));
          for (const x of xs) expect(rate(x)).toBeGreaterThanOrEqual(0);
          for (const x of xs) expect(rate(x)).toBeLessThanOrEqual(1);
          // Fitted values at the data points average to the observed rate (PAV preserves means).
          const fitted = points.reduce((s, p) => s + rate(p.x), 0);
          const observed = points.reduce((s, p) => s + p.y, 0);
          expect(fitted).toBeCloseTo(observed, 6);
          // Every step rests on at least minPoints points (when there are that many at all).
          const perStep = new Map<number, number>();
          for (const p of points) perStep.set(rate(p.x), (perStep.get(rate(p.x)) ?? 0) + 1);
          if (points.length >= minPoints)
            for (const n of perStep.values()) expect(n).toBeGreaterThanOrEqual(minPoints);
        },
      ),
    );
  });
});
