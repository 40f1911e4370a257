import { eq, sql } from "drizzle-orm";
import {
  type Algorithm,
  algorithms,
  applyRules,
  BACKTEST_K,
  type CampaignRules,
  customerList,
  dayNumber,
  evidenceOf,
  explain,
  type Interactions,
  type ItemAttributes,
  rowOf,
  type Scored,
  sharedTraits,
  type Trained,
  trainRecommender,
} from "@crm-reco/core";
import {
  arrayParam,
  type Db,
  queryRows,
  refreshPlannerStatistics,
  type Tx,
} from "../adapters/db/database.ts";
import { recommendationRuns } from "../db/schema/index.ts";
import { type History, keysOf, sellableIds } from "./load-history.ts";
import {
  inTarget,
  isEveryone,
  segmentCustomers,
  storeSegments,
  type Target,
} from "./segment-customers.ts";
import { foldText } from "@crm-reco/core/normalize/text";

export { algorithms, type Algorithm };

export interface GenerateOptions {
  algorithm: Algorithm;
  k: number;
  asOf?: string;
  rules: CampaignRules | null;
  /** Only these customers get new recommendations (their pending ones are replaced, no one else's). */
  target?: Target;
}

export interface GenerateSummary {
  runId: string;
  algorithm: Algorithm;
  asOf: string;
  customers: number;
  recommendations: number;
  weights: Record<string, number> | null;
  /** Customers per RFM tier, as recomputed by this run. */
  tiers: Record<string, number>;
  durationMs: number;
}

/**
 * A recommendation run: trains the chosen model on the estate's history as of a date (blend and
 * confidence measured on a temporal backtest: `trainRecommender`), applies the campaign rules,
 * explains each recommendation, and stores the run with its measured figures. Pending
 * recommendations are replaced; approved and rejected ones are kept.
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
  const trained = trainRecommender(history.purchases, {
    algorithm: options.algorithm,
    asOf,
    describe: (id) => history.catalogue.get(id),
    ...keysOf(history),
    // Discontinued wines are candidates only when the campaign allows them.
    catalogue:
      options.rules?.onlyActiveProducts === false
        ? [...history.catalogue.keys()]
        : sellableIds(history),
  });
  const { data, model, weights, rp3betaBeta, splitDate, horizonDays, backtest } = trained;

  // A campaign goes out now: the gap since the last contact is reckoned from today, unless the
  // run is placed on a day of the past (--as-of), where later contacts are not yet made.
  const today = now().toISOString().slice(0, 10);
  const contactsOn = options.asOf !== undefined && options.asOf < today ? options.asOf : today;
  const context = await ruleContext(db, tenantId, data, history, asOf, contactsOn);
  const segments = await segmentCustomers(db, tenantId, asOf);
  const target = options.target ?? {};
  const targeted = (u: number) =>
    inTarget(data.customers[u]!, segments.get(data.customers[u]!), target);
  const { rules } = options;
  const listFor = (u: number) => {
    const allow = (candidates: Array<Scored & { source: string }>) =>
      rules
        ? applyRules(u, candidates, { ...rules, perCustomer: candidates.length }, context).kept
        : candidates;
    return customerList(model.recommendWithSources, data, u, options.k, allow);
  };

  const summary = await db.transaction(async (tx) => {
    const [run] = await tx
      .insert(recommendationRuns)
      .values({
        tenantId,
        algorithm: options.algorithm,
        parameters: {
          k: options.k,
          asOf,
          rules: options.rules,
          target,
          weights,
          rp3beta: { beta: rp3betaBeta },
          weighting: { kind: "decay", halfLifeDays: 180 },
        },
        dataSnapshot: {
          customers: data.customers.length,
          products: history.catalogue.size,
          purchases: history.purchases.length,
          asOf,
        },
        metrics: { splitDate, horizonDays, k: BACKTEST_K, results: backtest },
        status: "succeeded",
        startedAt: new Date(started),
      })
      .returning({ id: recommendationRuns.id });
    await storeSegments(tx, tenantId, segments);
    const replaced = isEveryone(target) ? null : data.customers.filter((_, u) => targeted(u));
    await tx.execute(
      sql`delete from recommendations where tenant_id = ${tenantId}::uuid and campaign_id is null and status = 'pending'
          and (${replaced === null} or customer_id = any(${arrayParam(replaced ?? [], "uuid")}))`,
    );
    // Written as they are made, a statement per few thousand: 20,000 customers' top 50 held at
    // once (a million rows and their explanations) took 7 GB and more than PGlite could take.
    const batch = new RecommendationBatch(tx, tenantId, run!.id);
    let customers = 0;
    let recommendations = 0;
    for (let u = 0; u < data.customers.length; u++) {
      if (!targeted(u)) continue;
      const kept = listFor(u);
      if (kept.length > 0) customers++;
      recommendations += kept.length;
      for (const [rank, s] of kept.entries()) {
        const { confidence, explanation } = presentRecommendation(trained, u, s, history.catalogue);
        await batch.add({
          customerId: data.customers[u]!,
          productId: data.items[s.item]!,
          algorithm: s.source,
          score: s.score,
          confidence,
          rank: rank + 1,
          explanation: JSON.stringify(explanation),
        });
      }
    }
    await batch.flush();
    const durationMs = now().getTime() - started;
    await tx
      .update(recommendationRuns)
      .set({ finishedAt: now(), durationMs })
      .where(eq(recommendationRuns.id, run!.id));
    return {
      runId: run!.id,
      algorithm: options.algorithm,
      asOf,
      customers,
      recommendations,
      weights,
      tiers: Object.fromEntries(
        [...segments.values()].reduce(
          (counts, s) => counts.set(s.tier, (counts.get(s.tier) ?? 0) + 1),
          new Map<string, number>(),
        ),
      ),
      durationMs,
    };
  });
  await refreshPlannerStatistics(db, ["recommendations", "customer_segments"]);
  return summary;
}

interface RecommendationRow {
  customerId: string;
  productId: string;
  algorithm: string;
  score: number;
  confidence: number;
  rank: number;
  explanation: string;
}

/** Recommendations of one run, inserted a few thousand at a time (one statement each). */
class RecommendationBatch {
  static readonly SIZE = 5000;
  private rows: RecommendationRow[] = [];
  private readonly db: Db | Tx;
  private readonly tenantId: string;
  private readonly runId: string;

