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

  it("answers 0 when it has seen nothing", () => {
    expect(fitIsotonic([])(0.3)).toBe(0);
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
