import { lambdaServices } from "./lambda-services.ts";
import { createQueueWorker } from "./queue-worker.ts";

/** SQS → the webhook jobs (see queue-worker.ts). */
export const handler = createQueueWorker("webhook", lambdaServices);
