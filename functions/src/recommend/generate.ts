import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import {
  applyRules,
  buildInteractions,
  type CampaignRules,
  chooseHybridWeights,
  dayNumber,
  scoreModel,
  temporalSplit,
  explain,
  fitContentBased,
  fitEase,
  fitHybrid,
  fitItemKnn,
  fitPopularity,
  fitRebuy,
  type Interactions,
  type Model,
  rowOf,
  type Scored,
} from "@crm-reco/core";
import { arrayParam, type Db, queryRows } from "../adapters/db/database.ts";
import { recommendationRuns } from "../db/schema/index.ts";
import type { History } from "./load-history.ts";

export const algorithms = ["popularity", "itemknn", "ease", "content", "rebuy", "hybrid"] as const;
export type Algorithm = (typeof algorithms)[number];

export interface GenerateOptions {
  algorithm: Algorithm;
  k: number;
  asOf?: string;
  rules: CampaignRules | null;
}

export interface GenerateSummary {
  runId: string;
  algorithm: Algorithm;
  asOf: string;
  customers: number;
  recommendations: number;
  weights: Record<string, number> | null;
  durationMs: number;
}

const VALIDATION_DAYS = 180;

/** Each model on a matrix, by name: the hybrid blends the first five. */
function fitAll(data: Interactions, history: History): Record<Exclude<Algorithm, "hybrid">, Model> {
  const attributes = data.items.map((id) => history.catalogue.get(id)!);
  return {
    popularity: fitPopularity(data),
    itemknn: fitItemKnn(data),
    ease: fitEase(data),
    content: fitContentBased(data, attributes),
    rebuy: fitRebuy(
      data,
      attributes,
      attributes.map((a) => a.active),
    ),
  };
}

/** A model whose rankings are computed once per customer (the weight search re-reads them). */
const cached = (model: Model): Model => {
  const memo = new Map<string, Scored[]>();
  return {
    name: model.name,
    recommend(u, k, exclude) {
      const key = `${u}:${k}:${exclude ? [...exclude].join(",") : ""}`;
      if (!memo.has(key)) memo.set(key, model.recommend(u, k, exclude));
      return memo.get(key)!;
    },
  };
};

/**
 * A recommendation run: fits the chosen model on the estate's history as of a date, picks the
 * hybrid's weights and calibrates confidence on the last 180 days before it (a temporal backtest),
 * applies the campaign rules, explains each recommendation, and stores the run with its measured
 * figures. Pending recommendations are replaced; approved and rejected ones are kept.
 */
