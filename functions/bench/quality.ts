// npm run bench:quality — recommendation quality measured as a user would: import the history
// before a split date with the CLI, `recommend --rules off --k 50`, export, and score NDCG@10 on
// what customers bought after the date, against references tuned on that same test period
// (popularity, ItemKNN, RP3beta, EASE: the strongest settings of a grid, an optimistic bar).
// Reads the public data sets of ../shared/data when present; not a test.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Papa from "papaparse";
import {
  buildInteractions,
  customerList,
  fitEase,
  fitItemKnn,
  fitPopularity,
  fitRp3beta,
  type Interactions,
  type Model,
  type Purchase,
  rankingMetrics,
  type SellableItem,
  trainRecommender,
  type Weighting,
} from "@crm-reco/core";
import { sql } from "drizzle-orm";
import { queryRows } from "../src/adapters/db/database.ts";
import { openPglite } from "../src/adapters/db/pglite.ts";
import { main } from "../src/cli/main.ts";
import { prng } from "../src/demo/demo-estate.ts";
import { keysOf, loadHistory, skuOf } from "../src/recommend/load-history.ts";
import { recordFigure } from "./figures.ts";

interface DataSet {
  name: string;
  file: string;
  splitDate: string;
  customer: string;
  item: string;
  date: string;
  /** The quantity column, as the import maps it; none: every line counts 1 (as its mapping says). */
  quantity?: string;
  /** The file's date order, to find each row's ISO date. */
  dateOrder: "dmy" | "mdy";
  mapping?: object;
}

const shared = join(import.meta.dirname, "../../../shared/data");
const dataSets: DataSet[] = [
  {
    name: "Superstore (EU file)",
    file: join(shared, "superstore/superstore_eu_semicolon_abosalehtamim.csv"),
    splitDate: "2021-07-01",
    customer: "Customer ID",
    item: "Product ID",
    date: "Order Date",
    quantity: "Quantity",
    dateOrder: "dmy",
  },
  {
    name: "Groceries",
    file: join(shared, "groceries/Groceries_dataset.csv"),
    splitDate: "2015-10-01",
    customer: "Member_number",
    item: "itemDescription",
    date: "Date",
    dateOrder: "dmy",
    mapping: {
      entity: "order_lines",
      fields: {
        document_number: {
          column: "Date",
          transforms: [{ kind: "concat", columns: ["Member_number", "Date"], separator: "-" }],
        },
        order_date: "Date",
        customer_external_id: "Member_number",
        product_sku: "itemDescription",
        product_name: "itemDescription",
        quantity: { column: "Date", transforms: [{ kind: "constant", value: "1" }] },
      },
    },
  },
];

const K = 10;
const SHUFFLES = 20;
const only = process.env.QUALITY_SETS?.split(",");

/** Runs the CLI as a user would, its output hidden. */
async function quiet(argv: string[]) {
  const write = process.stdout.write;
  process.stdout.write = () => true;
  try {
    const code = await main(argv);
    if (code !== 0) throw new Error(`crm-reco ${argv.join(" ")} exited with ${code}`);
  } finally {
    process.stdout.write = write;
  }
}

