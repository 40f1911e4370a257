// npm run bench:web [-- --runs 10] — the web app's budget: the initial JavaScript (the entry
// script of web/dist/index.html and every chunk it loads before the first render, gzip -9) against
// 80 KB, then the time a signed-in person waits for a usable dashboard (figures and the orders
// chart drawn) over cold page loads in Debian's Chromium, against 1 s. The server is the VPS one
// (`crm-reco serve`, its own process) on embedded PGlite with the small demo estate. Not a test:
// it measures. Results go to docs/benchmarks.md.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { createUser } from "../src/auth/users.ts";
import { createServices } from "../src/composition.ts";
import { loadConfig } from "../src/config.ts";
import { loadDemoEstate } from "../src/demo/load-demo.ts";
import { ensureTenant } from "../src/repos/tenants.ts";
import { recordFigure } from "./figures.ts";

const { values: flags } = parseArgs({ options: { runs: { type: "string", default: "10" } } });
const RUNS = Number(flags.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a whole number ≥ 1.`);

const BUDGET_BYTES = 80 * 1024;
const USABLE_BUDGET_MS = 1000;
const DEMO = { privateCustomers: 120, tradeCustomers: 12 };
const EMAIL = "bench@domaine.fr";
const PASSWORD = "mesure du tableau de bord";
const root = join(import.meta.dirname, "..", "..");
const dist = join(root, "web", "dist");
const chromiumPath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
if (!chromiumPath) throw new Error("bench:web needs Debian's chromium (apt-get install chromium).");

const dir = mkdtempSync(join(tmpdir(), "crm-reco-bench-web-"));
// Measured and served from a copy: a rebuild of web/dist meanwhile (tests do one) changes nothing.
const webDir = join(dir, "web");
console.log("building the web app (npm run build:web)…");
execFileSync("npm", ["run", "--silent", "build:web"], { cwd: root, stdio: "ignore" });
cpSync(dist, webDir, { recursive: true });
const initial = initialScripts(webDir);
printBundle(initial);

let server: ChildProcess | undefined;
try {
  const started = performance.now();
  const customers = await prepareEstate(join(dir, "data"));
  console.log(
    `estate: small demo, ${customers} customers (loaded in ${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
  const running = await startServer(dir);
  server = running.child;
  const times = await measureDashboard(running.url);
  printLoads(times);
} finally {
  if (server) await stop(server);
  rmSync(dir, { recursive: true, force: true });
}

interface Chunk {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/**
 * The scripts the browser runs before the app can render: the entry script of index.html, the
 * chunks it modulepreloads, and, transitively, every chunk imported statically (`import … from`)
 * by one of them. Dynamic `import()`s (the lazy routes) are left out: they load later.
 */
function initialScripts(distDir: string): Chunk[] {
  const html = readFileSync(join(distDir, "index.html"), "utf8");
  const entry = html.match(/<script[^>]*type="module"[^>]*src="([^"]+)"/)?.[1];
  if (!entry) throw new Error("web/dist/index.html has no module entry script.");
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map(
    (m) => m[1]!,
  );
  const seen = new Set<string>();
  const queue = [entry, ...preloads].map((href) => href.replace(/^\//, ""));
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(join(distDir, file), "utf8");
    // Static imports and re-exports only: `import(` (a lazy chunk) does not match.
    for (const m of code.matchAll(
      /(?:^|[;\s}])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g,
    ))
      queue.push(join(dirname(file), m[1]!).replace(/\\/g, "/"));
  }
  return [...seen].map((file) => {
    const bytes = readFileSync(join(distDir, file));
    return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  });
}

function kb(bytes: number) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function printBundle(chunks: Chunk[]) {
  const total = chunks.reduce((sum, c) => sum + c.gzipBytes, 0);
  console.log("\n| initial script | raw | gzip -9 |");
  console.log("|---|---:|---:|");
  for (const c of chunks) console.log(`| ${c.file} | ${kb(c.bytes)} | ${kb(c.gzipBytes)} |`);
  console.log(
    `| **total (${chunks.length} files)** | ${kb(chunks.reduce((s, c) => s + c.bytes, 0))} | **${kb(total)}** |`,
  );
  const met = total <= BUDGET_BYTES;
  console.log(`budget: ≤ ${kb(BUDGET_BYTES)} gzip — ${met ? "met" : "NOT MET"}`);
  recordFigure({
    bench: "web",
    measure: `initial JavaScript, gzip -9 (${chunks.length} files)`,
    result: kb(total),
    target: `≤ ${kb(BUDGET_BYTES)}`,
    met,
  });
}

/** The embedded edition's database with the small demo estate and one person to sign in as. */
async function prepareEstate(dataDir: string): Promise<number> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: "warn" }, { dataDir });
  const services = await createServices(config);
  try {
    await services.db.migrate();
    const tenant = await ensureTenant(services.db.db, { slug: "default", name: "Domaine de démo" });
    const summary = await loadDemoEstate(services, tenant.id, () => {}, DEMO);
    await createUser(services.db.db, tenant.id, {
      email: EMAIL,
      password: PASSWORD,
      role: "admin",
    });
    return summary.customers;
  } finally {
    await services.close();
  }
}

/** `crm-reco serve` on that data directory; resolves with its URL once it listens. */
async function startServer(dataDir: string) {
  const child = spawn(
    process.execPath,
    [join(root, "bin", "crm-reco.js"), "serve", "--data-dir", join(dataDir, "data"), "--port", "0"],
    {
      env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "warn", WEB_DIST_DIR: webDir },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`crm-reco serve exited (${code})`)));
    lines.on("line", (line) => {
      const found = line.match(/(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
      if (found) resolve(found);
    });
  });
  return { child, url };
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
  clearTimeout(timer);
}

