import {
  bestOf,
  keepBest,
  type Model,
  type Ranking,
  rankOfList,
  type Scored,
} from "./recommender.ts";

/** Reciprocal-rank constant: how fast a model's lower ranks fade (60 is the usual choice). */
export const RRF_K = 60;

/**
 * What a model gives the item it ranks at `rank` (0 first) with `score`, its list's first item
 * scoring `top`, before its weight: half by rank, half by score, each 1 for the first item.
 * - The rank half, (60 + 1) / (60 + rank + 1), is reciprocal-rank fusion's: blind to each model's
 *   scale, and to how sure the model is: a wine reordered six times and one bought once, first and
 *   second in the repurchase model's list, count almost alike.
 * - The score half, score / top, hears that difference, and is blind to scale too (a ratio within
 *   one model's list for one customer), so models with different scales still combine fairly.
 * Measured on 2026-12-03 (docs/benchmarks.md): ranks alone, scores alone, and shares of a quarter,
 * half and three quarters; half and half lifted the demo estate's held-out NDCG@10 from 32.1 to
 * 33.9 % (all products) and 31.4 to 31.7 % (new ones), Superstore and Groceries within noise.
 */
export function contribution(rank: number, score: number, top: number): number {
  return 0.5 * ((RRF_K + 1) / (RRF_K + rank + 1)) + 0.5 * (top > 0 ? score / top : 0);
}

export interface HybridPart {
  model: Model;
  weight: number;
}

/**
 * How deep each model's list is read when fused (at least k): deep enough that an item ranked
 * well by several models surfaces, shallow enough for the weight search to stay cheap.
 */
export const HYBRID_DEPTH = 40;

/**
 * Weighted rank fusion: each model ranks the catalogue, and an item's score is the sum over the
 * models of weight × `contribution` (its rank and its score relative to the model's first item).
 * Raw scores are never added, so models with different scales combine fairly. Each item keeps the
 * reasons of the personal model that gave it the most (its `source`), or of a fallback model when
 * no personal one proposed it: a best seller that the customer's history also points to is
 * explained by that history, not as a fallback (with popularity weighted 2 to 4, as backtests
 * often choose, it named the reasons of nearly every item of the demo estate's run). The weights
 * come from the offline evaluation (`chooseHybridWeights`), not from hand tuning.
 */
