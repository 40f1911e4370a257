import type { Model, Scored } from "./recommender.ts";

/** Reciprocal-rank constant: how fast a model's lower ranks fade (60 is the usual choice). */
const RRF_K = 60;

export interface HybridPart {
  model: Model;
  weight: number;
}

/**
 * Weighted reciprocal-rank fusion: each model ranks the catalogue, and an item's score is
 * Σ weight / (60 + rank). Ranks, not raw scores, are blended, so models with different scales
 * combine fairly. Each item keeps the reasons of the model that ranked it highest (its `source`).
 * The weights come from the offline evaluation (`chooseHybridWeights`), not from hand tuning.
 */
export function fitHybrid(
  parts: HybridPart[],
  depth = 100,
): Model & {
  recommendWithSources(
    u: number,
    k: number,
    exclude?: ReadonlySet<number>,
  ): Array<Scored & { source: string }>;
} {
  const recommendWithSources = (u: number, k: number, exclude?: ReadonlySet<number>) => {
    const fused = new Map<
      number,
      { score: number; best: number; source: string; because: Scored["because"] }
    >();
    for (const { model, weight } of parts) {
      if (weight <= 0) continue;
      model.recommend(u, depth, exclude).forEach((s, rank) => {
        const contribution = weight / (RRF_K + rank + 1);
        const entry = fused.get(s.item);
        if (!entry)
          fused.set(s.item, {
            score: contribution,
            best: contribution,
            source: model.name,
            because: s.because,
          });
        else {
          entry.score += contribution;
          if (contribution > entry.best)
            Object.assign(entry, { best: contribution, source: model.name, because: s.because });
        }
      });
    }
    return [...fused.entries()]
      .map(([item, e]) => ({ item, score: e.score, because: e.because, source: e.source }))
      .sort((a, b) => b.score - a.score || a.item - b.item)
      .slice(0, k);
  };
  return { name: "hybrid", recommend: recommendWithSources, recommendWithSources };
}

/**
 * The blend weights that score best on held-out history, by coordinate ascent: starting from equal
 * weights, each model's weight in turn is set to the level (e.g. 0, 1, 2) that scores best with
 * the others fixed, pass after pass until nothing improves (at most 3 passes). `score` is
 * typically the NDCG@k of a temporal backtest. About 30 fits instead of a grid's 3^models; ties
 * keep the current weights, so the result is deterministic.
 */
export function chooseHybridWeights(
  models: Model[],
  levels: number[],
  score: (hybrid: Model) => number,
): { weights: number[]; score: number } {
  const evaluate = (weights: number[]) =>
    weights.every((w) => w === 0)
      ? -Infinity
      : score(fitHybrid(models.map((model, i) => ({ model, weight: weights[i]! }))));
  let best = { weights: models.map(() => 1), score: evaluate(models.map(() => 1)) };
  for (let pass = 0; pass < 3; pass++) {
    let improved = false;
    for (let m = 0; m < models.length; m++) {
      for (const level of levels) {
        if (level === best.weights[m]) continue;
        const weights = best.weights.map((w, i) => (i === m ? level : w));
        const value = evaluate(weights);
        if (value > best.score) {
          best = { weights, score: value };
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return best;
}
