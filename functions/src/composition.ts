import { mkdir } from "node:fs/promises";
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
    async close() {
      await queue.stop();
      await db.close();
    },
  };
  await startWorkers(services);
  return services;
}