export function fitHybrid(
  parts: HybridPart[],
  depth = HYBRID_DEPTH,
): Model & {
  recommendWithSources(
    u: number,
    k: number,
    exclude?: ReadonlySet<number>,
  ): Array<Scored & { source: string }>;
} {
  // Candidates in parallel arrays (slot = order first seen), reused from customer to customer and
  // found by item through a table that is left all -1 after each customer: no map, and no object
  // per candidate.
  let slotOfItem = new Int32Array(0);
  let capacity = 0;
  let items = new Uint32Array(0);
  let scores = new Float64Array(0);
  let deepScores = new Float64Array(0);
  let best = new Float64Array(0);
  let personal = new Uint8Array(0);
  const fromRanking: Ranking[] = [];
  const rankers = parts.map(({ model }) => model.rank ?? rankOfList(model));
  const fromSource: string[] = [];
  const recommendWithSources = (u: number, k: number, exclude?: ReadonlySet<number>) => {
    // Each item keeps the model that ranked it best, whose reasons are read only if it is kept.
    // The score is what the weights were tuned on: ranks within `depth`. When more candidates
    // are asked for (rules will drop some), the lists are read deeper, and those deeper ranks
    // only order the items no model ranked within `depth`, after all the others.
    const needed = parts.length * Math.max(depth, k);
    if (needed > capacity) {
      capacity = needed;
      items = new Uint32Array(capacity);
      scores = new Float64Array(capacity);
      deepScores = new Float64Array(capacity);
      best = new Float64Array(capacity);
      personal = new Uint8Array(capacity);
    }
    let count = 0;
    for (let m = 0; m < parts.length; m++) {
      const { model, weight } = parts[m]!;
      if (weight <= 0) continue;
      const fallback = model.fallback === true;
      const deep = Math.max(depth, k);
      const list = rankers[m]!(u, deep, exclude); // read before this model's next call
      const top = list.count > 0 ? list.scores[0]! : 0;
      for (let rank = 0; rank < list.count; rank++) {
        const item = list.items[rank]!;
        const share = weight * contribution(rank, list.scores[rank]!, top);
        const tuned = rank < depth ? share : 0;
        if (item >= slotOfItem.length) {
          const grown = new Int32Array(Math.max(1024, 2 * (item + 1))).fill(-1);
          grown.set(slotOfItem);
          slotOfItem = grown;
        }
        const slot = slotOfItem[item]!;
        if (slot < 0) {
          slotOfItem[item] = count;
          items[count] = item;
          scores[count] = tuned;
          deepScores[count] = share;
          best[count] = share;
          personal[count] = fallback ? 0 : 1;
          fromRanking[count] = list;
          fromSource[count] = model.name;
          count++;
        } else {
          scores[slot]! += tuned;
          deepScores[slot]! += share;
          const outranks = fallback
            ? !personal[slot] && share > best[slot]!
            : !personal[slot] || share > best[slot]!;
          if (outranks) {
            best[slot] = share;
            personal[slot] = fallback ? 0 : 1;
            fromRanking[slot] = list;
            fromSource[slot] = model.name;
          }
        }
      }
    }
    for (let slot = 0; slot < count; slot++) slotOfItem[items[slot]!] = -1;
    // The k best slots by insertion (k is small): higher score first, then the deeper score,
    // then the lower item.
    const top: number[] = [];
    const before = (a: number, b: number) =>
      scores[a]! > scores[b]! ||
      (scores[a] === scores[b] &&
        (deepScores[a]! > deepScores[b]! ||
          (deepScores[a] === deepScores[b] && items[a]! < items[b]!)));
    for (let slot = 0; slot < count; slot++) keepBest(top, slot, k, before);
    const kept = top.map((slot) => ({
      item: items[slot]!,
      score: scores[slot]!, // 0 past the tuned depth: no evidence the weights were tuned on
      because: fromRanking[slot]!.reasons(items[slot]!),
      source: fromSource[slot]!,
    }));
    // Let the models' lists go: the slots are overwritten by the next customer's.
    fromRanking.length = 0;
    fromSource.length = 0;
    return kept;
  };
  return { name: "hybrid", recommend: recommendWithSources, recommendWithSources };
}

/**
 * Several models' rankings of one customer, fused once so that any weighting can be scored cheaply
 * (the weight search tries about a hundred): the union of their top `depth` items and, per model,
 * each item's `contribution`, or 0 when the model did not rank it.
 */
export interface FusionTable {
  items: Uint32Array;
  /** contributions[m * items.length + c]: model m's contribution to candidate c. */
  contributions: Float64Array;
}

export function fusionTable(
  models: Model[],
  u: number,
  depth: number,
  exclude?: ReadonlySet<number>,
): FusionTable {
  const lists = models.map((m) => m.recommend(u, depth, exclude));
  const items = Uint32Array.from(new Set(lists.flatMap((l) => l.map((s) => s.item)))).sort();
  const at = new Map(Array.from(items, (item, c) => [item, c]));
  const contributions = new Float64Array(models.length * items.length);
  lists.forEach((list, m) => {
    const top = list[0]?.score ?? 0;
    list.forEach((s, rank) => {
      contributions[m * items.length + at.get(s.item)!] = contribution(rank, s.score, top);
    });
  });
  return { items, contributions };
}

/** The fused top k of a table under some weights: what `fitHybrid` would rank, ties by item. */
export function fusedTop(table: FusionTable, weights: readonly number[], k: number): number[] {
  return fusedSlots(table, weights, k).map((c) => table.items[c]!);
}

/**
 * `fusedTop` as candidate slots (indexes into `table.items`), with a reusable scores buffer at
 * least as long as the table.
 */
