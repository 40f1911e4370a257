import { fitIsotonic } from "../evaluate/calibration.ts";
import { ndcgAt } from "../evaluate/metrics.ts";
import {
  type EvaluationResult,
  scoreModel,
  temporalSplit,
  type TemporalSplit,
} from "../evaluate/evaluate.ts";
import { fitContentBased } from "./content-based.ts";
import { fitEase } from "./ease.ts";
import {
  chooseHybridWeights,
  clearlyBetter,
  type FusionTable,
  fitHybrid,
  fusedScores,
  fusionTable,
  HYBRID_DEPTH,
  slotsOf,
} from "./hybrid.ts";
import {
  buildInteractions,
  dayNumber,
  isoDay,
  type Interactions,
  type Purchase,
  rowOf,
  type Weighting,
} from "./interactions.ts";
import { type ItemAttributes, NO_ATTRIBUTES } from "./item-attributes.ts";
import { fitItemKnn } from "./item-knn.ts";
import { fitPopularity } from "./popularity.ts";
import { fitRebuy } from "./rebuy.ts";
import type { Model, Scored } from "./recommender.ts";
import { fitRepeat } from "./repeat.ts";
import { fitRp3beta, fitRp3betas } from "./rp3beta.ts";

export const algorithms = [
  "popularity",
  "repeat",
  "itemknn",
  "rp3beta",
  "ease",
  "content",
  "rebuy",
  "hybrid",
] as const;
export type Algorithm = (typeof algorithms)[number];
type Single = Exclude<Algorithm, "hybrid">;

export interface SellableItem extends ItemAttributes {
  active: boolean;
}

/** Purchases decayed with a 180-day half-life: what sells now counts most. */
export const DEFAULT_WEIGHTING: Weighting = { kind: "decay", halfLifeDays: 180 };

export interface TrainOptions {
  algorithm: Algorithm;
  asOf: string;
  /** What each item is (colour, cuvée, vintage…, and whether it can be sold). */
  describe(itemId: string): SellableItem | undefined;
  /**
   * Where the backtest starts, in days before `asOf`; it judges up to 180 days from there
   * (default: 365 when two years of history come before `asOf`, the same season a year earlier;
   * 180 when a year does; else the history's last third: `defaultValidationDays`).
   */
  validationDays?: number;
  /** Default: `DEFAULT_WEIGHTING`. */
  weighting?: Weighting;
  /**
   * Every sellable item, bought or not: a new vintage or a new release can then be proposed (by
   * the rebuy rule and the content model) before anyone has bought it.
   */
  catalogue?: Iterable<string>;
  /** What items are numbered by, and so ties broken by: see `buildInteractions`. */
  itemKey?: (id: string) => string;
  /** What customers are numbered by, and so which ones a backtest samples: the same. */
  customerKey?: (id: string) => string;
  /** Customers judged in the backtest, at most (evenly spread, deterministic; default 3,000). */
  backtestCustomers?: number;
  /**
   * Customers whose history the backtest's models are fitted on, at most (evenly spread by
   * identifier, deterministic; default 30,000). The final models always see everyone.
   */
  backtestHistoryCustomers?: number;
}

export type SourcedModel = Model & {
  recommendWithSources(
    u: number,
    k: number,
    exclude?: ReadonlySet<number>,
  ): Array<Scored & { source: string }>;
};

export interface Trained {
  data: Interactions;
  model: SourcedModel;
  /** The blend, when the algorithm is the hybrid. */
  weights: Record<Single, number> | null;
  /** RP3beta's popularity penalty, as the backtest chose it. */
  rp3betaBeta: number;
  /** Score → probability of a purchase within the validation horizon, measured on the backtest. */
  calibrate(score: number): number;
  splitDate: string;
  /**
   * What confidence measures: a purchase within this many days. 180, or less when the history is
   * too short for the backtest to see 180 days after its split (`defaultValidationDays`).
   */
  horizonDays: number;
  /** Every model of the backtest in both protocols, at k = 10: the figures shown with the run. */
  backtest: EvaluationResult[];
}

/**
 * Backtest recommendations each confidence step rests on, at least: with fewer, the demo estate
 * showed 100 % for two recommendations whose scores topped the backtest's.
 */
const CALIBRATION_MIN_POINTS = 30;

/** The k at which blends are chosen and backtests reported (the audit page's figure). */
export const BACKTEST_K = 10;
const UNKNOWN: SellableItem = { active: true, ...NO_ATTRIBUTES };

