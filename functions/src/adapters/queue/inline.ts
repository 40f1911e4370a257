import type { JobHandler, JobKind, JobMessage, JobQueue } from "@crm-reco/core";

export interface InlineQueueOptions {
  /** Deliveries before a job is dead-lettered. */
  maxAttempts?: number;
  /** Delay before the n-th retry: base × 2^(n-1). */
  retryBaseMs?: number;
  /** Called once a job has failed its last attempt (the DLQ of the in-process queue). */
  onDead?: (job: JobMessage, error: unknown) => void | Promise<void>;
}

/**
 * The in-process queue of the embedded mode and of tests: same contract as SQS and pg-boss
 * (at-least-once, retries with backoff, dead-lettering), without a server. Jobs do not survive
 * a restart; the embedded mode records them in the `jobs` table to show and retry them.
 */
export function createInlineQueue(options: InlineQueueOptions = {}): JobQueue {
  const maxAttempts = options.maxAttempts ?? 3;
  const retryBaseMs = options.retryBaseMs ?? 500;
  const handlers = new Map<JobKind, JobHandler>();
  const pending = new Map<JobKind, JobMessage[]>();
  const seen = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  function deliver(job: JobMessage) {
    const handler = handlers.get(job.kind);
    if (!handler) {
      pending.set(job.kind, [...(pending.get(job.kind) ?? []), job]);
      return;
    }
    const run = (async () => {
      try {
        await handler(job);
      } catch (error) {
        if (job.attempt >= maxAttempts) {
          await options.onDead?.(job, error);
          return;
        }
        if (stopped) return;
        const timer = setTimeout(
          () => {
            timers.delete(timer);
            deliver({ ...job, attempt: job.attempt + 1 });
          },
          retryBaseMs * 2 ** (job.attempt - 1),
        );
        timers.add(timer);
      }
    })();
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
  }

  return {
    async send(job) {
      if (stopped) throw new Error("The queue is stopped.");
      if (seen.has(job.id)) return;
      seen.add(job.id);
      setImmediate(() => deliver({ ...job, attempt: 1 }));
    },
    async work(kind, handler) {
      handlers.set(kind, handler);
      const waiting = pending.get(kind) ?? [];
      pending.delete(kind);
      waiting.forEach(deliver);
    },
    async stop() {
      stopped = true;
      // Let deliveries already scheduled by send() start, so they are awaited below.
      await new Promise((resolve) => setImmediate(resolve));
      timers.forEach(clearTimeout);
      timers.clear();
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