export function fusedSlots(
  table: FusionTable,
  weights: readonly number[],
  k: number,
  scratch: Float64Array = new Float64Array(table.items.length),
): number[] {
  return slotsOf(fusedScores(table, weights, scratch), k);
}

/**
 * Each candidate's fused score under some weights, in `scratch` (a view as long as the table): the
 * weight search calls it hundreds of thousands of times.
 */
export function fusedScores(
  table: FusionTable,
  weights: readonly number[],
  scratch: Float64Array,
): Float64Array {
  const n = table.items.length;
  const scores = scratch.fill(0, 0, n);
  weights.forEach((w, m) => {
    if (w === 0) return;
    for (let c = 0; c < n; c++) scores[c]! += w * table.contributions[m * n + c]!;
  });
  return n === scores.length ? scores : scores.subarray(0, n);
}

/**
 * The k best slots of fused scores, skipping `skip`: higher score first, then the lower item
 * (candidates come in item order), as fitHybrid ranks.
 */
export function slotsOf(scores: Float64Array, k: number, skip?: ReadonlySet<number>): number[] {
  const best = bestOf(scores, k, skip);
  return Array.from(best.items.subarray(0, best.count));
}

/**
 * The blend weights that score best on held-out history, by coordinate ascent: from equal weights
 * (or `start`), each model's weight in turn is set to the level (e.g. 0, 1, 2) that scores best
 * with the others fixed, pass after pass until nothing improves (at most 3 passes). About 30
 * evaluations instead of a grid's levels^models.
 *
 * `score` gives each judged case's share of the objective (typically a customer's NDCG@k over the
 * number judged, from a temporal backtest made fast by `fusionTable`): the objective is their sum.
 * A change is kept only if it wins clearly: its gain, compared customer by customer with the
 * weights it would replace, must be `minZ` times its standard error. On a thin backtest (a few
 * dozen customers with a purchase in the held-out days) most differences are a handful of
 * customers: the blend then stays nearer equal weights instead of following them. Ties and
 * unclear gains keep the current weights, so the result is deterministic.
 *
 * 1.5 standard errors: measured on Superstore, Groceries and the demo estate with a 180-day
 * backtest (see docs/benchmarks.md), 1 and 1.5 chose the same blends, 2 and 3 stopped earlier on
 * the demo estate's backtest, and 0 (any gain) is the noisy search this replaced.
 */
export function chooseHybridWeights(
  models: number,
  levels: number[],
  score: (weights: number[]) => Float64Array,
  {
    minZ = 1.5,
    start = Array.from({ length: models }, () => 1),
  }: {
    /** How many standard errors a change must win by. */
    minZ?: number;
    /** Where the search starts (default: every model at 1); it stays there unless clearly beaten. */
    start?: number[];
  } = {},
): { weights: number[]; score: number } {
  const evaluate = (weights: number[]) => (weights.every((w) => w === 0) ? null : score(weights));
  const total = (cases: Float64Array) => cases.reduce((sum, x) => sum + x, 0);
  let best = { weights: start, cases: evaluate(start)! };
  for (let pass = 0; pass < 3; pass++) {
    let improved = false;
    for (let m = 0; m < models; m++) {
      for (const level of levels) {
        if (level === best.weights[m]) continue;
        const weights = best.weights.map((w, i) => (i === m ? level : w));
        const cases = evaluate(weights);
        if (cases && clearlyBetter(cases, best.cases, minZ)) {
          best = { weights, cases };
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return { weights: best.weights, score: total(best.cases) };
}

/**
 * Whether `challenger` beats `incumbent` by at least `minZ` standard errors of the summed paired
 * differences (each case's difference taken as independent noise around the true gain).
 */
export function clearlyBetter(
  challenger: Float64Array,
  incumbent: Float64Array,
  minZ: number,
): boolean {
  let gain = 0;
  let squares = 0;
  for (let c = 0; c < challenger.length; c++) {
    const d = challenger[c]! - incumbent[c]!;
    gain += d;
    squares += d * d;
  }
  return gain > 0 && gain >= minZ * Math.sqrt(squares);
}