/** Each single model fitted on a matrix (RP3beta given when already fitted with a chosen β). */
export function fitModels(
  data: Interactions,
  describe: TrainOptions["describe"],
  rp3beta: Model = fitRp3beta(data),
): Record<Single, Model> {
  const attributes = data.items.map((id) => describe(id) ?? UNKNOWN);
  return {
    popularity: fitPopularity(data),
    repeat: fitRepeat(data),
    itemknn: fitItemKnn(data),
    rp3beta,
    ease: fitEase(data),
    content: fitContentBased(data, attributes),
    rebuy: fitRebuy(
      data,
      attributes,
      attributes.map((a) => a.active),
    ),
  };
}

/**
 * Trains a recommender on an estate's purchases as of a date, the way a run does it:
 * 1. a backtest: every model fitted on the history before `asOf − validationDays`, judged on
 *    what customers bought in the 180 days that followed (both protocols). When the history
 *    allows, those are the same months a year earlier as the 180 days the recommendations are
 *    for: wine sells by season (Christmas reorders, the summer's cellar-door visits), and a blend
 *    judged on last winter would be chosen for the wrong season. A history of under 360 days
 *    is judged on its last third (`defaultValidationDays`), and confidence then measures a
 *    purchase within that time;
 * 2. the hybrid's weights chosen on that backtest (coordinate ascent on NDCG@10, repurchases and
 *    new products counting equally), never by hand;
 * 3. confidence calibrated there: score → observed rate of purchase within those 180 days, or
 *    the shorter window of a short history (`horizonDays`), isotonic, over every customer with
 *    history, buyers or not;
 * 4. the models refitted on the whole history up to `asOf` and blended with those weights.
 */
export function trainRecommender(purchases: Purchase[], options: TrainOptions): Trained {
  const weighting = options.weighting ?? DEFAULT_WEIGHTING;
  const upToAsOf = purchases.filter((p) => p.date.slice(0, 10) <= options.asOf);
  const validationDays = options.validationDays ?? defaultValidationDays(upToAsOf, options.asOf);
  const splitDate = isoDay(dayNumber(options.asOf) - validationDays);
  // Only the hybrid's backtest is sampled: its scores are ranks, which a smaller history does not
  // rescale; a single model's raw scores (popularity's sums) would be calibrated on another scale.
  const backtestHistory =
    options.algorithm === "hybrid"
      ? customerSample(upToAsOf, options.backtestHistoryCustomers ?? 30_000)
      : upToAsOf;
  const split = sampled(
    temporalSplit(backtestHistory, {
      splitDate,
      weighting,
      horizonDays: CONFIDENCE_HORIZON_DAYS,
      itemKey: options.itemKey,
      customerKey: options.customerKey,
    }),
    options.backtestCustomers ?? 3000,
  );
  const rp3 =
    split.future.size > 0
      ? chooseRp3beta(split)
      : { beta: RP3BETA_DEFAULT_BETA, model: fitRp3beta(split.train) };
  const rp3betaBeta = rp3.beta;
  const validationFits = fitModels(split.train, options.describe, rp3.model);
  const keys = Object.keys(validationFits) as Single[];
  const validation = keys.map((key) => validationFits[key]);
  const chosen =
    split.future.size > 0
      ? chooseHybridWeights(keys.length, [0, 1, 2, 4], backtestObjective(validation, split), {
          start: keys.map((key) =>
            key === "repeat" && repurchaseShare(split.train) < REPEAT_MIN_SHARE ? 0 : 1,
          ),
        }).weights
      : keys.map(() => 1);
  const weights = Object.fromEntries(keys.map((key, i) => [key, chosen[i]!])) as Record<
    Single,
    number
  >;
  const blend = (models: Model[]) =>
    fitHybrid(models.map((model, i) => ({ model, weight: chosen[i]! })));

  const validationModel =
    options.algorithm === "hybrid"
      ? blend(validation)
      : validation[keys.indexOf(options.algorithm)]!;
  const backtest =
    split.future.size === 0
      ? []
      : [...validation, ...(options.algorithm === "hybrid" ? [validationModel] : [])].flatMap((m) =>
          (["all", "new"] as const).map((protocol) => scoreModel(m, split, BACKTEST_K, protocol)),
        );
  const calibrate = fitIsotonic(calibrationPoints(validationModel, split), CALIBRATION_MIN_POINTS);

  const data = buildInteractions(upToAsOf, {
    asOf: options.asOf,
    weighting,
    catalogue: options.catalogue,
    itemKey: options.itemKey,
    customerKey: options.customerKey,
  });
  const models = fitModels(data, options.describe, fitRp3beta(data, { beta: rp3betaBeta }));
  const model: SourcedModel =
    options.algorithm === "hybrid"
      ? blend(keys.map((key) => models[key]))
      : withSource(models[options.algorithm], options.algorithm);
  return {
    data,
    model,
    weights: options.algorithm === "hybrid" ? weights : null,
    rp3betaBeta,
    calibrate,
    splitDate,
    // The backtest judges its split's next 180 days, but sees nothing after `asOf`.
    horizonDays: Math.min(CONFIDENCE_HORIZON_DAYS, validationDays),
    backtest,
  };
}

