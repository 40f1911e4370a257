import type { Services } from "../services.ts";
import { enqueueDueSyncs } from "./enqueue-due-syncs.ts";
import { enqueueDebouncedRegeneration } from "./regenerate-after-imports.ts";

/** Runs a task on a cron expression in one process among all those sharing the database. */
export type RunEvery = (name: string, cron: string, task: () => Promise<void>) => Promise<void>;

export interface Scheduler {
  /** Stops ticking and waits for a tick in progress. */
  stop(): Promise<void>;
}

// Every minute: a source's slot is enqueued within a minute of coming due.
const TICK_CRON = "* * * * *";
const TICK_MS = 60_000;

/**
 * Starts the scheduler in place of EventBridge: every minute, `enqueueDueSyncs` and the debounced
 * regeneration after new data. With pg-boss
 * (`runEvery`), one tick per minute across every worker process; without it (the in-process
 * queue, a single process by construction), a plain timer that also ticks once at start to catch
 * up what came due while the server was stopped.
 */
export async function startScheduler(
  services: Services,
  runEvery?: RunEvery,
  intervalMs = TICK_MS,
): Promise<Scheduler> {
  const tick = async () => {
    try {
      await enqueueDueSyncs(services, services.clock.now());
      await enqueueDebouncedRegeneration(services, services.clock.now());
    } catch (error) {
      // The next tick tries again; a failure must not end the process.
      services.log.error({ err: error }, "scheduler tick failed");
    }
  };
  if (runEvery) {
    await runEvery("sync-due", TICK_CRON, tick);
    return { stop: async () => {} }; // the queue's stop() ends its workers
  }
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= tick().finally(() => (running = null)); // a slow tick is never overlapped
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  run();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
