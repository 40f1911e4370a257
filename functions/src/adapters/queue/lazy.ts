import type { JobQueue } from "@crm-reco/core";
import { onFirstUse } from "../on-first-use.ts";

/**
 * A queue opened on first use. One-shot commands get the server's queue this way: most send
 * nothing, and starting pg-boss (its schema check, its queues) costs a second or two for nothing.
 * On Lambda, the SQS client (the AWS SDK) loads only in an invocation that sends a job.
 */
export function createLazyQueue(open: () => Promise<JobQueue>): JobQueue {
  const queue = onFirstUse(open);
  return {
    send: async (job) => (await queue()).send(job),
    work: async (kind, handler) => (await queue()).work(kind, handler),
    // A queue never opened, or that failed to open, has nothing to stop.
    stop: async () => (await queue.ifOpened())?.stop(),
  };
}
