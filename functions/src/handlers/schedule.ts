import type { ScheduledEvent } from "aws-lambda";
import { enqueueDueSyncs } from "../schedule/enqueue-due-syncs.ts";
import { enqueueDebouncedRegeneration } from "../schedule/regenerate-after-imports.ts";
import type { Services } from "../services.ts";
import { lambdaServices } from "./lambda-services.ts";

/**
 * EventBridge's rule (every few minutes) → the same tick the VPS worker runs every minute: a sync
 * job for each Odoo source whose schedule came due, and a regeneration for each estate whose new
 * data has gone quiet. A tick delivered twice enqueues nothing more.
 */
export function createScheduleHandler(services: () => Promise<Services>) {
  return async (event: Pick<ScheduledEvent, "time">) => {
    const ready = await services();
    const now = event.time ? new Date(event.time) : ready.clock.now();
    const { enqueued, invalid } = await enqueueDueSyncs(ready, now);
    for (const problem of invalid) ready.log.warn(problem, "source schedule cannot be read");
    const regenerations = await enqueueDebouncedRegeneration(ready, now);
    return {
      enqueued: enqueued.map((e) => e.jobId),
      regenerations,
      invalid: invalid.length,
    };
  };
}

export const handler = createScheduleHandler(lambdaServices);
