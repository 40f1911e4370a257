import { describe, expect, it } from "vitest";
import type { Purchase } from "./interactions.ts";
import { NO_ATTRIBUTES } from "./item-attributes.ts";
import { fitRepeat } from "./repeat.ts";
import { buildInteractions } from "./interactions.ts";
import { fitRp3beta } from "./rp3beta.ts";
import {
  algorithms,
  BACKTEST_K,
  evidenceOf,
  repurchaseShare,
  RP3BETA_BETAS,
  trainRecommender,
} from "./train.ts";

/** Deterministic numbers in [0, 1) (a linear congruential generator): fixtures that never move. */
function pseudoRandom(seed: number) {
  return () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

/**
 * A small estate with structure a recommender can learn: three circles of customers, each buying
 * within its own four wines, month after month for two years (deterministic pseudo-random picks).
 * One best seller (W0) is bought by everyone now and then, so popularity is a real baseline.
 */
function circles(): Purchase[] {
  const out: Purchase[] = [];
  const next = pseudoRandom(7);
  for (let c = 0; c < 60; c++) {
    const circle = c % 3;
    for (let month = 0; month < 24; month++) {
      if (next() < 0.5) continue;
      const date = `${2023 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, "0")}-15`;
      const wine = next() < 0.2 ? "W0" : `C${circle}-${Math.floor(next() * 4)}`;
      out.push({
        customerId: `cust${c}`,
        itemId: wine,
        date,
        quantity: 1 + Math.floor(next() * 6),
      });
    }
  }
  return out;
}
const describeItem = (id: string) => ({ ...NO_ATTRIBUTES, active: true, cuvee: id });

describe("trainRecommender", () => {
  const purchases = circles();
  const trained = trainRecommender(purchases, {
    algorithm: "hybrid",
    asOf: "2024-12-31",
    describe: describeItem,
  });

  it("backtests every model in both protocols, at k = 10, on the 180 days before the as-of date", () => {
    expect(trained.splitDate).toBe("2024-07-04");
    expect(trained.horizonDays).toBe(180);
    const seen = trained.backtest.map((r) => `${r.algorithm}/${r.protocol}/${r.k}`);
    for (const algorithm of algorithms)
      for (const protocol of ["all", "new"])
        expect(
          seen.some(
            (s) => s.startsWith(`${algorithm}`) && s.includes(`/${protocol}/${BACKTEST_K}`),
          ),
          `${algorithm}/${protocol}`,
        ).toBe(true);
  });

  it("backtests a history of a few months on its last third (no 180 days to hold out)", () => {
    // Four months of the circles: 15 September to 15 December, as of 31 December (107 days).
    const recent = purchases.filter((p) => p.date >= "2024-09-01");
    const short = trainRecommender(recent, {
      algorithm: "hybrid",
      asOf: "2024-12-31",
      describe: describeItem,
    });
    expect(short.splitDate).toBe("2024-11-26"); // 31 December − ⌊107 / 3⌋ days
    // Confidence then measures a purchase within those 35 days, not 180.
    expect(short.horizonDays).toBe(35);
    const ndcg = (name: string) =>
      short.backtest.find((r) => r.algorithm.startsWith(name) && r.protocol === "all")!.ndcg;
    expect(ndcg("hybrid")).toBeGreaterThan(ndcg("popularity"));
  });

  it("chooses a blend that beats popularity on the backtest, and proposes each circle's wines", () => {
    const ndcg = (name: string) =>
      trained.backtest.find((r) => r.algorithm.startsWith(name) && r.protocol === "all")!.ndcg;
    expect(ndcg("hybrid")).toBeGreaterThan(ndcg("popularity"));
    expect(Object.values(trained.weights!).some((w) => w > 0)).toBe(true);
    const u = trained.data.customers.indexOf("cust4"); // circle 1
    const top = trained.model.recommendWithSources(u, 3).map((s) => trained.data.items[s.item]);
    expect(top.filter((id) => id!.startsWith("C1-")).length).toBeGreaterThanOrEqual(2);
  });

  it("calibrates scores to probabilities: between 0 and 1, never lower for a higher score", () => {
    const scores = [0, 0.001, 0.01, 0.02, 0.05, 0.1, 1, 10];
    const rates = scores.map((s) => trained.calibrate(s));
    for (const r of rates) expect(r).toBeGreaterThanOrEqual(0);
    for (const r of rates) expect(r).toBeLessThanOrEqual(1);
    for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeGreaterThanOrEqual(rates[i - 1]!);
  });

  it("is deterministic, and uses nothing after the as-of date", () => {
    const later = [
      ...purchases,
      { customerId: "cust4", itemId: "C2-0", date: "2025-03-01", quantity: 9 },
    ];
    const again = trainRecommender(later, {
      algorithm: "hybrid",
      asOf: "2024-12-31",
      describe: describeItem,
    });
    expect(again.weights).toEqual(trained.weights);
    expect(again.backtest).toEqual(trained.backtest);
    const u = trained.data.customers.indexOf("cust4");
    expect(again.model.recommendWithSources(u, 5)).toEqual(
      trained.model.recommendWithSources(u, 5),
    );
  });

  it("judges the blend on the same season a year earlier once two years of history come before the as-of date", () => {
    // The same history, 2023-01 to 2024-12, seen from mid-2025: 29 months back, so the backtest
    // judges July to December 2024 for recommendations made for July to December 2025.
    const later = trainRecommender(purchases, {
      algorithm: "hybrid",
      asOf: "2025-06-30",
      describe: describeItem,
    });
    expect(later.splitDate).toBe("2024-06-30");
    expect(later.horizonDays).toBe(180); // a year held out, judged on its first 180 days
    expect(later.backtest.length).toBeGreaterThan(0);
    // 2023-01 to 2024-12 seen from its end: under two years, so the last 180 days.
    expect(trained.splitDate).toBe("2024-07-04");
  });

  it("fits the backtest on a sample of customers' histories when asked, the final models on everyone's", () => {
    const options = { algorithm: "hybrid" as const, asOf: "2024-12-31", describe: describeItem };
    const judged = (t: typeof trained) => t.backtest.find((r) => r.protocol === "all")!.customers;
    // 60 customers: a limit at or above it changes nothing.
    const everyone = trainRecommender(purchases, { ...options, backtestHistoryCustomers: 60 });
    expect(everyone.backtest).toEqual(trained.backtest);
    const sampled = trainRecommender(purchases, { ...options, backtestHistoryCustomers: 15 });
    expect(judged(sampled)).toBeGreaterThan(0);
    expect(judged(sampled)).toBeLessThanOrEqual(15);
    expect(judged(trained)).toBeGreaterThan(15);
    expect(sampled.data.customers).toEqual(trained.data.customers);
  });

  it.each(algorithms.filter((a) => a !== "hybrid"))(
    "trains %s alone, without a blend, each item with its source and reasons",
    (algorithm) => {
      // Each circle's four wines as four vintages of one red cuvée, for content and rebuy.
      const describeWine = (id: string) => ({
        ...describeItem(id),
        cuvee: id.split("-")[0]!,
        color: "red",
        vintage: 2020 + Number(id.split("-")[1] ?? 0),
      });
      const single = trainRecommender(purchases, {
        algorithm,
        asOf: "2024-12-31",
        describe: describeWine,
      });
      expect(single.weights).toBeNull();
      const list = single.data.customers.flatMap((_, u) => single.model.recommendWithSources(u, 3));
      expect(list.length).toBeGreaterThan(0);
      for (const s of list) {
        expect(s.source).toBe(algorithm);
        // The reasons an explanation reads (a lazily explained item's are a getter, easy to drop).
        expect(Array.isArray(s.because)).toBe(true);
      }
    },
  );
});

/**
 * 400 customers in 20 circles of four niche wines: each buys two of their circle's in 2023, some
 * of six best sellers in early 2024, and a third wine of their circle in the autumn. The best
 * sellers, bought with everything, hide the niche wines unless their popularity is held back.
 */
function bestSellersHideNiches(): Purchase[] {
  const out: Purchase[] = [];
  const next = pseudoRandom(11);
  for (let c = 0; c < 400; c++) {
    const circle = c % 20;
    const first = Math.floor(next() * 4);
    const buy = (itemId: string, date: string) =>
      out.push({ customerId: `c${c}`, itemId, date, quantity: 1 });
    buy(`N${circle}-${first}`, "2023-03-10");
    buy(`N${circle}-${(first + 1) % 4}`, "2023-09-10");
    for (let p = 0; p < 6; p++) if (next() < 0.5) buy(`P${p}`, `2024-0${1 + (p % 5)}-20`);
    buy(`N${circle}-${(first + 2) % 4}`, "2024-10-15");
  }
  return out;
}

describe("the repurchase model in the blend", () => {
  const line = (customerId: string, itemId: string, date: string): Purchase => ({
    customerId,
    itemId,
    date,
    quantity: 1,
  });
  const matrix = (purchases: Purchase[]) =>
    buildInteractions(purchases, { asOf: "2025-12-31", weighting: { kind: "binary" } });

  it.each([
    ["nobody buys a wine twice", [line("a", "W1", "2025-01-01"), line("a", "W2", "2025-02-01")], 0],
    [
      "one of four purchases repeats",
      [
        line("a", "W1", "2025-01-01"),
        line("a", "W1", "2025-03-01"),
        line("b", "W1", "2025-01-01"),
        line("b", "W2", "2025-01-01"),
      ],
      0.25,
    ],
    ["no purchases", [], 0],
  ])("measures the share of repurchases: %s", (_, purchases, share) => {
    expect(repurchaseShare(matrix(purchases))).toBeCloseTo(share, 12);
  });

  it("is left out of the blend where almost nothing is bought twice, and a thin backtest cannot tell", () => {
    // Five customers, each a different wine every month: what they have is never what they buy.
    const purchases: Purchase[] = [];
    for (let c = 0; c < 5; c++)
      for (let month = 0; month < 24; month++)
        purchases.push(
          line(
            `c${c}`,
            `W${(c * 7 + month) % 40}`,
            `${2024 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, "0")}-10`,
          ),
        );
    const trained = trainRecommender(purchases, {
      algorithm: "hybrid",
      asOf: "2025-12-31",
      describe: describeItem,
    });
    expect(trained.weights!.repeat).toBe(0);
    expect(trained.weights!.itemknn).toBe(1);
  });
});

describe("RP3beta's popularity penalty", () => {
  const options = { asOf: "2024-12-31", describe: describeItem };

  it("is chosen on the backtest when a stronger one is clearly better, and the final model uses it", () => {
    const trained = trainRecommender(bestSellersHideNiches(), { ...options, algorithm: "rp3beta" });
    expect(RP3BETA_BETAS).toContain(trained.rp3betaBeta);
    expect(trained.rp3betaBeta).toBeGreaterThan(0.5);
    const direct = fitRp3beta(trained.data, { beta: trained.rp3betaBeta });
    const usual = fitRp3beta(trained.data, { beta: 0.5 });
    const { data } = trained;
    const top4 = (model: { recommend: typeof direct.recommend }, u: number) =>
      model.recommend(u, 4).map((s) => data.items[s.item]!);
    for (let u = 0; u < data.customers.length; u += 37)
      expect(top4(trained.model, u)).toEqual(top4(direct, u));
    // Held back, the best sellers leave the top of more lists to the customer's circle.
    const ownCircleFirst = (model: typeof direct) =>
      data.customers.filter((customer, u) => {
        const circle = `N${Number(customer.slice(1)) % 20}-`;
        return top4(model, u).every((id) => id.startsWith(circle));
      }).length;
    expect(ownCircleFirst(direct)).toBeGreaterThan(ownCircleFirst(usual));
  });

  it("stays at 0.5 when the backtest cannot tell the penalties apart", () => {
    const trained = trainRecommender(circles(), { ...options, algorithm: "hybrid" });
    expect(trained.rp3betaBeta).toBe(0.5);
  });
});

describe("trainRecommender with a catalogue", () => {
  it("proposes a new vintage nobody has bought yet to the customers of its cuvée", () => {
    const wine = (cuvee: string, vintage: number) => ({
      active: true,
      cuvee,
      color: "red",
      appellation: "Alsace",
      grapes: ["pinot noir"],
      priceInclTax: 20,
      vintage,
      sizeMl: 750,
    });
    const catalogue: Record<string, ReturnType<typeof wine>> = {
      "PN-2021": wine("PN", 2021),
      "PN-2023": wine("PN", 2023),
      "CR-2022": { ...wine("CR", 2022), color: "white" },
    };
    const purchases: Purchase[] = [
      { customerId: "a", itemId: "PN-2021", date: "2024-03-01", quantity: 6 },
      { customerId: "b", itemId: "CR-2022", date: "2024-04-01", quantity: 6 },
      { customerId: "c", itemId: "PN-2021", date: "2024-05-01", quantity: 2 },
      { customerId: "c", itemId: "CR-2022", date: "2024-05-01", quantity: 2 },
    ];
    const trained = trainRecommender(purchases, {
      algorithm: "rebuy",
      asOf: "2024-12-31",
      describe: (id) => catalogue[id],
      catalogue: Object.keys(catalogue),
    });
    const top = (customer: string) =>
      trained.model
        .recommendWithSources(trained.data.customerIndex.get(customer)!, 3)
        .map((s) => trained.data.items[s.item]);
    expect(top("a")).toEqual(["PN-2023"]);
    expect(top("b")).toEqual([]);
    const without = trainRecommender(purchases, {
      algorithm: "rebuy",
      asOf: "2024-12-31",
      describe: (id) => catalogue[id],
    });
    expect(without.data.items).not.toContain("PN-2023");
  });
});

describe("fitRepeat and evidenceOf", () => {
  const data = buildInteractions(
    [
      { customerId: "a", itemId: "X", date: "2024-01-01", quantity: 1 },
      { customerId: "a", itemId: "Y", date: "2024-06-01", quantity: 1 },
      { customerId: "a", itemId: "Y", date: "2024-09-01", quantity: 1 },
      { customerId: "b", itemId: "Z", date: "2024-09-01", quantity: 1 },
    ],
    { asOf: "2024-12-31", weighting: { kind: "decay", halfLifeDays: 180 } },
  );

  it("ranks a customer's own wines by decayed weight, and never proposes anything new", () => {
    const list = fitRepeat(data).recommend(0, 5);
    expect(list.map((s) => data.items[s.item])).toEqual(["Y", "X"]);
    expect(
      fitRepeat(data)
        .recommend(0, 5, new Set([data.items.indexOf("Y")]))
        .map((s) => data.items[s.item]),
    ).toEqual(["X"]);
  });

  it("grows with the number of products bought, up to 1 from three on", () => {
    expect(evidenceOf(data, 1)).toBeCloseTo(Math.sqrt(1 / 3), 10);
    expect(evidenceOf(data, 0)).toBeCloseTo(Math.sqrt(2 / 3), 10);
  });
});
