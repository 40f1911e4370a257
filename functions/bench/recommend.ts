// npm run bench:recommend — training and top-10 for every customer on generated histories of
// 10k to 100k customers (1,000 wines, 20 order lines per customer: 2M lines at 100k), each size in
// its own process for its peak memory, then 100k customers with a 20,000-product catalogue (a
// merchant's, not an estate's: what the item × item models cost when the catalogue is large). Not
// a test: it measures. Results go to docs/benchmarks.md.
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { recordFigure } from "./figures.ts";

const SIZES = (process.env.BENCH_SIZES ?? "10000,30000,100000").split(",").map(Number);
const LARGE_CATALOGUE = Number(process.env.BENCH_LARGE_CATALOGUE ?? 20_000); // 0: skipped
const RUNS = [
  ...SIZES.map((customers) => ({ customers, products: 1000 })),
  ...(LARGE_CATALOGUE > 0 ? [{ customers: Math.max(...SIZES), products: LARGE_CATALOGUE }] : []),
];
const child = join(import.meta.dirname, "recommend-child.ts");
const pinned = spawnSync("taskset", ["-c", "0", "true"]).status === 0 ? ["taskset", "-c", "0"] : [];
console.log(pinned.length ? "pinned to one core (taskset -c 0)" : "not pinned: no taskset here");
console.log(
  "| customers | products | order lines | fit (backtest, blend, calibration, refit) | top-10 for everyone | total | peak RSS | of which the generated history |",
);
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const { customers, products } of RUNS) {
  // The target is for one core: the child is pinned to one (V8's GC and compiler threads included)
  // where `taskset` exists.
  const [command, ...args] = [
    ...pinned,
    process.execPath,
    child,
    String(customers),
    String(products),
  ];
  const out = execFileSync(command!, args, { encoding: "utf8" });
  const r = JSON.parse(out.trim().split("\n").pop()!);
  console.log(
    `| ${customers.toLocaleString("en")} | ${products.toLocaleString("en")} | ${r.lines.toLocaleString("en")} | ${r.fitS.toFixed(1)} s | ${r.topKS.toFixed(1)} s | ${r.totalS.toFixed(1)} s | ${Math.round(r.maxRssMb)} MB | ${Math.round(r.generatedRssMb)} MB |`,
  );
  console.log(`|   | | blend chosen by the backtest: ${JSON.stringify(r.weights)} | | | | | |`);
  console.log(
    `|   | | the same fit, top-10 with all seven models blended | | ${r.everyModelTopKS.toFixed(1)} s | ${r.everyModelTotalS.toFixed(1)} s | ${Math.round(r.everyModelMaxRssMb)} MB (a second set of models fitted for it) | |`,
  );
  // The targets are stated for 100k customers and 2M order lines; smaller sizes show the trend.
  // They are judged on the heavier of the chosen blend and the blend of every model.
  const atTarget = customers === 100_000 && products === 1000;
  const worstS = Math.max(r.totalS, r.everyModelTotalS);
  recordFigure({
    bench: "recommend",
    measure: `train + top-10, ${customers.toLocaleString("en")} customers${products === 1000 ? "" : ` × ${products.toLocaleString("en")} products`} (${r.lines.toLocaleString("en")} lines)`,
    result: `${r.totalS.toFixed(1)} s with the chosen blend, ${r.everyModelTotalS.toFixed(1)} s with every model; peak RSS ${Math.round(r.maxRssMb)} MB`,
    ...(atTarget
      ? { target: "< 20 s on one core, < 2 GB", met: worstS < 20 && r.maxRssMb < 2048 }
      : { met: null }),
  });
}
