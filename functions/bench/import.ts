// npm run bench:import — the import pipeline against its two references, on one generated file.
// Not a test: it measures. Results go to docs/benchmarks.md by hand or via `npm run bench`.
import { execFileSync, spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import Papa from "papaparse";
import pg from "pg";
import { openPg } from "../src/adapters/db/pg.ts";
import { findPostgresBinDir, startPostgresServer } from "../test/postgres-server.ts";
import { recordFigure, seconds } from "./figures.ts";
import { copyIntoSchemaTables } from "./copy-into-schema.ts";
import { writeOrderLinesCsv } from "./generate-order-lines.ts";

const SIZES = (process.env.BENCH_SIZES ?? "10000,100000,1000000").split(",").map(Number);
const largest = Math.max(...SIZES);
const dir = mkdtempSync(join(tmpdir(), "crm-reco-bench-"));
const binDir = findPostgresBinDir();
if (!binDir)
  throw new Error("bench:import needs PostgreSQL's server binaries (apt-get install postgresql).");
const server = await startPostgresServer(binDir);

try {
  const admin = new pg.Client({ connectionString: server.url("postgres") });
  await admin.connect();
  await admin.query("create database bench");
  await admin.query("create database copy_into_schema");
  await admin.end();
  const url = server.url("bench");
  for (const database of ["bench", "copy_into_schema"]) {
    const migrated = await openPg({ connectionString: server.url(database) });
    await migrated.migrate();
    await migrated.close();
  }

  const files = new Map<number, string>();
  for (const size of SIZES) {
    const path = join(dir, `order-lines-${size}.csv`);
    await writeOrderLinesCsv(path, size);
    files.set(size, path);
  }
  const big = files.get(largest)!;
  const mb = statSync(big).size / 1e6;
  console.log(`file: ${largest.toLocaleString("en")} lines, ${mb.toFixed(1)} MB`);

  // Reference 1: papaparse alone, streaming the same file.
  let t = performance.now();
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter: ";" });
    parser
      .on("data", () => rows++)
      .on("end", resolve)
      .on("error", reject);
    createReadStream(big, { encoding: "utf8" }).pipe(parser);
  });
  const papaMs = performance.now() - t;
  console.log(`papaparse alone: ${(papaMs / 1000).toFixed(2)} s (${rows} rows)`);

  // Reference 2: COPY alone, the same lines already normalised, into a table shaped like order_lines.
  const tsv = join(dir, "normalised.tsv");
  const lines: string[] = [];
  for (let i = 0; i < largest; i++)
    lines.push(
      `00000000-0000-4000-8000-000000000001\t${crypto.randomUUID()}\tSKU-${i % 1000}#1\t${crypto.randomUUID()}\t${1 + (i % 12)}\t12.50\t${((1 + (i % 12)) * 12.5).toFixed(2)}`,
    );
  writeFileSync(tsv, lines.join("\n") + "\n");
  lines.length = 0;
  const psql = join(binDir, "psql");
  const ddl =
    "create table copy_ref (tenant_id uuid not null, order_id uuid not null, line_key text not null, product_id uuid, quantity numeric(12,3) not null, unit_price numeric(12,2), total numeric(14,2), unique (tenant_id, order_id, line_key))";
  execFileSync(psql, [url, "-q", "-c", ddl]);
  t = performance.now();
  const copy = spawnSync(psql, [url, "-q", "-c", `\\copy copy_ref from '${tsv}'`], {
    encoding: "utf8",
  });
  if (copy.status !== 0) throw new Error(copy.stderr);
  const copyMs = performance.now() - t;
  console.log(`COPY alone: ${(copyMs / 1000).toFixed(2)} s`);

  // Not the issue's reference, but what bounds the import: COPY into the schema's own tables.
  const intoSchema = copyIntoSchemaTables(psql, server.url("copy_into_schema"), dir, largest);
  const intoSchemaMs = intoSchema.ordersMs + intoSchema.linesMs;
  console.log(
    `COPY into the schema's orders and order_lines: ${seconds(intoSchemaMs)} (orders ${seconds(intoSchema.ordersMs)}, lines ${seconds(intoSchema.linesMs)})`,
  );

  // The full import, each size in its own process for an honest peak RSS.
  const results: Array<{ size: number; ms: number; maxRssMb: number }> = [];
  for (const size of SIZES) {
    const child = spawnSync(
      process.execPath,
      [
        new URL("./import-child.ts", import.meta.url).pathname,
        url,
        files.get(size)!,
        `bench-${size}`,
      ],
      { encoding: "utf8", env: process.env },
    );
    if (child.status !== 0) throw new Error(child.stderr);
    const result = JSON.parse(child.stdout.trim().split("\n").pop()!);
    results.push({ size, ms: result.ms, maxRssMb: result.maxRssMb });
    console.log(
      `full import ${size.toLocaleString("en")} lines: ${(result.ms / 1000).toFixed(2)} s, peak RSS ${result.maxRssMb.toFixed(0)} MB (${result.status}, ${result.rowsInserted} inserted)`,
    );
  }
  const full = results.find((r) => r.size === largest)!;
  const slowerRef = Math.max(papaMs, copyMs);
  const ratio = slowerRef / full.ms;
  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}, PostgreSQL ${execFileSync(psql, ["--version"], { encoding: "utf8" }).trim()}`,
  );
  console.log(`full import speed vs the slower reference: ${ratio.toFixed(2)} × (target ≥ 0.5)`);
  console.log(
    `full import speed vs COPY into the schema's tables: ${(intoSchemaMs / full.ms).toFixed(2)} ×`,
  );
  console.log(
    `peak RSS: ${results.map((r) => `${r.size.toLocaleString("en")}: ${r.maxRssMb.toFixed(0)} MB`).join(", ")} (target ≤ 256 MB, flat)`,
  );

  const linesOf = (n: number) => `${n.toLocaleString("en")} lines`;
  recordFigure({
    bench: "import",
    measure: `papaparse alone, ${linesOf(largest)}`,
    result: seconds(papaMs),
    met: null,
  });
  recordFigure({
    bench: "import",
    measure: `COPY alone, ${linesOf(largest)} pre-normalised`,
    result: seconds(copyMs),
    met: null,
  });
  recordFigure({
    bench: "import",
    measure: `COPY into the schema's orders and order_lines, ${linesOf(largest)} pre-normalised`,
    result: `${seconds(intoSchemaMs)} (the full import at ${(intoSchemaMs / full.ms).toFixed(2)} × its speed)`,
    met: null,
  });
  for (const r of results)
    recordFigure({
      bench: "import",
      measure: `full import, ${linesOf(r.size)}`,
      result: `${seconds(r.ms)} (${Math.round(r.size / (r.ms / 1000)).toLocaleString("en")} lines/s)`,
      ...(r === full
        ? {
            reference: `slower of papaparse and COPY: ${seconds(slowerRef)}`,
            target: "≥ 0.5 × the reference's speed",
            met: ratio >= 0.5,
          }
        : { met: null }),
    });
  const smallest = results[0]!;
  const peak = Math.max(...results.map((r) => r.maxRssMb));
  recordFigure({
    bench: "import",
    measure: `peak RSS, ${results.map((r) => r.size.toLocaleString("en")).join(" / ")} lines`,
    result: results.map((r) => `${r.maxRssMb.toFixed(0)}`).join(" / ") + " MB",
    // Flat: the largest file costs at most a quarter more memory than the smallest.
    target: "≤ 256 MB, and flat (largest ≤ 1.25 × smallest)",
    met: peak <= 256 && peak <= 1.25 * smallest.maxRssMb,
  });
} finally {
  server.stop();
  rmSync(dir, { recursive: true, force: true });
}
