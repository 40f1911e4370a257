import { lambdaServices } from "./lambda-services.ts";
import { createQueueWorker } from "./queue-worker.ts";

/** SQS → the import jobs (see queue-worker.ts). */
export const handler = createQueueWorker("import", lambdaServices);