/**
 * Signs in once through the sign-in form, then loads the dashboard `RUNS` times, each in a new
 * browser context (empty cache, the session cookie only): the time from navigation start to the
 * figures shown and the orders chart drawn, read with the page's own clock. One load before
 * them, not counted, warms the server (its JIT, PGlite's caches), as a server in use would be.
 */
interface Load {
  usableMs: number;
  /** When each part had arrived (responseEnd), from navigation start. */
  scriptsMs: number;
  meMs: number;
  chunkMs: number;
  dataStartMs: number;
  dataMs: number;
  resources: Array<{ name: string; startMs: number; endMs: number }>;
}

async function measureDashboard(url: string): Promise<Load[]> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const viewport = { width: 1280, height: 900 };
    const first = await browser.newContext({ viewport });
    const page = await first.newPage();
    await page.goto(url);
    await page.getByLabel("E-mail").fill(EMAIL);
    await page.getByLabel("Mot de passe").fill(PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.locator('[data-testid="orders-chart"][data-ready="true"]').waitFor();
    // The session cookie is Secure; over plain http on loopback a new context would not keep it.
    const cookies = (await first.cookies()).map((cookie) => ({ ...cookie, secure: false }));
    await first.close();

    const times: Load[] = [];
    for (let run = 0; run <= RUNS; run += 1) {
      const context = await browser.newContext({ viewport });
      await context.addCookies(cookies);
      const cold = await context.newPage();
      const problems: string[] = [];
      cold.on("pageerror", (error) => problems.push(error.message));
      cold.on("requestfailed", (request) => problems.push(`failed: ${request.url()}`));
      await cold.goto(url, { waitUntil: "commit" });
      try {
        await cold.locator('[data-testid="figure-customers"]').waitFor({ timeout: 30_000 });
      } catch (error) {
        console.error(`the dashboard did not show: ${problems.join("; ") || "no page error"}`);
        throw error;
      }
      await cold
        .locator('[data-testid="orders-chart"][data-ready="true"]')
        .waitFor({ timeout: 30_000 });
      // The app marks the moment it drew the chart (the figures are rendered with it), so
      // Playwright's polling is not in the figure; resource timings say where the time went.
      const load = await cold.evaluate(() => {
        const done = (part: string) =>
          performance.getEntriesByType("resource").find((entry) => entry.name.includes(part)) as
            PerformanceResourceTiming | undefined;
        return {
          usableMs: performance.getEntriesByName("dashboard-usable")[0]!.startTime,
          scriptsMs: done("/assets/i18n-")?.responseEnd ?? 0,
          meMs: done("/api/auth/me")?.responseEnd ?? 0,
          chunkMs: done("/assets/dashboard-")?.responseEnd ?? 0,
          dataStartMs: done("/api/dashboard")?.startTime ?? 0,
          dataMs: done("/api/dashboard")?.responseEnd ?? 0,
          // Every request of the load, named without its hash: asked (startTime) and arrived.
          resources: performance.getEntriesByType("resource").map((entry) => ({
            name: new URL(entry.name).pathname.replace(/-[\w-]{8}\.(js|css)$/, ".$1"),
            startMs: entry.startTime,
            endMs: (entry as PerformanceResourceTiming).responseEnd,
          })),
        };
      });
      await context.close();
      if (run > 0) times.push(load);
    }
    return times;
  } finally {
    await browser.close();
  }
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function printLoads(loads: Load[]) {
  const median = (pick: (load: Load) => number) =>
    percentile(
      loads.map(pick).sort((a, b) => a - b),
      50,
    );
  const times = loads.map((load) => load.usableMs);
  const sorted = [...times].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p90 = percentile(sorted, 90);
  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")}`,
  );
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  console.log(`\n| dashboard usable, ${times.length} cold loads | median | p90 | min | max |`);
  console.log("|---|---:|---:|---:|---:|");
  console.log(
    `| navigation start → figures and chart drawn | ${ms(p50)} | ${ms(p90)} | ${ms(sorted[0]!)} | ${ms(sorted.at(-1)!)} |`,
  );
  console.log(`each: ${times.map(ms).join(", ")}`);
  console.log(
    `where the time goes (medians, arrived at): initial scripts ${ms(median((l) => l.scriptsMs))}, session (/api/auth/me) ${ms(median((l) => l.meMs))}, dashboard chunk ${ms(median((l) => l.chunkMs))}, /api/dashboard asked ${ms(median((l) => l.dataStartMs))} and answered ${ms(median((l) => l.dataMs))}`,
  );
  const names = [...new Set(loads.flatMap((l) => l.resources.map((r) => r.name)))];
  const byArrival = names
    .map((name) => {
      const seen = loads.flatMap((l) => l.resources.filter((r) => r.name === name));
      const med = (pick: (r: (typeof seen)[number]) => number) =>
        percentile(
          seen.map(pick).sort((a, b) => a - b),
          50,
        );
      return { name, asked: med((r) => r.startMs), arrived: med((r) => r.endMs), n: seen.length };
    })
    .sort((a, b) => a.arrived - b.arrived);
  console.log("every request (medians over the loads that made it):");
  for (const r of byArrival)
    console.log(`  ${r.name}: asked ${ms(r.asked)}, arrived ${ms(r.arrived)} (${r.n} loads)`);
  const met = p90 < USABLE_BUDGET_MS;
  console.log(`budget: < ${USABLE_BUDGET_MS} ms (p90) — ${met ? "met" : "NOT MET"}`);
  recordFigure({
    bench: "web",
    measure: `dashboard usable (figures and chart), ${times.length} cold loads`,
    result: `median ${ms(p50)}, p90 ${ms(p90)}`,
    target: `< ${USABLE_BUDGET_MS} ms (p90)`,
    met,
  });
}
