// One full import in its own process, so its peak memory is its own. Prints one JSON line.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { openPg } from "../src/adapters/db/pg.ts";
import { importFile } from "../src/import/import-file.ts";
import { keepHeapNearLiveSize } from "../src/heap.ts";
import { createLogger } from "../src/log.ts";
import { createSource } from "../src/repos/sources.ts";
import { ensureTenant } from "../src/repos/tenants.ts";

keepHeapNearLiveSize(); // as createServices does for every process of ours
const [url, file, tenantSlug] = process.argv.slice(2) as [string, string, string];
const db = await openPg({ connectionString: url });
const tenant = await ensureTenant(db.db, { slug: tenantSlug, name: tenantSlug });
const source = await createSource(db.db, tenant.id, { name: "bench", kind: "file" });
const started = performance.now();
const summary = await importFile(
  { db, clock: { now: () => new Date() }, log: createLogger("warn") },
  {
    tenantId: tenant.id,
    sourceId: source.id,
    entity: "order_lines",
    fileName: file,
    checksum: createHash("sha256").update(file).digest("hex"),
    open: async () =>
      Readable.toWeb(
        createReadStream(file, { highWaterMark: 1 << 16 }),
      ) as ReadableStream<Uint8Array>,
    trigger: "cli",
    batchSize: Number(process.env.BATCH_SIZE ?? 5000),
  },
);
const ms = performance.now() - started;
await db.close();
process.stdout.write(
  JSON.stringify({
    ms,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    status: summary.status,
    rowsInserted: summary.rowsInserted,
    rowsRejected: summary.rowsRejected,
  }) + "\n",
);
