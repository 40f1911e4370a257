import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { sql } from "drizzle-orm";
import type { JobKind, JobMessage } from "@crm-reco/core";
import { queryRows } from "../adapters/db/database.ts";
import { parseMessage } from "../adapters/queue/sqs.ts";
import { jobHandlers } from "../jobs/workers.ts";
import { deliverWebhook } from "../webhooks/webhooks.ts";
import { runRecorded } from "../jobs/job-records.ts";
import type { Services } from "../services.ts";

type Handle = (services: Services, job: JobMessage, pauseAt: Date | undefined) => Promise<void>;

const handlers: Record<JobKind, Handle> = {
  import: (services, job, pauseAt) => jobHandlers.import(services, job, { pauseAt }),
  sync: (services, job) => jobHandlers.sync(services, job),
  regenerate: (services, job) => jobHandlers.regenerate(services, job),
  webhook: (services, job) =>
    runRecorded(services.db.db, job.id, () => deliverWebhook(services, job)),
};

const PAUSE_MARGIN_MS = 60_000;

/**
 * An SQS-triggered Lambda for one kind of job. Each message is one job; a failure is reported
 * for that message alone (`ReportBatchItemFailures`), so SQS retries only it and, after the
 * queue's maxReceiveCount, moves it to the dead-letter queue. A message delivered again for a job
 * already done (SQS delivers at least once) does nothing.
 */
export function createQueueWorker(kind: JobKind, services: () => Promise<Services>) {
  return async (
    event: SQSEvent,
    context?: Pick<Context, "getRemainingTimeInMillis">,
  ): Promise<SQSBatchResponse> => {
    const ready = await services();
    // Long work stops a minute before the function's timeout and queues its own continuation.
    const remaining = context?.getRemainingTimeInMillis?.();
    const pauseAt =
      remaining === undefined
        ? undefined
        : new Date(ready.clock.now().getTime() + remaining - PAUSE_MARGIN_MS);
    const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
    for (const record of event.Records) {
      try {
        const job = parseMessage(record.body, record.attributes.ApproximateReceiveCount);
        if (job.kind !== kind) throw new Error(`A ${job.kind} job reached the ${kind} worker.`);
        if (await alreadyDone(ready, job.id)) continue;
        await handlers[kind](ready, job, pauseAt);
      } catch (error) {
        ready.log.warn({ err: error, messageId: record.messageId, kind }, "job failed");
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

async function alreadyDone(services: Services, jobId: string): Promise<boolean> {
  const [row] = await queryRows<{ status: string }>(
    services.db.db,
    sql`select status from jobs where id = ${jobId}::uuid`,
  );
  return row?.status === "succeeded";
}
