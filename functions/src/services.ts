import type { BlobStore, Clock, JobQueue } from "@crm-reco/core";
import type { DirectUploads } from "./adapters/blob/s3-direct-uploads.ts";
import type { DbHandle } from "./adapters/db/database.ts";
import type { ReadCache } from "./http/read-cache.ts";
import type { Logger } from "./log.ts";

/** Everything a handler or use case may touch, built once by the composition root. */
export interface Services {
  db: DbHandle;
  blobs: BlobStore;
  queue: JobQueue;
  clock: Clock;
  log: Logger;
  version: string;
  /** Encrypts secrets stored in the database (AES-256-GCM key, 32 bytes). */
  secretKey: Uint8Array;
  /** On AWS: browsers send files straight to the bucket with presigned URLs. */
  directUploads?: DirectUploads;
  /** Where the database can be watched (PGlite, PostgreSQL), what the web app may reuse between requests. */
  readCache?: ReadCache;
}
