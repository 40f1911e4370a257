import type { JobQueue } from "@crm-reco/core";

/**
 * A queue opened on first use. One-shot commands get the server's queue this way: most send
 * nothing, and starting pg-boss (its schema check, its queues) costs a second or two for nothing.
 */
export function createLazyQueue(open: () => Promise<JobQueue>): JobQueue {
  let opened: Promise<JobQueue> | undefined;
  const queue = () => (opened ??= open());
  return {
    send: async (job) => (await queue()).send(job),
    work: async (kind, handler) => (await queue()).work(kind, handler),
    async stop() {
      // A queue that failed to open has nothing to stop; its error went to the send that opened it.
      await (await opened?.catch(() => undefined))?.stop();
    },
  };
}
