// npm run bench:api [-- --duration 60s] — the HTTP API under load: wrk (Debian's) against the VPS
// server (`crm-reco serve --role web`, as systemd runs it) on PostgreSQL with the demo estate, and
// against a bare node:http hello in the same run as the machine's reference. Each server is its
// own process. Not a test: it measures. Results go to docs/benchmarks.md.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import pg from "pg";
import { findPostgresBinDir, startPostgresServer } from "../test/postgres-server.ts";
import { recordFigure } from "./figures.ts";
import { seedBenchEstate } from "./api-estate.ts";
import { cpuSharesBetween, type CpuShares, takeCpuSnapshot } from "./cpu-usage.ts";
import { parseWrkOutput, type WrkResult } from "./wrk-output.ts";

const { values: flags } = parseArgs({
  options: {
    duration: { type: "string", default: "60s" },
    warmup: { type: "string", default: "5s" },
    threads: { type: "string", default: "1" },
  },
});
for (const value of [flags.duration, flags.warmup])
  if (!/^\d+[smh]?$/.test(value)) throw new Error(`Not a wrk duration: ${value} (e.g. 60s, 2m).`);

interface Target {
  name: string;
  /** The server process, for its CPU time. */
  pid: number;
  url: string;
  /** Sent with every request: the session cookie or the API key. */
  header?: string;
  /** A wrk Lua script choosing each request's path. */
  script?: string;
}

const CONNECTIONS = 100;
/**
 * wrk's threads: one. The server under test is one Node process (one core) and this machine has
 * two: with more wrk threads than the core left to them, wrk's own threads wait for the CPU and
 * that wait shows as the server's latency (same server, same route: p99 17 ms with one thread,
 * 185 ms with four; the bare hello answers as fast with one thread as with four).
 */
const THREADS = Number(flags.threads);
const DETAIL_IDS = 1000;
/**
 * wrk leaves answers slower than its timeout (2 s by default) out of the latency figures and
 * counts them as errors: a longer one keeps a saturated server's real latencies in view.
 */
const TIMEOUT = "10s";

const binDir = findPostgresBinDir();
if (!binDir)
  throw new Error("bench:api needs PostgreSQL's server binaries (apt-get install postgresql).");
if (!execFileSync("sh", ["-c", "command -v wrk || true"], { encoding: "utf8" }).trim())
  throw new Error("bench:api needs wrk (apt-get install wrk).");

