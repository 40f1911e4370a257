/**
 * Isotonic regression (pool-adjacent-violators): the non-decreasing step function of x that best
 * fits the observed 0/1 outcomes y. Turns a model's scores into probabilities measured on a
 * backtest ("of the customers given a score around 0.03, 12 % bought"), without assuming a
 * shape. Below the lowest score seen it answers the first block's rate, above the highest the
 * last one's.
 */
export function fitIsotonic(
  points: ReadonlyArray<{ x: number; y: number }>,
  /**
   * Points each step pools at least: a step measured on a handful of points is noise (one
   * purchase among the three highest scores of a backtest reads as 100 %).
   */
  minPoints = 1,
): (x: number) => number {
  // A score that is not a number has no place on the curve.
  const sorted = points.filter((p) => Number.isFinite(p.x)).sort((a, b) => a.x - b.x);
  // Equal scores must get one probability: each run of ties is one weighted point first, so a
  // tie group's first 0 cannot be pooled into the block below before its 1s are seen.
  const groups: Block[] = [];
  for (const p of sorted) {
    const point = { upTo: p.x, mean: p.y, weight: 1 };
    const last = groups[groups.length - 1];
    if (last && last.upTo === p.x) pool(last, point);
    else groups.push(point);
  }
  const blocks: Block[] = [];
  for (const group of groups) {
    blocks.push(group);
    while (blocks.length > 1 && blocks[blocks.length - 2]!.mean >= blocks[blocks.length - 1]!.mean)
      pool(blocks[blocks.length - 2]!, blocks.pop()!);
  }
  // Merging neighbours keeps the steps non-decreasing: the pooled rate lies between theirs.
  for (let b = blocks.length - 1; b > 0; b--)
    if (blocks[b]!.weight < minPoints) pool(blocks[b - 1]!, blocks.splice(b, 1)[0]!);
  if (blocks.length > 1 && blocks[0]!.weight < minPoints) pool(blocks[1]!, blocks.shift()!);
  if (blocks.length === 0) return () => 0;
  return (x) => {
    let lo = 0;
    let hi = blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (blocks[mid]!.upTo < x) lo = mid + 1;
      else hi = mid;
    }
    return blocks[lo]!.mean;
  };
}

/** Points pooled into one step: upper x bound, mean y, weight. */
interface Block {
  upTo: number;
  mean: number;
  weight: number;
}

/** Pools `from` into `into`: the weighted mean, the summed weight, the higher bound of the two. */
function pool(into: Block, from: Block) {
  into.mean = (into.mean * into.weight + from.mean * from.weight) / (into.weight + from.weight);
  into.weight += from.weight;
  into.upTo = Math.max(into.upTo, from.upTo);
}
