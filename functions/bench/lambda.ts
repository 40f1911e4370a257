// npm run bench:lambda — what a cold start of each AWS function costs: the real `sst build` (offline,
// its three AWS calls answered on loopback), then each function's entry file loaded LOADS times,
// each in a fresh Node process, from its bundle folder alone (no node_modules, as on Lambda).
// Targets (issue [7/10]): api entry file ≤ 1.5 MB minified, module init < 200 ms measured locally.
// Not a test: `stacks/sst-build.test.ts` checks the same bundles' contents and first request.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startAwsBootstrapStub } from "../../stacks/test/aws-bootstrap-stub.ts";
import {
  type BuiltTemplate,
  builtFunction,
  handlerNames,
} from "../../stacks/test/template-queries.ts";
import { recordFigure } from "./figures.ts";

const LOADS = Number(process.env.BENCH_LOADS ?? 21);
const API_TARGET_BYTES = 1.5 * 1024 * 1024;
const API_TARGET_INIT_MS = 200;
const root = join(import.meta.dirname, "..", "..");
const out = mkdtempSync(join(tmpdir(), "crm-reco-bench-lambda-"));

try {
  await sstBuild();
  const template = JSON.parse(
    readFileSync(join(out, "ci-crm-reco-AppStack.template.json"), "utf8"),
  ) as BuiltTemplate;
  console.log(`| function | entry file | module init, median of ${LOADS} | fastest | slowest |`);
  console.log("|---|---:|---:|---:|---:|");
  for (const name of handlerNames) {
    const { folder, main } = builtFunction(template, out, name);
    const bytes = statSync(main).size;
    const times = Array.from({ length: LOADS }, () => loadOnce(folder, main)).sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    console.log(
      `| ${name} | ${mib(bytes)} | ${median.toFixed(0)} ms | ${times[0]!.toFixed(0)} ms | ${times.at(-1)!.toFixed(0)} ms |`,
    );
    if (name === "api") {
      recordFigure({
        bench: "lambda",
        measure: "api entry file, minified",
        result: mib(bytes),
        target: "≤ 1.5 MiB",
        met: bytes <= API_TARGET_BYTES,
      });
      recordFigure({
        bench: "lambda",
        measure: `api module init, median of ${LOADS} cold loads`,
        result: `${median.toFixed(0)} ms (${times[0]!.toFixed(0)}–${times.at(-1)!.toFixed(0)} ms)`,
        target: `< ${API_TARGET_INIT_MS} ms`,
        met: median < API_TARGET_INIT_MS,
      });
    } else {
      recordFigure({
        bench: "lambda",
        measure: `${name} module init, median of ${LOADS} cold loads`,
        result: `${median.toFixed(0)} ms, entry file ${mib(bytes)}`,
        met: null,
      });
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

/** The same build a deploy runs; asynchronous, so this process can answer the stub's calls. */
async function sstBuild() {
  const stub = await startAwsBootstrapStub();
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        join(root, "node_modules", ".bin", "sst"),
        ["build", "--stage", "ci", "--to", out],
        {
          cwd: root,
          stdio: ["ignore", "ignore", "inherit"],
          env: stub.sstBuildEnv(),
        },
      );
      child.on("error", reject);
      child.on("close", resolve);
    });
    if (code !== 0) throw new Error(`sst build exited with ${code}`);
  } finally {
    await stub.close();
  }
}

/** One cold start's module init: a new process imports the entry file and reports the time. */
function loadOnce(folder: string, main: string): number {
  const result = spawnSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const started = performance.now();
       await import(${JSON.stringify(pathToFileURL(main).href)});
       console.log(performance.now() - started);`,
    ],
    { cwd: folder, env: { PATH: process.env.PATH }, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`loading ${main} failed:\n${result.stderr}`);
  return Number(result.stdout.trim().split("\n").at(-1));
}

function mib(bytes: number) {
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}