/** RP3beta's usual popularity penalty, kept unless the backtest clearly prefers another. */
const RP3BETA_DEFAULT_BETA = 0.5;
/** The penalties the backtest tries for RP3beta. */
export const RP3BETA_BETAS = [0.3, 0.5, 0.7, 0.9];

/**
 * RP3beta's popularity penalty β, chosen on the backtest as the blend's weights are, by the
 * same rule: from 0.5, another value is taken only if RP3beta alone scores clearly better with
 * it (1.5 standard errors of the customer-by-customer differences, both protocols). How far best
 * sellers must be held back differs from one history to another: with β from 0.5 to 0.8 the demo
 * estate's held-out NDCG@10 rose by 2 points, Groceries (167 staples) lost 0.2.
 */
function chooseRp3beta(split: TemporalSplit): { beta: number; model: Model } {
  const betas = [RP3BETA_DEFAULT_BETA, ...RP3BETA_BETAS.filter((b) => b !== RP3BETA_DEFAULT_BETA)];
  const [best, ...challengers] = fitRp3betas(split.train, betas).map((model, at) => ({
    beta: betas[at]!,
    model,
    cases: backtestObjective([model], split)([1]),
  }));
  let chosen = best!;
  for (const challenger of challengers)
    if (clearlyBetter(challenger.cases, chosen.cases, 1.5)) chosen = challenger;
  return chosen;
}

/**
 * Below this share of repurchases in the history, the blend starts without the repurchase model:
 * where almost nothing is bought twice (office supplies: 0.3 % of Superstore's purchases; 7.5 %
 * of Groceries', 22 % of the demo estate's), putting what a customer already has first wastes the
 * top of the list. The backtest can still take it back if it clearly helps; on a thin backtest
 * (Superstore's) it cannot tell, and the test period scored 0.44 % with it, 0.60 % without.
 */
const REPEAT_MIN_SHARE = 0.05;

/**
 * The share of purchases that repeat an earlier one: of a matrix's purchases (order lines), those
 * of a wine the customer had already bought.
 */
export function repurchaseShare(data: Interactions): number {
  let purchases = 0;
  for (let n = 0; n < data.count.length; n++) purchases += data.count[n]!;
  // Every purchase of a (customer, wine) pair but its first is a repurchase.
  return purchases === 0 ? 0 : (purchases - data.count.length) / purchases;
}

/**
 * The same season a year earlier when two years of history come before `asOf`; else the last 180
 * days when the history holds twice that; else, for a shorter history (a four-month till export, an
 * estate's first season with us), its last third: a 180-day validation would leave nothing to fit
 * the backtest on, and the blend would go unchosen and confidence uncalibrated. Confidence then
 * measures a purchase within that shorter time.
 */
function defaultValidationDays(purchases: Purchase[], asOf: string): number {
  let first = Infinity;
  for (const p of purchases) {
    const day = dayNumber(p.date);
    if (day < first) first = day; // not Math.min: a date that is none (NaN) is left out
  }
  const span = dayNumber(asOf) - first;
  if (!Number.isFinite(span)) return 180;
  if (span >= 2 * 365) return 365;
  if (span >= 2 * 180) return 180;
  return Math.max(1, Math.floor(span / 3));
}

/**
 * What the backtest judges and confidence means: a purchase within this many days (the review
 * page says "within the next 6 months"), fewer for a history under a year (`Trained.horizonDays`).
 */
export const CONFIDENCE_HORIZON_DAYS = 180;

/** (score, bought or not) for the top 10 of every backtest customer, buyers or not. */
function calibrationPoints(model: Model, split: TemporalSplit & { judged: Set<number> }) {
  const points: Array<{ x: number; y: number }> = [];
  for (let u = 0; u < split.train.customers.length; u++) {
    if (!split.judged.has(u)) continue;
    const bought = split.future.get(u);
    for (const s of model.recommend(u, BACKTEST_K))
      points.push({ x: s.score, y: bought?.has(s.item) ? 1 : 0 });
  }
  return points;
}

/**
 * The purchases of at most `limit` customers, evenly spread over their sorted identifiers
 * (deterministic). Item-to-item patterns are as clear in 30,000 histories as in 100,000, and the
 * backtest only needs them to rank models against each other: its fit then costs what a
 * 30,000-customer estate's does, and smaller estates keep every customer.
 */
