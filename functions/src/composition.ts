import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createFsBlobStore } from "./adapters/blob/fs.ts";
import { systemClock } from "./adapters/clock/system.ts";
import { openDatabase } from "./adapters/db/open-database.ts";
import { createInlineQueue } from "./adapters/queue/inline.ts";
import type { Config } from "./config.ts";
import { createLogger, type Logger } from "./log.ts";
import { startWorkers } from "./jobs/workers.ts";
import type { Services } from "./services.ts";
import { appVersion } from "./version.ts";

/** The composition root: builds every adapter once from a validated configuration. */
export async function createServices(
  config: Config,
  log: Logger = createLogger(config.logLevel),
): Promise<Services & { close(): Promise<void> }> {
  if (config.database.driver === "pglite")
    await mkdir(config.database.dataDir, { recursive: true });
  await mkdir(config.blobDir, { recursive: true });
  const db = await openDatabase(config.database);
  const queue = createInlineQueue({
    onDead: (job, error) =>
      log.error({ jobId: job.id, kind: job.kind, err: error }, "job dead-lettered"),
  });
  const services = {
    db,
    blobs: createFsBlobStore(config.blobDir),
    queue,
    clock: systemClock,
    log,
    version: appVersion,
    secretKey: config.secretKey ?? (await keyInDataDir(config.dataDir)),
    async close() {
      await queue.stop();
      await db.close();
    },
  };
  await startWorkers(services);
  return services;
}

/**
 * The embedded edition's secret key: generated on first start into the data folder (readable by
 * its owner only), like the database beside it. Servers set CRM_RECO_SECRET_KEY instead.
 */
async function keyInDataDir(dataDir: string): Promise<Uint8Array> {
  const path = join(dataDir, "secret.key");
  try {
    return new Uint8Array(Buffer.from((await readFile(path, "utf8")).trim(), "base64"));
  } catch {
    await mkdir(dataDir, { recursive: true });
    const key = randomBytes(32);
    await writeFile(path, key.toString("base64"), { mode: 0o600, flag: "wx" }).catch(() => {});
    return new Uint8Array(Buffer.from((await readFile(path, "utf8")).trim(), "base64"));
  }
}
