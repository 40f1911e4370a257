import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Clock } from "@crm-reco/core";
import { createFsBlobStore } from "../src/adapters/blob/fs.ts";
import type { DbDriver } from "../src/adapters/db/database.ts";
import { createInlineQueue } from "../src/adapters/queue/inline.ts";
import { createLogger } from "../src/log.ts";
import { startWorkers } from "../src/jobs/workers.ts";
import type { Services } from "../src/services.ts";
import { openTestDatabase } from "./databases.ts";

export const fixedClock = (iso = "2026-11-25T10:00:00Z"): Clock => ({ now: () => new Date(iso) });

/** Real adapters on a private database and a temporary blob directory, for one test file. */
export async function createTestServices(
  driver: DbDriver = "pglite",
  clock: Clock = fixedClock(),
): Promise<Services & { close(): Promise<void> }> {
  const db = await openTestDatabase(driver);
  const blobDir = mkdtempSync(join(tmpdir(), "crm-reco-blobs-"));
  const queue = createInlineQueue({ retryBaseMs: 1 });
  const services = {
    db,
    blobs: createFsBlobStore(blobDir),
    queue,
    clock,
    log: createLogger("silent"),
    version: "0.0.0-test",
    secretKey: new Uint8Array(randomBytes(32)),
    async close() {
      await queue.stop();
      await db.close();
      rmSync(blobDir, { recursive: true, force: true });
    },
  };
  await startWorkers(services);
  return services;
}