  constructor(db: Db | Tx, tenantId: string, runId: string) {
    this.db = db;
    this.tenantId = tenantId;
    this.runId = runId;
  }

  async add(row: RecommendationRow): Promise<void> {
    this.rows.push(row);
    if (this.rows.length >= RecommendationBatch.SIZE) await this.flush();
  }

  async flush(): Promise<void> {
    const rows = this.rows;
    if (rows.length === 0) return;
    this.rows = [];
    const col = <K extends keyof RecommendationRow>(key: K, type: string) =>
      arrayParam(
        rows.map((r) => r[key]),
        type,
      );
    await this.db.execute(
      sql`insert into recommendations (id, tenant_id, run_id, customer_id, product_id, algorithm, score, confidence, customer_quality_score, rank, explanation)
          select gen_random_uuid(), ${this.tenantId}::uuid, ${this.runId}::uuid, u.customer_id, u.product_id, u.algorithm, u.score, u.confidence, c.quality_score, u.rank, u.explanation::jsonb
          from unnest(${col("customerId", "uuid")}, ${col("productId", "uuid")}, ${col("algorithm", "text")}, ${col("score", "float8")}, ${col("confidence", "float8")}, ${col("rank", "int")}, ${col("explanation", "text")})
               as u(customer_id, product_id, algorithm, score, confidence, rank, explanation)
          join customers c on c.id = u.customer_id
          on conflict do nothing`,
    );
  }
}

