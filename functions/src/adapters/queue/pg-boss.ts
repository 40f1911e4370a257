import { createHash } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import { fromPglite, type Job, type JobWithMetadata, PgBoss } from "pg-boss";
import type { JobHandler, JobKind, JobMessage, JobQueue } from "@crm-reco/core";

// A Record, so a kind added to the port fails the typecheck here until it has its queue.
const queuedKinds: Record<JobKind, true> = {
  import: true,
  sync: true,
  regenerate: true,
  webhook: true,
};
const jobKinds = Object.keys(queuedKinds) as JobKind[];

export interface PgBossQueueOptions {
  /** Where the jobs live: the app's PostgreSQL (pg-boss opens its own small pool) or its PGlite. */
  database: { connectionString: string; maxConnections?: number } | { pglite: PGlite };
  /** pg-boss installs its tables here, apart from the app's migrations. */
  schema?: string;
  /** Deliveries before a job is dead-lettered. */
  maxAttempts?: number;
  /**
   * Delay before the n-th retry: about base × 2^(n-1), with up to as much again of jitter. pg-boss
   * counts whole seconds, so this is rounded; under half a second means retry at once (tests).
   */
  retryBaseMs?: number;
  /**
   * Called once a job has failed its last attempt, from the worker of the kind's dead-letter queue:
   * also for a job that timed out or whose process died, and retried if it throws.
   */
  onDead?: (job: JobMessage, error: unknown) => void | Promise<void>;
  /** Jobs of one kind run at once in this process. */
  concurrency?: number;
  /** How often an idle worker looks for jobs; pg-boss's floor is 0.5. */
  pollingIntervalSeconds?: number;
  /** A delivery running longer than this is failed (and retried) by pg-boss's supervisor. */
  jobTimeoutSeconds?: number;
  /**
   * A running job tells the database it is alive this often (half of it, in fact); one silent for
   * longer belonged to a process that died (SIGKILL, power loss) and is retried. At least 10.
   * Without it such a job waits for `jobTimeoutSeconds` (pg-boss's default: 15 minutes).
   */
  heartbeatSeconds?: number;
  /**
   * How often pg-boss looks for timed-out and silent jobs, and does its housekeeping; pg-boss's
   * default is 60.
   */
  superviseIntervalSeconds?: number;
  /**
   * False in a process that only sends jobs (the web role, one-shot commands): it leaves the
   * supervising and the sending of scheduled jobs to the workers.
   */
  maintenance?: boolean;
  /** How long stop() lets in-flight handlers finish before failing them back to the queue. */
  stopTimeoutMs?: number;
  /** pg-boss reports failures of its background loops here instead of crashing the process. */
  onError?: (error: Error) => void;
}

export interface PgBossQueue extends JobQueue {
  /**
   * Sends a job of `kind` on a cron expression, evaluated in UTC unless `tz` says otherwise. One
   * schedule per kind and tenant unless `key` tells them apart; pg-boss fires it once across all
   * processes. Each occurrence is a new job whose id is pg-boss's own.
   */
  schedule(
    kind: JobKind,
    cron: string,
    job: Pick<JobMessage, "tenantId" | "payload">,
    options?: { key?: string; tz?: string },
  ): Promise<void>;
  unschedule(kind: JobKind, key: string): Promise<void>;
  /**
   * Runs `task` on a cron expression (UTC) in one of the processes that called this for `name`:
   * pg-boss sends one job per occurrence whichever process's clock gets there first, and one
   * worker takes it. A task that fails is not retried (the next occurrence is its retry), and an
   * occurrence is dropped while the previous one still waits or runs.
   */
  every(name: string, cron: string, task: () => Promise<void>): Promise<void>;
}

/** What a pg-boss job carries: our id is kept verbatim, whatever pg-boss's own id is. */
interface JobData {
  id?: string;
  tenantId: string;
  payload: unknown;
}

/**
 * The VPS queue: pg-boss in the app's own PostgreSQL, so jobs survive restarts and several
 * processes share them. One pg-boss queue per kind, each with its dead-letter queue; jobs are
 * handled one at a time (a batch that throws would fail every job in it).
 */