for (const set of dataSets) {
  if (only && !only.some((o) => set.name.toLowerCase().includes(o))) continue;
  if (!existsSync(set.file)) {
    console.log(`${set.name}: ${set.file} not found, skipped`);
    recordFigure({
      bench: "quality",
      measure: `${set.name}, NDCG@10`,
      result: `not run: ${set.file} not found (the public data sets live in ../shared/data)`,
      met: null,
    });
    continue;
  }
  const text = readFileSync(set.file, "utf8").replace(/^\uFEFF/, "");
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const iso = (d: string) => {
    const [a, b, y] = d.split(/[/-]/);
    const [day, month] = set.dateOrder === "dmy" ? [a!, b!] : [b!, a!];
    return `${y!.length === 2 ? `20${y}` : y}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  };
  const rows = parsed.data.map((r) => ({ row: r, date: iso(r[set.date]!) }));
  const trainRows = rows.filter((r) => r.date < set.splitDate);
  const testRows = rows.filter((r) => r.date >= set.splitDate);

  const dir = mkdtempSync(join(tmpdir(), "crm-reco-quality-"));
  try {
    const trainFile = join(dir, "train.csv");
    writeFileSync(
      trainFile,
      Papa.unparse(
        trainRows.map((r) => r.row),
        { delimiter: parsed.meta.delimiter, columns: parsed.meta.fields },
      ),
    );
    const common = ["--data-dir", join(dir, "data")];
    const mappingArgs: string[] = [];
    if (set.mapping) {
      writeFileSync(join(dir, "mapping.json"), JSON.stringify(set.mapping));
      mappingArgs.push("--mapping", join(dir, "mapping.json"));
    }
    const started = performance.now();
    let imported = started;
    let recommended = started;
    const lists = new Map<string, Array<{ rank: number; sku: string }>>();
    // QUALITY_FAST=1: the same training in memory, without the database (for tuning).
    if (!process.env.QUALITY_FAST) {
      await quiet([
        "import",
        trainFile,
        "--entity",
        "order_lines",
        "--source",
        "quality",
        ...mappingArgs,
        ...common,
      ]);
      imported = performance.now();
      await quiet(["recommend", "--rules", "off", "--k", "50", ...common]);
      recommended = performance.now();
      const exported = join(dir, "export.csv");
      await quiet(["export", "recommendations", "--out", exported, "--status", "all", ...common]);
      for (const r of Papa.parse<Record<string, string>>(
        readFileSync(exported, "utf8").replace(/^\uFEFF/, ""),
        { header: true, skipEmptyLines: true },
      ).data) {
        const list = lists.get(r.customer_external_id!) ?? [];
        list.push({ rank: Number(r.rank), sku: r.product_sku! });
        lists.set(r.customer_external_id!, list);
      }
    }

    // The same split, in memory, for the references.
    const purchases = (list: typeof rows): Purchase[] =>
      list.map((r) => ({
        customerId: r.row[set.customer]!.trim(),
        itemId: r.row[set.item]!.trim(),
        date: r.date,
        // What the import reads, so that QUALITY_FAST=1 trains on what the CLI does.
        quantity: set.quantity ? Number(r.row[set.quantity]!.replace(",", ".")) : 1,
      }));
    const train = purchases(trainRows);
    const test = purchases(testRows);
    if (process.env.QUALITY_FAST) for (const [c, list] of rankInMemory(train)) lists.set(c, list);
    judge({
      name: set.name,
      splitDate: set.splitDate,
      train,
      test,
      lists,
      how: process.env.QUALITY_FAST ? "in memory" : "CLI",
      timings: `import ${((imported - started) / 1000).toFixed(1)} s, recommend ${((recommended - imported) / 1000).toFixed(1)} s`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
// The demo estate, always there (generated by our code): loaded as `crm-reco demo load` does
// (its exports imported, customers resolved across sources, the products' attributes), then
// trained in memory as `crm-reco recommend --as-of` would on the history before the split.
if (!only || only.includes("demo")) {
  const dir = mkdtempSync(join(tmpdir(), "crm-reco-quality-demo-"));
  try {
    const started = performance.now();
    // Its sales end on a fixed day, so that runs months apart score the same history.
    await quiet(["demo", "load", "--until", "2026-10-31", "--data-dir", dir]);
    const db = await openPglite({ dataDir: join(dir, "pglite") });
    const [tenant] = await queryRows<{ id: string }>(db.db, sql`select id from tenants limit 1`);
    const history = await loadHistory(db.db, tenant!.id);
    await db.close();
    const loaded = performance.now();
    // The last six months held out (183 days before the latest order).
    const splitDate = new Date(Date.parse(history.latestOrderDate!) - 183 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const train = history.purchases.filter((p) => p.date.slice(0, 10) < splitDate);
    const test = history.purchases.filter((p) => p.date.slice(0, 10) >= splitDate);
    const lists = rankInMemory(
      train,
      (id) => history.catalogue.get(id),
      history.catalogue.keys(),
      keysOf(history),
    );
    judge({
      name: "Demo estate",
      splitDate,
      train,
      test,
      lists,
      how: "in memory",
      itemKey: skuOf(history),
      timings: `demo load ${((loaded - started) / 1000).toFixed(1)} s, recommend ${((performance.now() - loaded) / 1000).toFixed(1)} s`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The hybrid trained in memory as a run does it, with no rules: every customer's top 50. */
function rankInMemory(
  train: Purchase[],
  describe: (id: string) => SellableItem | undefined = () => undefined,
  catalogue?: Iterable<string>,
  keys: { itemKey?: (id: string) => string; customerKey?: (id: string) => string } = {},
) {
  const trained = trainRecommender(train, {
    algorithm: "hybrid",
    asOf: train.reduce((max, p) => (p.date > max ? p.date : max), ""),
    describe,
    catalogue,
    ...keys,
  });
  console.log("weights", JSON.stringify(trained.weights));
  const lists = new Map<string, Array<{ rank: number; sku: string }>>();
  // As `recommend --rules off --k 50` does.
  for (const [customer, u] of trained.data.customerIndex) {
    lists.set(
      customer,
      customerList(trained.model.recommend, trained.data, u, 50).map((s, rank) => ({
        rank: rank + 1,
        sku: trained.data.items[s.item]!,
      })),
    );
  }
  return lists;
}

/**
 * NDCG@10 of a ranking against the references tuned on the test period, both protocols; printed
 * and recorded. `lists`: each customer's recommendations (sku, rank) as the ranking gave them.
 */
function judge(options: {
  name: string;
  splitDate: string;
  train: Purchase[];
  test: Purchase[];
  lists: Map<string, Array<{ rank: number; sku: string }>>;
  /** How the ranking was made: "CLI" or "in memory". */
  how: string;
  timings: string;
  /** What the references number items by, as runs do (see `buildInteractions`). */
  itemKey?: (id: string) => string;
}) {
  const { train, lists } = options;
  const trainEnd = train.reduce((max, p) => (p.date > max ? p.date : max), "");
  const futureOf = (test: Purchase[]) => {
    const future = new Map<string, Set<string>>();
    for (const p of test)
      future.set(p.customerId, (future.get(p.customerId) ?? new Set()).add(p.itemId));
    return future;
  };
  const future = futureOf(options.test);
  const bought = new Map<string, Set<string>>();
  for (const p of train)
    bought.set(p.customerId, (bought.get(p.customerId) ?? new Set()).add(p.itemId));

  const ndcg = (
    protocol: "all" | "new",
    ranked: (customer: string, exclude: Set<string>) => string[],
    against = future,
  ) => {
    let sum = 0;
    let counted = 0;
    for (const [customer, items] of against) {
      const had = bought.get(customer);
      if (!had) continue; // cold customers are out of this protocol
      const relevant = protocol === "all" ? items : new Set([...items].filter((i) => !had.has(i)));
      if (relevant.size === 0) continue;
      const list = ranked(customer, protocol === "new" ? had : new Set())
        .filter((i) => protocol === "all" || !had.has(i))
        .slice(0, K);
      const index = new Map([...new Set([...list, ...relevant])].map((s, n) => [s, n]));
      sum += rankingMetrics(
        list.map((s) => index.get(s)!),
        new Set([...relevant].map((s) => index.get(s)!)),
        K,
      ).ndcg;
      counted++;
    }
    return { ndcg: counted ? sum / counted : 0, customers: counted };
  };
  // The customers judged: those who bought after the split and have a history before it.
  const judged = [...future.keys()].filter((c) => bought.has(c));
  const ourRanking = (c: string) =>
    (lists.get(c) ?? []).sort((a, b) => a.rank - b.rank).map((e) => e.sku);
  const ours = (["all", "new"] as const).map((protocol) => ndcg(protocol, ourRanking));

  const references: Array<{
    family: string;
    settings: string;
    weighting: Weighting;
    fit: (d: Interactions) => Model;
  }> = [];
  const weightings: Weighting[] = [
    { kind: "binary" },
    { kind: "log" },
    { kind: "decay", halfLifeDays: 180 },
    { kind: "decay", halfLifeDays: 365 },
  ];
  for (const weighting of weightings) {
    references.push({ family: "popularity", settings: "", weighting, fit: fitPopularity });
    for (const similarity of ["cosine", "bm25"] as const)
      for (const neighbours of [20, 100, 500])
        for (const shrink of [0, 10, 100])
          references.push({
            family: "itemknn",
            settings: `${similarity} nn=${neighbours} shrink=${shrink}`,
            weighting,
            fit: (d) => fitItemKnn(d, { similarity, neighbours, shrink }),
          });
    for (const alpha of [0.5, 1])
      for (const beta of [0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9])
        for (const neighbours of [50, 200])
          references.push({
            family: "rp3beta",
            settings: `α=${alpha} β=${beta} nn=${neighbours}`,
            weighting,
            fit: (d) => fitRp3beta(d, { alpha, beta, neighbours }),
          });
    for (const lambda of [10, 50, 200, 1000])
      references.push({
        family: "ease",
        settings: `λ=${lambda}`,
        weighting,
        fit: (d) => fitEase(d, { lambda }),
      });
  }
  const matrices = new Map<string, Interactions>();
  const best = new Map<string, { all: number; new: number; allAt: string; newAt: string }>();
  type Ranking = (customer: string, exclude: Set<string>) => string[];
  const grid: Ranking[] = [];
  const top = {
    all: { ndcg: -1, rank: ourRanking as Ranking },
    new: { ndcg: -1, rank: ourRanking as Ranking },
  };
  const topPopularity = {
    all: { ndcg: -1, rank: ourRanking as Ranking },
    new: { ndcg: -1, rank: ourRanking as Ranking },
  };
  for (const ref of references) {
    const key = JSON.stringify(ref.weighting);
    if (!matrices.has(key))
      matrices.set(
        key,
        buildInteractions(train, {
          asOf: trainEnd,
          weighting: ref.weighting,
          itemKey: options.itemKey,
        }),
      );
    const data = matrices.get(key)!;
    // Each judged customer's two lists, made once and kept for the draws below whatever future
    // they are judged against. Made in a function of their own, so that nothing kept holds the
    // model (a closure made beside one that uses it would keep it alive).
    const listsOf = topLists(ref.fit(data), data, judged, bought);
    const rank = (customer: string, exclude: Set<string>) =>
      listsOf[exclude.size > 0 ? "new" : "all"].get(customer)!;
    grid.push(rank);
    const [all, fresh] = (["all", "new"] as const).map((p) => ndcg(p, rank).ndcg);
    if (all! > top.all.ndcg) top.all = { ndcg: all!, rank };
    if (fresh! > top.new.ndcg) top.new = { ndcg: fresh!, rank };
    if (ref.family === "popularity" && all! > topPopularity.all.ndcg)
      topPopularity.all = { ndcg: all!, rank };
    if (ref.family === "popularity" && fresh! > topPopularity.new.ndcg)
      topPopularity.new = { ndcg: fresh!, rank };
    const settings = `${ref.settings} ${ref.weighting.kind}${ref.weighting.kind === "decay" ? ref.weighting.halfLifeDays : ""}`;
    const b = best.get(ref.family) ?? { all: -1, new: -1, allAt: "", newAt: "" };
    if (all! > b.all) Object.assign(b, { all, allAt: settings });
    if (fresh! > b.new) Object.assign(b, { new: fresh, newAt: settings });
    best.set(ref.family, b);
  }

  console.log(
    `\n## ${options.name}: split ${options.splitDate}, ${train.length} train lines, ${options.test.length} test lines`,
  );
  console.log(options.timings);
  console.log("| ranking | NDCG@10 all | NDCG@10 new | best settings (all / new) |");
  console.log("|---|---:|---:|---|");
  const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
  for (const [family, b] of best)
    console.log(`| ${family} (tuned) | ${pct(b.all)} | ${pct(b.new)} | ${b.allAt} / ${b.newAt} |`);
  const bestAll = Math.max(...[...best.values()].map((b) => b.all));
  const bestNew = Math.max(...[...best.values()].map((b) => b.new));
  console.log(
    `| **crm-reco hybrid** (${options.how}) | ${pct(ours[0]!.ndcg)} (${(ours[0]!.ndcg / bestAll).toFixed(2)}×) | ${pct(ours[1]!.ndcg)} (${(ours[1]!.ndcg / bestNew).toFixed(2)}×) | customers scored: ${ours[0]!.customers} / ${ours[1]!.customers} |`,
  );
  // Whether a customer's past says anything about what they buy next: the same rankings scored
  // with the test period's purchases dealt out at random among the judged customers, each
  // customer's whole set of purchases moved as it is (a customer may draw their own, one time in
  // as many as there are customers). Nothing changes but which past goes with which future, so a
  // ranking that learnt something about each customer scores lower;
  // one that scores as well there (as a best-seller list does on every draw) learnt nothing
  // personal, and what it beats popularity by on the real customers is luck.
  const random = prng(20_261_203);
  type Side = "all" | "new";
  type Against = Map<string, Set<string>>;
  const rows: Array<[string, (side: Side, against: Against) => number]> = [
    ["hybrid", (side, against) => ndcg(side, ourRanking, against).ndcg],
    ["best reference", (side, against) => ndcg(side, top[side].rank, against).ndcg],
    ["best popularity", (side, against) => ndcg(side, topPopularity[side].rank, against).ndcg],
    // The bar itself, chosen again on each draw: the best of the whole grid against those futures.
    [
      "reference grid, best on each draw",
      (side, against) => Math.max(...grid.map((rank) => ndcg(side, rank, against).ndcg)),
    ],
  ];
  const draws = rows.map(() => ({ all: [] as number[], new: [] as number[] }));
  for (let s = 0; s < SHUFFLES; s++) {
    const sets = judged.map((c) => future.get(c)!);
    for (let i = sets.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [sets[i], sets[j]] = [sets[j]!, sets[i]!];
    }
    const against = new Map(judged.map((c, i) => [c, sets[i]!]));
    rows.forEach(([, score], n) => {
      for (const side of ["all", "new"] as const) draws[n]![side].push(score(side, against));
    });
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const spread = (values: number[]) =>
    `${pct(mean(values))} (${pct(Math.min(...values))}–${pct(Math.max(...values))})`;
  rows.forEach(([name], n) =>
    console.log(
      `| ${name}, futures dealt at random (mean of ${SHUFFLES}, range) | ${spread(draws[n]!.all)} | ${spread(draws[n]!.new)} | |`,
    ),
  );
  const bestOf = (side: "all" | "new") =>
    [...best].reduce((a, b) => (b[1][side] > a[1][side] ? b : a));
  for (const [side, mine, top] of [
    ["all", ours[0]!.ndcg, bestAll],
    ["new", ours[1]!.ndcg, bestNew],
  ] as const)
    recordFigure({
      bench: "quality",
      measure: `${options.name}, NDCG@10, ${side === "all" ? "all products" : "products new to the customer"}`,
      result: `${pct(mine)} (${(mine / top).toFixed(2)} ×)`,
      reference: `best tuned reference: ${pct(top)} (${bestOf(side)[0]})`,
      target: "≥ 1.05 × the reference",
      met: mine >= 1.05 * top,
    });
  const [hybrid, , , bestOfGrid] = draws;
  recordFigure({
    bench: "quality",
    measure: `${options.name}, the same with the customers' futures dealt at random (${SHUFFLES} draws)`,
    result: `hybrid ${pct(mean(hybrid!.all))} / ${pct(mean(hybrid!.new))}; the grid's best ${pct(mean(bestOfGrid!.all))} / ${pct(mean(bestOfGrid!.new))}, at most ${pct(Math.max(...bestOfGrid!.all))} / ${pct(Math.max(...bestOfGrid!.new))}`,
    met: null,
  });
}

/** Each customer's top 10 over all products, and over those they have not bought. */
function topLists(
  model: Model,
  data: Interactions,
  customers: string[],
  bought: Map<string, Set<string>>,
) {
  const top10 = (customer: string, exclude: Set<string>) => {
    const skip = new Set([...exclude].map((s) => data.itemIndex.get(s)!));
    return model
      .recommend(data.customerIndex.get(customer)!, K, skip)
      .map((s) => data.items[s.item]!);
  };
  return {
    all: new Map(customers.map((c) => [c, top10(c, new Set())])),
    new: new Map(customers.map((c) => [c, top10(c, bought.get(c)!)])),
  };
}