const dir = mkdtempSync(join(tmpdir(), "crm-reco-bench-api-"));
const children: ChildProcess[] = [];
const database = await startPostgresServer(binDir);
try {
  const admin = new pg.Client({ connectionString: database.url("postgres") });
  await admin.connect();
  await admin.query("create database bench");
  await admin.end();
  const databaseUrl = database.url("bench");

  const started = performance.now();
  const estate = await seedBenchEstate(databaseUrl, join(dir, "seed"), DETAIL_IDS);
  console.log(
    `estate: demo, ${estate.customers} customers, ${estate.recommendations} recommendations (seeded in ${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );

  const hello = await startServer(process.execPath, [join(import.meta.dirname, "hello-server.ts")]);
  const api = await startServer(
    process.execPath,
    [join(import.meta.dirname, "../../bin/crm-reco.js"), "serve", "--role", "web", "--port", "0"],
    {
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      DATABASE_URL: databaseUrl,
      CRM_RECO_SECRET_KEY: randomBytes(32).toString("base64"),
      CRM_RECO_DATA_DIR: join(dir, "server"),
    },
  );

  const detailScript = join(dir, "detail.lua");
  writeFileSync(detailScript, rotatingDetailScript(estate.recommendationIds));
  const session = `Cookie: ${estate.sessionCookie}`;
  const bearer = `Authorization: Bearer ${estate.apiKey}`;
  // The review screen's first page is what staff open all day; "all statuses" is its other choice.
  const reviewPage = `${api.url}/api/recommendations?limit=50&offset=0&status=pending`;
  const allStatusesPage = `${api.url}/api/recommendations?limit=50&offset=0`;
  const targets: Target[] = [
    { name: "bare node:http hello (reference)", pid: hello.pid, url: `${hello.url}/` },
    { name: "list, review screen (pending)", pid: api.pid, url: reviewPage, header: session },
    { name: "list, all statuses", pid: api.pid, url: allStatusesPage, header: session },
    {
      name: `detail, ${estate.recommendationIds.length} ids in turn`,
      pid: api.pid,
      url: `${api.url}/api/recommendations`,
      header: session,
      script: detailScript,
    },
    { name: "list, review screen, API key", pid: api.pid, url: reviewPage, header: bearer },
  ];
  for (const target of targets.slice(1)) await checkAnswer(target, estate.recommendationIds[0]!);
  // Other work on the machine takes CPU from the servers and wrk alike: say how busy it was.
  console.log(`load average before the runs: ${loadAverage()}`);

  const results: Array<{ name: string; wrk: WrkResult; cpu: CpuShares }> = [];
  for (const target of targets) {
    runWrk(target, flags.warmup); // JIT and connection pools warm, not measured
    await waitUntilIdle(target.pid, database.port);
    const before = takeCpuSnapshot(target.pid, database.port);
    const wrk = parseWrkOutput(runWrk(target, flags.duration));
    const cpu = cpuSharesBetween(before, takeCpuSnapshot(target.pid, database.port));
    results.push({ name: target.name, wrk, cpu });
    console.log(
      `${target.name}: ${wrk.requestsPerSecond.toFixed(0)} req/s, p99 ${formatLatency(wrk.p99Ms)}`,
    );
  }
  console.log(`load average after the runs: ${loadAverage()}`);
  printTable(results);
} finally {
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(children.map((child) => exited(child)));
  database.stop();
  rmSync(dir, { recursive: true, force: true });
}

/** Starts a server process and waits for the URL it prints once it listens. */
async function startServer(command: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) =>
      reject(new Error(`${args.join(" ")} exited (${code}) before listening`)),
    );
    lines.on("line", (line) => {
      const found = line.match(/(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
      if (found) resolve(found);
    });
  });
  return { url, pid: child.pid! };
}

async function exited(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await new Promise((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
}

/**
 * A saturated server is still answering the requests wrk gave up on when it stopped: let it (and
 * PostgreSQL) finish them, or they would run during the next measurement.
 */
async function waitUntilIdle(serverPid: number, postgresPort: number) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const before = takeCpuSnapshot(serverPid, postgresPort);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const cpu = cpuSharesBetween(before, takeCpuSnapshot(serverPid, postgresPort));
    if (cpu.serverCores + cpu.postgresCores < 0.05) return;
    if (Date.now() > deadline) throw new Error("The servers stayed busy after wrk stopped.");
  }
}

/** Fails before measuring if a route does not answer what the review screen expects. */
async function checkAnswer(target: Target, someId: string) {
  const url = target.script ? `${target.url}/${someId}` : target.url;
  const [name, value] = target.header!.split(": ") as [string, string];
  const response = await fetch(url, { headers: { [name]: value } });
  const body = (await response.json()) as { items?: unknown[] };
  if (response.status !== 200 || (body.items && body.items.length === 0))
    throw new Error(`${url}: ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
}

function runWrk(target: Target, duration: string) {
  const args = [
    `-t${THREADS}`,
    `-c${CONNECTIONS}`,
    `-d${duration}`,
    `--timeout=${TIMEOUT}`,
    "--latency",
  ];
  if (target.header) args.push("-H", target.header);
  if (target.script) args.push("-s", target.script);
  return execFileSync("wrk", [...args, target.url], { encoding: "utf8" });
}

function loadAverage() {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
}

/** Each wrk thread walks the ids in turn: rows spread over the table, not one row again and again. */
function rotatingDetailScript(ids: string[]) {
  return `local ids = {${ids.map((id) => `"${id}"`).join(",")}}
local next_index = 0
request = function()
  next_index = next_index % #ids + 1
  return wrk.format("GET", "/api/recommendations/" .. ids[next_index])
end
`;
}

/** wrk prints 0 for the percentiles when no answer came within its timeout. */
function formatLatency(ms: number) {
  return ms > 0 ? `${ms.toFixed(2)} ms` : `> ${TIMEOUT}`;
}

function printTable(results: Array<{ name: string; wrk: WrkResult; cpu: CpuShares }>) {
  const reference = results[0]!.wrk.requestsPerSecond;
  const cores = (n: number) => n.toFixed(2);
  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}, wrk -t${THREADS} -c${CONNECTIONS} -d${flags.duration} --timeout=${TIMEOUT}`,
  );
  console.log(
    "| route | req/s | × bare | p50 | p99 | errors (socket / non-2xx) | CPU cores: server / PostgreSQL / wrk / other |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const { name, wrk, cpu } of results)
    console.log(
      `| ${name} | ${wrk.requestsPerSecond.toFixed(0)} | ${(wrk.requestsPerSecond / reference).toFixed(3)} | ${formatLatency(wrk.p50Ms)} | ${formatLatency(wrk.p99Ms)} | ${wrk.socketErrors} / ${wrk.non2xx} | ${cores(cpu.serverCores)} / ${cores(cpu.postgresCores)} / ${cores(cpu.wrkCores)} / ${cores(cpu.otherCores)} |`,
    );
  console.log("targets: p99 < 30 ms, ≥ 0.3 × the bare server's req/s, 0 errors");
  for (const { name, wrk } of results.slice(1)) {
    const share = wrk.requestsPerSecond / reference;
    const errors = wrk.socketErrors + wrk.non2xx;
    recordFigure({
      bench: "api",
      measure: name,
      result: `${wrk.requestsPerSecond.toFixed(0)} req/s (${share.toFixed(3)} ×), p99 ${formatLatency(wrk.p99Ms)}, ${errors} errors`,
      reference: `bare node:http hello: ${reference.toFixed(0)} req/s`,
      target: "p99 < 30 ms, ≥ 0.3 × the reference, 0 errors",
      met: wrk.p99Ms > 0 && wrk.p99Ms < 30 && share >= 0.3 && errors === 0,
    });
  }
}
