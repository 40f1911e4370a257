import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type BlobStore, configInvalid, type JobMessage, type JobQueue } from "@crm-reco/core";
import type { DirectUploads } from "./adapters/blob/s3-direct-uploads.ts";
import { createFsBlobStore } from "./adapters/blob/fs.ts";
import { createLazyBlobStore } from "./adapters/blob/lazy.ts";
import { systemClock } from "./adapters/clock/system.ts";
import { openDatabase } from "./adapters/db/open-database.ts";
import { createInlineQueue } from "./adapters/queue/inline.ts";
import { createLazyQueue } from "./adapters/queue/lazy.ts";
import { onFirstUse } from "./adapters/on-first-use.ts";
import type { PgBossQueueOptions } from "./adapters/queue/pg-boss.ts";
import type { Config } from "./config.ts";
import { keepHeapNearLiveSize } from "./heap.ts";
import { markJobDead } from "./jobs/job-records.ts";
import { createLogger, type Logger } from "./log.ts";
import type { RunEvery, Scheduler } from "./schedule/scheduler.ts";
import type { Services } from "./services.ts";
import { appVersion } from "./version.ts";

/**
 * What a process is for. `web` serves HTTP and only sends jobs; `worker` runs the jobs and the
 * scheduler; `all` does both (small installs, the embedded edition). `command` is a one-shot
 * command or a Lambda: it sends jobs, and runs them itself only on the in-process queue.
 */
export type Role = "all" | "web" | "worker" | "command";

export interface RunningServices extends Services {
  /**
   * Starts what the role runs in the background (job consumers, the scheduler) and hands the
   * queue again jobs recorded as unfinished. Call it once migrations are applied.
   */
  startBackground(): Promise<{ resumed: number }>;
  /** Stops the scheduler, lets in-flight jobs finish (pg-boss: or releases them), closes the database. */
  close(): Promise<void>;
}

