import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { markJobDead } from "../jobs/job-records.ts";
import type { Services } from "../services.ts";
import { parseMessage } from "../adapters/queue/sqs.ts";
import { lambdaServices } from "./lambda-services.ts";

/**
 * Consumes every dead-letter queue: a job SQS gave up on is recorded as `dead` with its last
 * error, so it shows as a failed run in the API and the web app, where it can be retried
 * (`POST /api/jobs/{id}/retry`). A message that is not one of our jobs is dropped with a log line.
 */
export function createDeadLetterHandler(services: () => Promise<Services>) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const ready = await services();
    const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
    for (const record of event.Records) {
      let jobId: string;
      try {
        jobId = parseMessage(record.body, undefined).id;
      } catch {
        ready.log.error({ messageId: record.messageId }, "dead letter that is not a job: dropped");
        continue;
      }
      try {
        await markJobDead(
          ready.db.db,
          jobId,
          new Error(
            `SQS gave up after ${record.attributes.ApproximateReceiveCount ?? "several"} deliveries.`,
          ),
        );
        ready.log.error({ jobId, queue: record.eventSourceARN }, "job dead-lettered");
      } catch (error) {
        ready.log.warn({ err: error, jobId }, "dead letter not recorded yet");
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

export const handler = createDeadLetterHandler(lambdaServices);
