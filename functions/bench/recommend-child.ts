// One recommendation training in its own process, so its peak memory is its own: a generated
// history of C customers × P products (1,000 wines unless given) × 20 lines per customer, trained
// as a run does it (backtest, blend, calibration, refit) then top-10 for every customer. Prints
// one JSON line.
import { fitHybrid, fitModels, fitRp3beta, type Purchase, trainRecommender } from "@crm-reco/core";
import { keepHeapNearLiveSize } from "../src/heap.ts";

keepHeapNearLiveSize(); // as createServices does for every process of ours

const customers = Number(process.argv[2]);
const PRODUCTS = Number(process.argv[3] ?? 1000);
const LINES_PER_CUSTOMER = 20;
const CUVEES = PRODUCTS / 4; // four vintages each
const CIRCLES = PRODUCTS / 25; // customers share tastes within a circle of ~60 wines

let seed = 42;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
const purchases: Purchase[] = [];
const day0 = Date.parse("2022-01-01");
for (let c = 0; c < customers; c++) {
  const circle = c % CIRCLES;
  for (let l = 0; l < LINES_PER_CUSTOMER; l++) {
    // Mostly the circle's wines, some best sellers, some anything.
    const r = random();
    const item =
      r < 0.6
        ? (circle * 25 + Math.floor(random() * 60)) % PRODUCTS
        : r < 0.8
          ? Math.floor(random() * random() * 50)
          : Math.floor(random() * PRODUCTS);
    purchases.push({
      customerId: `C${String(c).padStart(6, "0")}`,
      itemId: `W${String(item).padStart(6, "0")}`,
      date: new Date(day0 + Math.floor(random() * 1095) * 86_400_000).toISOString().slice(0, 10),
      quantity: 1 + Math.floor(random() * 12),
    });
  }
}
const colours = ["red", "white", "rosé", "sparkling"];
const describe = (id: string) => {
  const n = Number(id.slice(1));
  return {
    active: true,
    cuvee: `cuvee-${n % CUVEES}`,
    color: colours[n % 4]!,
    appellation: `AOC-${n % 12}`,
    grapes: [`grape-${n % 9}`],
    priceInclTax: 8 + (n % 40),
    vintage: 2019 + Math.floor(n / CUVEES),
    sizeMl: n % 10 === 0 ? 1500 : 750,
  };
};
const catalogue = Array.from({ length: PRODUCTS }, (_, i) => `W${String(i).padStart(6, "0")}`);
const generatedRssMb = process.memoryUsage().rss / 1e6;

const started = performance.now();
const trained = trainRecommender(purchases, {
  algorithm: "hybrid",
  asOf: "2024-12-31",
  describe,
  catalogue,
});
const fitted = performance.now();
let recommended = 0;
for (let u = 0; u < trained.data.customers.length; u++) {
  for (const s of trained.model.recommendWithSources(u, 10)) {
    trained.calibrate(s.score);
    recommended++;
  }
}
const done = performance.now();
const maxRssMb = process.resourceUsage().maxRSS / 1024;

// Which blend the backtest chooses on this history depends on which customers it judges (from
// popularity alone to four models), and the top-10 stage costs what its models cost: it is timed
// again with all seven models in the blend, the heaviest case, and the target is judged on that.
const models = fitModels(
  trained.data,
  describe,
  fitRp3beta(trained.data, { beta: trained.rp3betaBeta }),
);
const everyModel = fitHybrid(Object.values(models).map((model) => ({ model, weight: 1 })));
const heavyStarted = performance.now();
for (let u = 0; u < trained.data.customers.length; u++)
  for (const s of everyModel.recommendWithSources(u, 10)) trained.calibrate(s.score);
const heavyTopKS = (performance.now() - heavyStarted) / 1000;

process.stdout.write(
  JSON.stringify({
    customers,
    products: PRODUCTS,
    lines: purchases.length,
    fitS: (fitted - started) / 1000,
    topKS: (done - fitted) / 1000,
    totalS: (done - started) / 1000,
    everyModelTopKS: heavyTopKS,
    everyModelTotalS: (fitted - started) / 1000 + heavyTopKS,
    recommended,
    weights: trained.weights,
    generatedRssMb,
    maxRssMb,
    everyModelMaxRssMb: process.resourceUsage().maxRSS / 1024,
  }) + "\n",
);
