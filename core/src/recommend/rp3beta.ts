import type { Interactions } from "./interactions.ts";
import { buyersByItem, NeighbourRows, neighbourModel } from "./neighbours.ts";
import type { Model } from "./recommender.ts";

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
  const { beta = 0.5, ...rest } = options;
  return fitRp3betas(data, [beta], rest)[0]!;
}

/**
 * RP3beta for each of several popularity penalties β at once: the walk does not depend on β, so
 * each wine's row of it is worked out once and penalised for every β (the backtest tries several).
 * One wine at a time from its buyers' baskets, so memory is the neighbours kept, not items².
 */
export function fitRp3betas(
  data: Interactions,
  betas: number[],
  options: Partial<Omit<Rp3betaOptions, "beta">> = {},
): Model[] {
  const { alpha = 1, neighbours = 100 } = options;
  const n = data.items.length;
  const itemTotal = new Float64Array(n);
  const buyerCount = new Float64Array(n);
  for (let a = 0; a < data.itemOf.length; a++) {
    itemTotal[data.itemOf[a]!]! += data.weight[a]!;
    buyerCount[data.itemOf[a]!]!++;
  }
  // Each purchase's two steps, worked out once: from its customer to its wine (in the customers'
  // order), and from its wine to its customer (in the buyers' order, as the rows read them). A
  // customer whose weights sum to nothing takes no part in the walk.
  // x¹ is x exactly: the usual α = 1 skips four million powers on a large history.
  const power = alpha === 1 ? (x: number) => x : (x: number) => Math.pow(x, alpha);
  const toWine = new Float64Array(data.itemOf.length);
  const walks = new Uint8Array(data.customers.length);
  for (let u = 0; u < data.customers.length; u++) {
    const start = data.rowStart[u]!;
    const end = data.rowStart[u + 1]!;
    let rowTotal = 0;
    for (let a = start; a < end; a++) rowTotal += data.weight[a]!;
    if (rowTotal <= 0) continue;
    walks[u] = 1;
    for (let a = start; a < end; a++) toWine[a] = power(data.weight[a]! / rowTotal);
  }
  const penalties = betas.map((beta) =>
    Float64Array.from(buyerCount, (count) => (count > 0 ? Math.pow(count, beta) : 1)),
  );
  const buyers = buyersByItem(data);
  const toCustomer = new Float64Array(data.itemOf.length);
  for (let i = 0; i < n; i++) {
    for (let e = buyers.start[i]!; e < buyers.start[i + 1]!; e++)
      toCustomer[e] = power(data.weight[buyers.entry[e]!]! / itemTotal[i]!);
  }
  // One row's scratch, catalogue-sized, cleared where it was touched.
  const walk = new Float64Array(n);
  const penalised = new Float64Array(n);
  const seen = new Uint8Array(n);
  const touched = new Uint32Array(n);
  const rows = betas.map(() => new NeighbourRows(neighbours));
  for (let i = 0; i < n; i++) {
    let count = 0;
    for (let e = buyers.start[i]!; e < buyers.start[i + 1]!; e++) {
      const u = buyers.customer[e]!;
      if (!walks[u]) continue;
      const step = toCustomer[e]!;
      for (let b = data.rowStart[u]!; b < data.rowStart[u + 1]!; b++) {
        const j = data.itemOf[b]!;
        if (j === i) continue;
        if (!seen[j]) {
          seen[j] = 1;
          touched[count++] = j;
        }
        walk[j]! += step * toWine[b]!;
      }
    }
    // A loop, not `rows.forEach`: a closure reading `count` would make the hot loop above keep
    // it in memory instead of a register (three times slower).
    for (let at = 0; at < betas.length; at++) {
      const penalty = penalties[at]!;
      for (let t = 0; t < count; t++)
        penalised[touched[t]!] = walk[touched[t]!]! / penalty[touched[t]!]!;
      rows[at]!.add(touched, count, penalised);
    }
    for (let t = 0; t < count; t++) {
      walk[touched[t]!] = 0;
      seen[touched[t]!] = 0;
    }
  }
  return rows.map((row) => neighbourModel("rp3beta", data, row.finish()));
}
