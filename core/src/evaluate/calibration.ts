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
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  // Blocks of pooled points: upper x bound, mean y, weight.
  const blocks: Array<{ upTo: number; mean: number; weight: number }> = [];
  for (const p of sorted) {
    const last = blocks[blocks.length - 1];
    // Equal scores must get one probability: a tie joins the block it ties with.
    if (last && last.upTo === p.x) {
      last.mean = (last.mean * last.weight + p.y) / (last.weight + 1);
      last.weight += 1;
    } else blocks.push({ upTo: p.x, mean: p.y, weight: 1 });
    while (
      blocks.length > 1 &&
      blocks[blocks.length - 2]!.mean >= blocks[blocks.length - 1]!.mean
    ) {
      const last = blocks.pop()!;
      const prev = blocks[blocks.length - 1]!;
      prev.mean = (prev.mean * prev.weight + last.mean * last.weight) / (prev.weight + last.weight);
      prev.weight += last.weight;
      prev.upTo = last.upTo;
    }
  }
  // Merging neighbours keeps the steps non-decreasing: the pooled rate lies between theirs.
  for (let b = blocks.length - 1; b > 0; b--) {
    if (blocks[b]!.weight >= minPoints) continue;
    const [prev, small] = [blocks[b - 1]!, blocks[b]!];
    prev.mean =
      (prev.mean * prev.weight + small.mean * small.weight) / (prev.weight + small.weight);
    prev.weight += small.weight;
    prev.upTo = small.upTo;
    blocks.splice(b, 1);
  }
  if (blocks.length > 1 && blocks[0]!.weight < minPoints) {
    const [small, next] = [blocks[0]!, blocks[1]!];
    next.mean =
      (next.mean * next.weight + small.mean * small.weight) / (next.weight + small.weight);
    next.weight += small.weight;
    blocks.shift();
  }
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