/** What the campaign rules need to know about an estate as of a date (contacts, rejections, activity). */
export async function ruleContext(
  db: Db,
  tenantId: string,
  data: Interactions,
  history: History,
  asOf: string,
  /**
   * The day the gap since a customer's last contact is reckoned from: today for a campaign that
   * goes out now (the history's last sale may be days before the last mailing), a day of the
   * past for a run placed there, whose later contacts are not yet made.
   */
  contactsOn: string,
) {
  const asOfDay = dayNumber(asOf);
  const contactsDay = dayNumber(contactsOn);
  // Under the record a merged one now belongs to.
  const contacts = await queryRows<{ customer_id: string; day: string }>(
    db,
    sql`select coalesce(c.merged_into, t.customer_id) as customer_id, max(t.contacted_at)::date::text as day
        from contacts t join customers c on c.id = t.customer_id
        where t.tenant_id = ${tenantId}::uuid and t.contacted_at::date <= ${contactsOn}::date
        group by 1`,
  );
  const lastContact = new Map(contacts.map((c) => [c.customer_id, dayNumber(c.day)]));
  const rejected = await queryRows<{ customer_id: string; product_id: string }>(
    db,
    sql`select coalesce(c.merged_into, r.customer_id) as customer_id, r.product_id
        from recommendations r join customers c on c.id = r.customer_id
        where r.tenant_id = ${tenantId}::uuid and r.status = 'rejected'`,
  );
  const rejectedPairs = new Set(rejected.map((r) => `${r.customer_id}|${r.product_id}`));
  const wines = winesOf(history.catalogue);
  const vintaged = (id: string | undefined) => {
    const product = id === undefined ? undefined : history.catalogue.get(id);
    return product && product.vintage !== null ? { product, wine: wines.get(product.id)! } : null;
  };
  // A wine rejected for a customer ("too dear for her") is not offered again in an older vintage.
  const rejectedWines = new Map<string, number>();
  for (const r of rejected) {
    const v = vintaged(r.product_id);
    if (!v) continue;
    const key = `${r.customer_id}|${v.wine}`;
    rejectedWines.set(key, Math.max(rejectedWines.get(key) ?? -Infinity, v.product.vintage!));
  }
  return {
    asOfDay,
    isActive: (item: number) => history.catalogue.get(data.items[item]!)?.active ?? false,
    daysSinceBought: (u: number, item: number) => {
      const { items } = rowOf(data, u);
      const at = items.indexOf(item);
      return at < 0 ? undefined : asOfDay - data.lastDay[data.rowStart[u]! + at]!;
    },
    daysSinceContact: (u: number) => {
      const day = lastContact.get(data.customers[u]!);
      return day === undefined ? undefined : contactsDay - day;
    },
    wasRejected: (u: number, item: number) => {
      if (rejectedPairs.has(`${data.customers[u]}|${data.items[item]}`)) return true;
      const v = vintaged(data.items[item]);
      const newest = v ? rejectedWines.get(`${data.customers[u]}|${v.wine}`) : undefined;
      return newest !== undefined && v!.product.vintage! <= newest;
    },
    wineOf: (item: number) => vintaged(data.items[item])?.wine ?? null,
    vintageOf: (item: number) => vintaged(data.items[item])?.product.vintage ?? null,
    boughtNewerVintage: (u: number, item: number) => {
      const v = vintaged(data.items[item]);
      return (
        v !== null &&
        rowOf(data, u).items.some((j) => {
          const other = vintaged(data.items[j]);
          return other?.wine === v.wine && other.product.vintage! > v.product.vintage!;
        })
      );
    },
  };
}

/**
 * Which wine each vintage is of: its cuvée (else its name without the year) and its bottle size
 * (a magnum is not the 75 cl's other vintage), accents and case aside. Where vintages of one
 * cuvée name give different appellations or grapes, the name is a range (an Alsace estate's
 * "Réserve": its Riesling and its Gewurztraminer are two wines), told apart by them; a vintage
 * that gives neither (made from a sales line) then stays apart from both.
 */
function winesOf(
  catalogue: ReadonlyMap<
    string,
    {
      id: string;
      cuvee: string | null;
      name: string;
      sizeMl: number | null;
      vintage: number | null;
      appellation: string | null;
      grapes: readonly string[];
    }
  >,
): Map<string, string> {
  const vintages = [...catalogue.values()].filter((p) => p.vintage !== null);
  const baseOf = (p: (typeof vintages)[number]) =>
    `${foldText(p.cuvee ?? p.name.replace(/\b(19|20)\d{2}\b/g, ""))}|${p.sizeMl ?? ""}`;
  const signatureOf = (p: (typeof vintages)[number]) =>
    p.appellation || p.grapes.length > 0
      ? `${foldText(p.appellation ?? "")}|${p.grapes.map(foldText).sort().join("+")}`
      : "";
  const signatures = new Map<string, Set<string>>();
  for (const p of vintages) {
    const signature = signatureOf(p);
    if (!signature) continue;
    const base = baseOf(p);
    signatures.set(base, (signatures.get(base) ?? new Set()).add(signature));
  }
  return new Map(
    vintages.map((p) => {
      const base = baseOf(p);
      const ranged = (signatures.get(base)?.size ?? 0) > 1;
      return [p.id, ranged ? `${base}|${signatureOf(p) || "?"}` : base];
    }),
  );
}

/**
 * What staff see of one recommendation: its confidence (the backtest's purchase rate for that
 * score, times how much history backs the customer's list) and its FR/EN explanation naming the
 * purchases it rests on.
 */
export function presentRecommendation(
  trained: Trained,
  u: number,
  s: Scored & { source: string },
  /** The estate's wines by id: their names, and their attributes for what two wines share. */
  catalogue: ReadonlyMap<string, ItemAttributes & { name: string }>,
) {
  const { data } = trained;
  const bought = rowOf(data, u);
  const wine = (i: number) => (data.items[i] ? catalogue.get(data.items[i]!) : undefined);
  const explanation = explain(s, {
    name: (i) => wine(i)?.name ?? data.items[i] ?? "?",
    shared: (a, b) => {
      const [x, y] = [wine(a), wine(b)];
      return x && y ? sharedTraits(x, y) : undefined;
    },
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
  return {
    confidence: Math.round(trained.calibrate(s.score) * evidenceOf(data, u) * 1000) / 1000,
    explanation: { ...explanation, because: s.because.map((b) => data.items[b.item]) },
  };
}
