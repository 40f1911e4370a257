/**
 * Ranking metrics at k for one customer: `ranked` is the recommended list (best first),
 * `relevant` what they actually bought in the test period. Standard definitions:
 * precision = hits / k; recall = hits / |relevant|; hit rate = 1 if any hit;
 * NDCG = Σ hits 1/log2(rank+1) over the ideal Σ_{r ≤ min(k,|relevant|)} 1/log2(r+1);
 * AP = Σ over hits of precision at that rank / min(k, |relevant|).
 */
export interface RankingMetrics {
  precision: number;
  recall: number;
  ndcg: number;
  ap: number;
  hit: number;
}

export function rankingMetrics(
  ranked: readonly number[],
  relevant: ReadonlySet<number>,
  k: number,
): RankingMetrics {
  const top = ranked.slice(0, k);
  let hits = 0;
  let dcg = 0;
  let apSum = 0;
  top.forEach((item, i) => {
    if (!relevant.has(item)) return;
    hits++;
    dcg += 1 / Math.log2(i + 2);
    apSum += hits / (i + 1);
  });
  const ideal = Math.min(k, relevant.size);
  let idcg = 0;
  for (let i = 0; i < ideal; i++) idcg += 1 / Math.log2(i + 2);
  return {
    precision: hits / k,
    recall: relevant.size === 0 ? 0 : hits / relevant.size,
    ndcg: idcg === 0 ? 0 : dcg / idcg,
    ap: ideal === 0 ? 0 : apSum / ideal,
    hit: hits > 0 ? 1 : 0,
  };
}

/**
 * NDCG@k alone, as `rankingMetrics` computes it, for the weight search's hot loop: `isRelevant`
 * holds a flag (1 = bought in the test period) per value that `ranked` can hold.
 */
export function ndcgAt(
  ranked: readonly number[],
  isRelevant: ArrayLike<number>,
  relevantCount: number,
  k: number,
): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++)
    if (isRelevant[ranked[i]!] === 1) dcg += 1 / Math.log2(i + 2);
  let idcg = 0;
  for (let i = 0; i < Math.min(k, relevantCount); i++) idcg += 1 / Math.log2(i + 2);
  return idcg === 0 ? 0 : dcg / idcg;
}

/** Share of the catalogue that appears in at least one customer's top k. */
export function catalogueCoverage(
  lists: Iterable<readonly number[]>,
  catalogueSize: number,
): number {
  const seen = new Set<number>();
  for (const list of lists) for (const item of list) seen.add(item);
  return catalogueSize === 0 ? 0 : seen.size / catalogueSize;
}
