import type { Interactions } from "./interactions.ts";
import { rankFromNeighbours, strongestNeighbours } from "./neighbours.ts";
import { type Model, RankingBuffer, rankingModel } from "./recommender.ts";

export interface Rp3betaOptions {
  /** Exponent on the transition probabilities (1 = a plain random walk). */
  alpha: number;
  /** Popularity penalty: item j's arrival probability is divided by (buyers of j)^β. */
  beta: number;
  /** Neighbours kept per item. */
  neighbours: number;
}

/**
 * RP3beta (Christoffel et al. 2015; Paudel et al. 2016): a three-step random walk
 * customer → wine → customer → wine. From wine i, the walk goes to one of its buyers u (chance
 * ∝ weight of u for i), then to one of u's wines j (chance ∝ weight of u for j); both
 * probabilities are raised to α, and the arrival on j is divided by popularity(j)^β so that
 * bestsellers do not fill every list. A customer's score for j sums the walks from what they
 * bought. A strong, well-tuned reference in the literature (Dacrema et al. 2019).
 */
export function fitRp3beta(data: Interactions, options: Partial<Rp3betaOptions> = {}): Model {
  const { alpha = 1, ...rest } = options;
  // The walk is this fit's alone: penalised where it lies, without a second items² array.
  return penaliseRp3betaWalk(data, rp3betaWalk(data, alpha), rest, { inPlace: true });
}

/**
 * RP3beta from a walk already worked out (several β are tried on one walk, which is left as it
 * was unless `inPlace`: then it is penalised where it lies and must not be used again).
 */
export function penaliseRp3betaWalk(
  data: Interactions,
  walk: Rp3betaWalk,
  options: Partial<Omit<Rp3betaOptions, "alpha">> = {},
  { inPlace = false } = {},
): Model {
  const { beta = 0.5, neighbours = 100 } = options;
  const n = data.items.length;
  const penalised = inPlace ? walk.steps : Float64Array.from(walk.steps);
  for (let j = 0; j < n; j++) {
    const penalty = walk.buyers[j]! > 0 ? Math.pow(walk.buyers[j]!, beta) : 1;
    for (let i = 0; i < n; i++) penalised[i * n + j]! /= penalty;
  }
  const nb = strongestNeighbours(penalised, n, neighbours);
  const scratch = new Float64Array(n);
  const buffer = new RankingBuffer();
  return rankingModel("rp3beta", (u, k, exclude) =>
    rankFromNeighbours(data, nb, u, k, exclude, scratch, buffer),
  );
}

/** The walk's arrival probabilities before the popularity penalty: the same for every β. */
export interface Rp3betaWalk {
  /** n × n, row i: from wine i to each wine j. */
  steps: Float64Array;
  /** Buyers of each wine, for the penalty. */
  buyers: Float64Array;
}

/** The part of RP3beta that does not depend on β, worked out once when several β are tried. */
export function rp3betaWalk(data: Interactions, alpha = 1): Rp3betaWalk {
  const n = data.items.length;
  const itemTotal = new Float64Array(n);
  const buyers = new Float64Array(n);
  for (let a = 0; a < data.itemOf.length; a++) {
    itemTotal[data.itemOf[a]!]! += data.weight[a]!;
    buyers[data.itemOf[a]!]!++;
  }
  const steps = new Float64Array(n * n);
  // u's step to each of its wines, worked out once per wine rather than once per pair.
  const toWine = new Float64Array(n);
  for (let u = 0; u < data.customers.length; u++) {
    const start = data.rowStart[u]!;
    const end = data.rowStart[u + 1]!;
    let rowTotal = 0;
    for (let a = start; a < end; a++) rowTotal += data.weight[a]!;
    if (rowTotal <= 0) continue;
    for (let b = start; b < end; b++)
      toWine[b - start] = Math.pow(data.weight[b]! / rowTotal, alpha);
    for (let a = start; a < end; a++) {
      const i = data.itemOf[a]!;
      const toCustomer = Math.pow(data.weight[a]! / itemTotal[i]!, alpha);
      for (let b = start; b < end; b++) {
        if (b === a) continue;
        steps[i * n + data.itemOf[b]!]! += toCustomer * toWine[b - start]!;
      }
    }
  }
  return { steps, buyers };
}
