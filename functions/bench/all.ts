// npm run bench [-- --only import,preview] — every benchmark in turn, then the report: the figures
// go to docs/benchmarks.json (kept between runs, so `--only` refreshes some and keeps the others)
// and the summary table at the top of docs/benchmarks.md is rewritten from it. The sections below
// the summary (how each benchmark works, where the time goes) are written by hand.
// Not a test: it measures, for minutes (bench:api alone runs wrk for five).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { findPostgresBinDir } from "../test/postgres-server.ts";
import type { Figure } from "./figures.ts";

const BENCHES = ["import", "preview", "recommend", "quality", "lambda", "api", "web"] as const;
const root = join(import.meta.dirname, "..", "..");
const jsonPath = join(root, "docs", "benchmarks.json");
const mdPath = join(root, "docs", "benchmarks.md");
const START = "<!-- bench-summary:start -->";
const END = "<!-- bench-summary:end -->";

interface BenchRun {
  ranAt: string;
  machine: string;
  durationS: number;
  /** Options that differ from the benchmark's defaults. */
  options?: string;
  /** Set when the benchmark stopped with an error: its figures are then partial or missing. */
  failed?: string;
  figures: Figure[];
}
type Report = Partial<Record<(typeof BENCHES)[number], BenchRun>>;

const { values } = parseArgs({
  options: { only: { type: "string" }, "api-duration": { type: "string" } },
});
const chosen = values.only ? values.only.split(",").map((s) => s.trim()) : [...BENCHES];
const unknown = chosen.filter((b) => !(BENCHES as readonly string[]).includes(b));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(", ")}. Known: ${BENCHES.join(", ")}.`);
  process.exit(2);
}

const report: Report = existsSync(jsonPath) ? JSON.parse(readFileSync(jsonPath, "utf8")) : {};
const dir = mkdtempSync(join(tmpdir(), "crm-reco-bench-all-"));
try {
  for (const bench of chosen as Array<(typeof BENCHES)[number]>) {
    const figuresFile = join(dir, `${bench}.jsonl`);
    console.log(`\n=== npm run bench:${bench} ===`);
    const started = Date.now();
    // `npm run bench -- --api-duration 10s`: a shorter wrk run per route, said in the report.
    const extra =
      bench === "api" && values["api-duration"] ? ["--", "--duration", values["api-duration"]] : [];
    const run = spawnSync("npm", ["run", "--silent", `bench:${bench}`, ...extra], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, BENCH_FIGURES: figuresFile },
    });
    const figures: Figure[] = existsSync(figuresFile)
      ? readFileSync(figuresFile, "utf8")
          .trim()
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line))
      : [];
    report[bench] = {
      ranAt: new Date().toISOString(),
      machine: describeMachine(),
      durationS: Math.round((Date.now() - started) / 1000),
      ...(extra.length ? { options: `wrk ${values["api-duration"]} per route` } : {}),
      ...(run.status === 0 ? {} : { failed: `exit code ${run.status ?? run.signal}` }),
      figures,
    };
    writeFileSync(jsonPath, JSON.stringify(report, null, 2) + "\n");
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const markdown = readFileSync(mdPath, "utf8");
const summary = renderSummary(report);
const next = markdown.includes(START)
  ? markdown.slice(0, markdown.indexOf(START)) +
    summary +
    markdown.slice(markdown.indexOf(END) + END.length)
  : markdown.replace(/\n## /, `\n${summary}\n\n## `);
writeFileSync(mdPath, next);
console.log(`\n${summary}\n\nWritten: docs/benchmarks.json and the summary of docs/benchmarks.md.`);
// prettier formats the tables the same way a person would; the file stays stable between runs.
spawnSync("npx", ["prettier", "--write", mdPath, jsonPath], { cwd: root, stdio: "ignore" });

function describeMachine() {
  const os = existsSync("/etc/os-release")
    ? (/^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? "")
    : "";
  const binDir = findPostgresBinDir();
  const postgres = binDir
    ? spawnSync(join(binDir, "postgres"), ["--version"], { encoding: "utf8" }).stdout.trim()
    : "no PostgreSQL";
  return [
    `${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}`,
    `${Math.round(totalmem() / 2 ** 30)} GiB`,
    os || `Linux ${release()}`,
    `Node ${process.version}`,
    postgres,
  ].join(", ");
}

function renderSummary(all: Report) {
  const cell = (s: string | undefined) => (s ?? "").replaceAll("|", "\\|");
  const verdict = (met: boolean | null) => (met === null ? "" : met ? "met" : "**not met**");
  const rows: string[] = [];
  const runs: string[] = [];
  for (const bench of BENCHES) {
    const run = all[bench];
    if (!run) {
      runs.push(`- \`npm run bench:${bench}\`: not run yet.`);
      continue;
    }
    runs.push(
      `- \`npm run bench:${bench}\`: ${run.ranAt.slice(0, 16).replace("T", " ")} UTC, ${run.durationS} s` +
        (run.options ? `, ${run.options}` : "") +
        (run.failed ? `, **failed** (${run.failed})` : "") +
        ` — ${run.machine}.`,
    );
    for (const f of run.figures)
      rows.push(
        `| ${bench} | ${cell(f.measure)} | ${cell(f.result)} | ${cell(f.reference)} | ${cell(f.target)} | ${verdict(f.met)} |`,
      );
  }
  const targets = BENCHES.flatMap((b) => all[b]?.figures ?? []).filter((f) => f.met !== null);
  const met = targets.filter((f) => f.met).length;
  return [
    START,
    "## Summary (`npm run bench`)",
    "",
    "Regenerated by `npm run bench` (all benchmarks, about 15 minutes) or `npm run bench -- --only",
    "import,web` (some of them; the others keep their last figures, with their date). Each",
    "benchmark's own section below explains what it measures and where the time goes.",
    "",
    `Targets met: ${met} of ${targets.length}.`,
    "",
    "| benchmark | measure | result | reference | target | verdict |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    "Runs:",
    "",
    ...runs,
    END,
  ].join("\n");
}