export async function generateRecommendations(
  db: Db,
  tenantId: string,
  history: History,
  options: GenerateOptions,
  now: () => Date,
): Promise<GenerateSummary> {
  const started = now().getTime();
  const asOf = options.asOf ?? history.latestOrderDate ?? now().toISOString().slice(0, 10);
  const weighting = { kind: "decay" as const, halfLifeDays: 365 };
  const splitDate = new Date((dayNumber(asOf) - VALIDATION_DAYS) * 86_400_000)
    .toISOString()
    .slice(0, 10);

  // Backtest: models fitted before the split, judged on the 180 days after it (up to as-of).
  const split = temporalSplit(
    history.purchases.filter((p) => p.date <= asOf),
    { splitDate, weighting },
  );
  const { future } = split;
  // Keyed by algorithm, not by model name (EASE names itself "ease→itemknn" when it falls back).
  const validationFits = fitAll(split.train, history);
  const keys = Object.keys(validationFits) as Array<Exclude<Algorithm, "hybrid">>;
  const validationModels = keys.map((key) => cached(validationFits[key]));
  const ndcgOf = (model: Model) => scoreModel(model, split, options.k, "all").ndcg;
  const chosen =
    future.size > 0
      ? chooseHybridWeights(validationModels, [0, 1, 2], ndcgOf).weights
      : validationModels.map(() => 1);
  const weights = Object.fromEntries(keys.map((key, i) => [key, chosen[i]!])) as Record<
    Exclude<Algorithm, "hybrid">,
    number
  >;

  // Confidence by rank: the hit rate each rank had in the backtest, never rising with the rank.
  const validationModel =
    options.algorithm === "hybrid"
      ? fitHybrid(validationModels.map((model, i) => ({ model, weight: chosen[i]! })))
      : validationModels[keys.indexOf(options.algorithm)]!;
  const hitsAtRank = new Array(options.k).fill(0);
  for (const [u, relevant] of future)
    validationModel
      .recommend(u, options.k)
      .forEach((s, r) => (hitsAtRank[r] += relevant.has(s.item) ? 1 : 0));
  let floor = 1;
  const confidenceAtRank = hitsAtRank.map(
    (hits) => (floor = Math.min(floor, future.size === 0 ? 0 : hits / future.size)),
  );

  const data = buildInteractions(history.purchases, { asOf, weighting });
  const models = fitAll(data, history);
  const model =
    options.algorithm === "hybrid"
      ? fitHybrid(keys.map((key) => ({ model: models[key], weight: weights[key] })))
      : { ...models[options.algorithm], recommendWithSources: undefined };
  // The measured figures stored with the run: every model of the backtest, in both protocols.
  const metrics =
    future.size === 0
      ? []
      : validationModels.flatMap((m) =>
          (["all", "new"] as const).map((protocol) => scoreModel(m, split, options.k, protocol)),
        );

  const context = await ruleContext(db, tenantId, data, history, asOf);
  const rows: Array<Record<string, unknown>> = [];
  for (let u = 0; u < data.customers.length; u++) {
    const candidates =
      "recommendWithSources" in model && model.recommendWithSources
        ? model.recommendWithSources(u, options.k * 4)
        : model
            .recommend(u, options.k * 4)
            .map((s) => ({ ...s, source: options.algorithm as string }));
    const kept = options.rules
      ? applyRules(u, candidates, { ...options.rules, perCustomer: options.k }, context).kept
      : candidates.slice(0, options.k);
    const bought = rowOf(data, u);
    kept.forEach((s, rank) => {
      const explanation = explain(s, {
        name: (i) => (data.items[i] ? (context.names.get(data.items[i]!) ?? data.items[i]!) : "?"),
        history: (i) => {
          const at = bought.items.indexOf(i);
          if (at < 0) return undefined;
          const n = data.rowStart[u]! + at;
          return {
            times: data.count[n]!,
            lastYear: new Date(data.lastDay[n]! * 86_400_000).getUTCFullYear(),
          };
        },
      });
      const evidence = Math.sqrt(Math.min(1, bought.items.length / 3));
      rows.push({
        id: randomUUID(),
        customer_id: data.customers[u],
        product_id: data.items[s.item],
        algorithm: s.source,
        score: s.score,
        confidence: Math.round((confidenceAtRank[rank] ?? 0) * evidence * 1000) / 1000,
        rank: rank + 1,
        explanation: JSON.stringify({
          ...explanation,
          because: s.because.map((b) => data.items[b.item]),
        }),
      });
    });
  }

  return db.transaction(async (tx) => {
    const [run] = await tx
      .insert(recommendationRuns)
      .values({
        tenantId,
        algorithm: options.algorithm,
        parameters: {
          k: options.k,
          asOf,
          rules: options.rules,
          weights: options.algorithm === "hybrid" ? weights : null,
          validationDays: VALIDATION_DAYS,
        },
        dataSnapshot: {
          customers: data.customers.length,
          products: history.catalogue.size,
          purchases: history.purchases.length,
          asOf,
        },
        metrics: { splitDate, k: options.k, results: metrics, confidenceAtRank },
        status: "succeeded",
        startedAt: new Date(started),
        finishedAt: now(),
        durationMs: now().getTime() - started,
      })
      .returning({ id: recommendationRuns.id });
    await tx.execute(
      sql`delete from recommendations where tenant_id = ${tenantId}::uuid and campaign_id is null and status = 'pending'`,
    );
    if (rows.length > 0) {
      const col = (key: string, type: string) =>
        arrayParam(
          rows.map((r) => r[key]),
          type,
        );
      await tx.execute(
        sql`insert into recommendations (id, tenant_id, run_id, customer_id, product_id, algorithm, score, confidence, customer_quality_score, rank, explanation)
            select u.id, ${tenantId}::uuid, ${run!.id}::uuid, u.customer_id, u.product_id, u.algorithm, u.score, u.confidence, c.quality_score, u.rank, u.explanation::jsonb
            from unnest(${col("id", "uuid")}, ${col("customer_id", "uuid")}, ${col("product_id", "uuid")}, ${col("algorithm", "text")}, ${col("score", "float8")}, ${col("confidence", "float8")}, ${col("rank", "int")}, ${col("explanation", "text")})
                 as u(id, customer_id, product_id, algorithm, score, confidence, rank, explanation)
            join customers c on c.id = u.customer_id
            on conflict do nothing`,
      );
    }
    return {
      runId: run!.id,
      algorithm: options.algorithm,
      asOf,
      customers: new Set(rows.map((r) => r.customer_id)).size,
      recommendations: rows.length,
      weights: options.algorithm === "hybrid" ? weights : null,
      durationMs: now().getTime() - started,
    };
  });
}

async function ruleContext(
  db: Db,
  tenantId: string,
  data: Interactions,
  history: History,
  asOf: string,
) {
  const asOfDay = dayNumber(asOf);
  const contacts = await queryRows<{ customer_id: string; day: string }>(
    db,
    sql`select customer_id, max(contacted_at)::date::text as day from contacts where tenant_id = ${tenantId}::uuid group by customer_id`,
  );
  const lastContact = new Map(contacts.map((c) => [c.customer_id, dayNumber(c.day)]));
  const rejected = await queryRows<{ customer_id: string; product_id: string }>(
    db,
    sql`select customer_id, product_id from recommendations where tenant_id = ${tenantId}::uuid and status = 'rejected'`,
  );
  const rejectedPairs = new Set(rejected.map((r) => `${r.customer_id}|${r.product_id}`));
  const names = new Map([...history.catalogue.values()].map((p) => [p.id, p.name]));
  return {
    names,
    asOfDay,
    isActive: (item: number) => history.catalogue.get(data.items[item]!)?.active ?? false,
    daysSinceBought: (u: number, item: number) => {
      const { items } = rowOf(data, u);
      const at = items.indexOf(item);
      return at < 0 ? undefined : asOfDay - data.lastDay[data.rowStart[u]! + at]!;
    },
    daysSinceContact: (u: number) => {
      const day = lastContact.get(data.customers[u]!);
      return day === undefined ? undefined : asOfDay - day;
    },
    wasRejected: (u: number, item: number) =>
      rejectedPairs.has(`${data.customers[u]}|${data.items[item]}`),
  };
}