/** The composition root: builds every adapter once from a validated configuration. */
export async function createServices(
  config: Config,
  log: Logger = createLogger(config.logLevel),
  role: Role = "command",
): Promise<RunningServices> {
  refuseImpossibleRole(config, role);
  keepHeapNearLiveSize(); // every process of ours (command, server, Lambda) is built here
  if (config.database.driver === "pglite")
    await mkdir(config.database.dataDir, { recursive: true });
  await mkdir(config.blobDir, { recursive: true });
  const db = await openDatabase(config.database);
  const runsJobs = role === "all" || role === "worker";

  // A job that failed for good shows as a failed run (status `dead`) that people can start again.
  const onDead = async (job: JobMessage, error: unknown) => {
    log.error({ jobId: job.id, kind: job.kind, err: error }, "job dead-lettered");
    await markJobDead(db.db, job.id, error);
  };
  let queue: JobQueue;
  let runEvery: RunEvery | undefined;
  // The AWS SDK's clients load on first use: only the AWS target carries them, and there only
  // the invocations that send a job or touch a file (a cold start of a list request skips them).
  const common = {
    region: config.aws.region,
    endpoint: config.aws.endpoint,
    credentials: config.aws.credentials,
  };
  const s3Config = { ...common, forcePathStyle: Boolean(config.aws.endpoint) };
  if (config.queue.kind === "sqs") {
    const { queueUrls } = config.queue;
    // Consumed by the Lambda event source mappings (handlers/*-worker.ts), not by this process.
    queue = createLazyQueue(async () => {
      const [{ SQSClient }, { createSqsQueue }] = await Promise.all([
        import("@aws-sdk/client-sqs"),
        import("./adapters/queue/sqs.ts"),
      ]);
      return createSqsQueue({ client: new SQSClient(common), queueUrls });
    });
  } else if (config.queue.kind === "inline") {
    queue = createInlineQueue({
      onDead: (job, error) =>
        onDead(job, error).catch((e: unknown) => log.error({ err: e }, "dead job not recorded")),
    });
  } else {
    // Loaded on demand, like the database drivers: a Lambda bundle need not carry pg-boss.
    const { createPgBossQueue } = await import("./adapters/queue/pg-boss.ts");
    const options: PgBossQueueOptions = {
      database:
        config.database.driver === "pglite"
          ? { pglite: db.pglite! }
          : { connectionString: config.database.url },
      onDead,
      onError: (error) => log.error({ err: error }, "job queue error"),
      heartbeatSeconds: config.queue.heartbeatSeconds,
      superviseIntervalSeconds: Math.ceil(config.queue.heartbeatSeconds / 2),
      pollingIntervalSeconds: config.queue.pollingIntervalSeconds,
      maintenance: runsJobs,
    };
    if (role === "command") queue = createLazyQueue(() => createPgBossQueue(options));
    else {
      const boss = await createPgBossQueue(options).catch(async (error: unknown) => {
        await db.close();
        throw error;
      });
      queue = boss;
      runEvery = (name, cron, task) => boss.every(name, cron, task);
    }
  }

  let blobs: BlobStore = createFsBlobStore(config.blobDir);
  let directUploads: DirectUploads | undefined;
  if (config.blobs.kind === "s3") {
    const { bucket } = config.blobs;
    blobs = createLazyBlobStore(async () => {
      const [{ S3Client }, { createS3BlobStore }] = await Promise.all([
        import("@aws-sdk/client-s3"),
        import("./adapters/blob/s3.ts"),
      ]);
      return createS3BlobStore(new S3Client(s3Config), bucket);
    });
    const presigner = onFirstUse(async () =>
      (await import("./adapters/blob/s3-direct-uploads.ts")).createS3DirectUploads(
        s3Config,
        bucket,
      ),
    );
    directUploads = {
      presignPut: async (key, contentType, sizeBytes) =>
        (await presigner()).presignPut(key, contentType, sizeBytes),
    };
  }

  let scheduler: Scheduler | undefined;
  const services: RunningServices = {
    db,
    blobs,
    directUploads,
    queue,
    clock: systemClock,
    log,
    version: appVersion,
    secretKey: config.secretKey ?? (await keyInDataDir(config.dataDir)),
    async startBackground() {
      if (!runsJobs) return { resumed: 0 };
      const [{ resumeUnfinishedJobs, startWorkers }, { startScheduler }] = await Promise.all([
        import("./jobs/workers.ts"),
        import("./schedule/scheduler.ts"),
      ]);
      await startWorkers(services);
      scheduler = await startScheduler(services, runEvery);
      return { resumed: await resumeUnfinishedJobs(services) };
    },
    async close() {
      await scheduler?.stop();
      await queue.stop();
      await db.close();
    },
  };
  // The in-process queue runs jobs where they are sent: a command runs its own (a webhook after
  // an import), as it always has.
  if (role === "command" && config.queue.kind === "inline") {
    const { startWorkers } = await import("./jobs/workers.ts");
    await startWorkers(services);
  }
  return services;
}

/**
 * On PostgreSQL every process of the server (web, worker, each command) must seal and open the
 * stored secrets with one key: a key generated into whatever folder a process starts in would
 * differ from one process to the next. The embedded edition keeps its own in its data folder.
 */
export function requireServerKey(config: Config): void {
  if (config.database.driver === "pglite" || config.secretKey !== null) return;
  // An install that relied on the generated file keeps its stored secrets by naming it.
  const generated = join(config.dataDir, "secret.key");
  throw configInvalid(
    existsSync(generated)
      ? `CRM_RECO_SECRET_KEY is not set: on PostgreSQL every process of the server needs the same key. Set it to the key this install generated, which encrypts its stored Odoo keys and webhook secrets: CRM_RECO_SECRET_KEY=$(cat ${generated}).`
      : "CRM_RECO_SECRET_KEY is not set: on PostgreSQL every process of the server needs the same key to store and read the Odoo keys and webhook secrets (generate one with `openssl rand -base64 32`, keep it in the settings file and somewhere safe).",
  );
}

/** Fail fast, at start, on a role this configuration cannot run. */
function refuseImpossibleRole(config: Config, role: Role) {
  if (role === "command") return;
  if (role !== "all" && config.queue.kind === "inline")
    throw configInvalid(
      `--role ${role} needs the pg-boss queue (CRM_RECO_QUEUE=pgboss): the in-process queue runs jobs only in the process that sends them.`,
    );
  if (role !== "all" && config.database.driver === "pglite")
    throw configInvalid(
      `--role ${role} needs PostgreSQL (DATABASE_URL): the embedded PGlite database opens in one process only. Use --role all.`,
    );
  requireServerKey(config);
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