export async function createPgBossQueue(options: PgBossQueueOptions): Promise<PgBossQueue> {
  const maxAttempts = options.maxAttempts ?? 3;
  const retryDelaySeconds = Math.round((options.retryBaseMs ?? 1_000) / 1_000);
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
  const concurrency = options.concurrency ?? 1;
  const schema = options.schema ?? "pgboss";
  const maintenance = options.maintenance ?? true;
  const supervising = {
    supervise: maintenance,
    schedule: maintenance,
    ...(options.superviseIntervalSeconds
      ? {
          // A pass needs both timers due, so they move together.
          superviseIntervalSeconds: options.superviseIntervalSeconds,
          monitorIntervalSeconds: options.superviseIntervalSeconds,
        }
      : {}),
  };
  const boss =
    "pglite" in options.database
      ? new PgBoss({
          db: fromPglite(options.database.pglite),
          backend: "pglite",
          schema,
          ...supervising,
        })
      : new PgBoss({
          connectionString: options.database.connectionString,
          max: options.database.maxConnections ?? 4,
          schema,
          ...supervising,
        });
  // An `error` event nobody listens to would throw out of pg-boss's timers and end the process.
  boss.on("error", options.onError ?? ((error) => console.error("pg-boss:", error)));
  await boss.start();
  try {
    await createQueues(boss, maxAttempts, retryDelaySeconds, {
      expireInSeconds: options.jobTimeoutSeconds,
      heartbeatSeconds: options.heartbeatSeconds,
    });
  } catch (error) {
    await boss.stop({ graceful: false });
    throw error;
  }

  const workOptions = { batchSize: 1, localConcurrency: concurrency, pollingIntervalSeconds };
  let stopped = false;

  return {
    async send(job) {
      if (stopped) throw new Error("The queue is stopped.");
      const data: JobData = { id: job.id, tenantId: job.tenantId, payload: job.payload };
      // The id is the primary key: a second send of it inserts nothing while pg-boss keeps the first.
      await boss.send(job.kind, data, { id: toPgBossId(job.id) });
    },

    async work(kind, handler: JobHandler) {
      await boss.work(kind, workOptions, async ([job]: Job<JobData>[]) => {
        await handler(toMessage(kind, job!, job!.retryCount + 1));
      });
      const onDead = options.onDead;
      if (!onDead) return; // Dead letters then wait in their queue, for pg-boss's redrive.
      await boss.work(
        deadLetterQueue(kind),
        { ...workOptions, includeMetadata: true },
        async ([dead]: JobWithMetadata<JobData>[]) => {
          const attempt = (dead!.sourceRetryCount ?? maxAttempts - 1) + 1;
          await onDead(
            toMessage(kind, dead!, attempt, dead!.sourceId),
            errorFromOutput(dead!.sourceOutput),
          );
        },
      );
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      await boss.stop({ graceful: true, timeout: options.stopTimeoutMs ?? 30_000 });
    },

    async schedule(kind, cron, job, scheduleOptions = {}) {
      const data: JobData = { tenantId: job.tenantId, payload: job.payload };
      await boss.schedule(kind, cron, data, {
        key: scheduleOptions.key ?? job.tenantId,
        ...(scheduleOptions.tz ? { tz: scheduleOptions.tz } : {}),
      });
    },

    async unschedule(kind, key) {
      await boss.unschedule(kind, key);
    },

    async every(name, cron, task) {
      const queue = `every.${name}`;
      const tickOptions = {
        retryLimit: 0,
        expireInSeconds: 15 * 60,
        // Ticks are not history: keep an hour of them for a look at what ran.
        deleteAfterSeconds: 60 * 60,
      };
      await boss.createQueue(queue, { ...tickOptions, policy: "exclusive" });
      await boss.updateQueue(queue, tickOptions);
      await boss.schedule(queue, cron);
      await boss.work(queue, workOptions, async () => {
        await task();
      });
    },
  };
}

/**
 * One queue per kind and its dead-letter queue. Retry settings live on the queues, not on each
 * send, so every process retries alike; updating them applies a changed setting to a queue an
 * earlier release created (pg-boss's createQueue leaves an existing queue as it is).
 */
async function createQueues(
  boss: PgBoss,
  maxAttempts: number,
  retryDelaySeconds: number,
  limits: { expireInSeconds?: number; heartbeatSeconds?: number },
) {
  const retries = {
    retryLimit: maxAttempts - 1,
    retryDelay: retryDelaySeconds,
    retryBackoff: retryDelaySeconds > 0,
    ...(limits.expireInSeconds ? { expireInSeconds: limits.expireInSeconds } : {}),
  };
  const heartbeat = limits.heartbeatSeconds;
  const created = { ...retries, ...(heartbeat ? { heartbeatSeconds: heartbeat } : {}) };
  // null turns off a heartbeat an earlier configuration set.
  const updated = { ...retries, heartbeatSeconds: heartbeat ?? null };
  for (const kind of jobKinds) {
    // The dead-letter queue retries too: that is onDead being retried when it throws.
    await boss.createQueue(deadLetterQueue(kind), created);
    await boss.updateQueue(deadLetterQueue(kind), updated);
    await boss.createQueue(kind, { ...created, deadLetter: deadLetterQueue(kind) });
    await boss.updateQueue(kind, { ...updated, deadLetter: deadLetterQueue(kind) });
  }
}

function deadLetterQueue(kind: JobKind): string {
  return `${kind}.dead`;
}

function toMessage(
  kind: JobKind,
  job: Job<JobData>,
  attempt: number,
  fallbackId: string | null = job.id,
): JobMessage {
  const { id, tenantId, payload } = job.data;
  return { id: id ?? fallbackId ?? job.id, kind, tenantId, payload, attempt };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const idNamespace = "crm-reco/job-queue";

/**
 * pg-boss keys jobs by a uuid. Our ids are uuids in the app and pass through unchanged; any other
 * string (tests, callers' own keys) becomes a name-based uuid (RFC 9562 v5 layout), the same for
 * the same id, so a repeated send still finds the first.
 */
export function toPgBossId(id: string): string {
  if (uuidPattern.test(id)) return id.toLowerCase();
  const bytes = createHash("sha1").update(idNamespace).update("\0").update(id).digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * pg-boss stores a failure as the thrown error serialized (message, name, stack, own fields such
 * as our dotted `code`), or as `{ value: … }` when it failed the job itself (a timeout, a stop).
 */
function errorFromOutput(output: JobWithMetadata["sourceOutput"]): Error {
  const record = (output ?? {}) as Record<string, unknown>;
  const value = record.value;
  const source = (typeof value === "object" && value !== null ? value : record) as Record<
    string,
    unknown
  >;
  const message =
    typeof source.message === "string"
      ? source.message
      : typeof value === "string"
        ? value
        : "The job failed.";
  const error = new Error(message);
  if (typeof source.name === "string") error.name = source.name;
  if (typeof source.stack === "string") error.stack = source.stack;
  if (source.code !== undefined) Object.assign(error, { code: source.code });
  return error;
}