function customerSample(purchases: Purchase[], limit: number): Purchase[] {
  if (!(limit >= 1)) throw new Error(`backtestHistoryCustomers must be at least 1, not ${limit}`);
  const distinct = new Set<string>();
  for (const p of purchases) distinct.add(p.customerId);
  if (distinct.size <= limit) return purchases;
  const ids = [...distinct].sort();
  const kept = new Set(evenlySpread(ids.length, limit).map((at) => ids[at]!));
  return purchases.filter((p) => kept.has(p.customerId));
}

/** At most `limit` of the indexes 0..length−1, evenly spread, in order (exact: no float drift). */
function evenlySpread(length: number, limit: number): number[] {
  const count = Math.min(length, Math.max(1, limit));
  return Array.from({ length: count }, (_, j) => Math.floor((j * length) / count));
}

/**
 * At most `limit` customers judged, evenly spread over the index (deterministic): the backtest of
 * a 100,000-customer estate then costs what a 3,000-customer one does.
 */
function sampled(split: TemporalSplit, limit: number): TemporalSplit & { judged: Set<number> } {
  const judged = new Set(evenlySpread(split.train.customers.length, limit));
  const future = new Map([...split.future].filter(([u]) => judged.has(u)));
  return { train: split.train, future, judged };
}

/**
 * The weight search's objective: NDCG@10 of the blend on the backtest, repurchases (`all`) and new
 * products (`new`) counting equally, as each judged case's share. Each model ranks each judged
 * customer once, in a fusion table; a weighting is then scored without asking the models again.
 * New products are judged in the list the customer gets, what they already bought taken out
 * after the fusion: the models rank every wine there, bought or not, so a new wine's rank and its
 * score against the model's first one are those of the real list, not of a list without the
 * bought wines.
 */
function backtestObjective(models: Model[], split: TemporalSplit) {
  type Judged = { isRelevant: Uint8Array; relevantCount: number; skip?: ReadonlySet<number> };
  // One table per judged customer, judged in one protocol or both.
  const customers: Array<{ table: FusionTable; all: Judged; new?: Judged }> = [];
  const counts = { all: 0, new: 0 };
  for (const [u, future] of [...split.future].sort((a, b) => a[0] - b[0])) {
    if (future.size === 0) continue;
    const bought = new Set(rowOf(split.train, u).items);
    const fresh = new Set([...future].filter((i) => !bought.has(i)));
    const table = fusionTable(models, u, HYBRID_DEPTH);
    // Relevance per candidate slot: what the fused ranking ranks.
    const flags = (relevant: Set<number>) =>
      Uint8Array.from(table.items, (item) => (relevant.has(item) ? 1 : 0));
    const skip = new Set<number>();
    table.items.forEach((item, slot) => bought.has(item) && skip.add(slot));
    customers.push({
      table,
      all: { isRelevant: flags(future), relevantCount: future.size },
      new:
        fresh.size > 0 ? { isRelevant: flags(fresh), relevantCount: fresh.size, skip } : undefined,
    });
    counts.all++;
    if (fresh.size > 0) counts.new++;
  }
  const scratch = new Float64Array(models.length * HYBRID_DEPTH);
  // Each case's share of the objective: its NDCG over the number of cases of its protocol; all
  // the repurchase cases first, then the new-product ones.
  return (weights: number[]) => {
    const shares = new Float64Array(counts.all + counts.new);
    let all = 0;
    let fresh = counts.all;
    const ndcg = (scores: Float64Array, judged: Judged) =>
      ndcgAt(
        slotsOf(scores, BACKTEST_K, judged.skip),
        judged.isRelevant,
        judged.relevantCount,
        BACKTEST_K,
      );
    for (const c of customers) {
      const scores = fusedScores(c.table, weights, scratch); // once for both protocols
      shares[all++] = ndcg(scores, c.all) / counts.all;
      if (c.new) shares[fresh++] = ndcg(scores, c.new) / counts.new;
    }
    return shares;
  };
}

function withSource(model: Model, source: string): SourcedModel {
  // Not `{ ...s }`: a lazily explained item's `because` is a getter, which a spread leaves out.
  const recommendWithSources = (u: number, k: number, exclude?: ReadonlySet<number>) =>
    model
      .recommend(u, k, exclude)
      .map((s) => ({ item: s.item, score: s.score, because: s.because, source }));
  return { name: model.name, recommend: model.recommend, recommendWithSources };
}

/** How much history backs a customer's list: 0.58 with one product, 1 from three on. */
export const evidenceOf = (data: Interactions, u: number) =>
  Math.sqrt(Math.min(1, rowOf(data, u).items.length / 3));
