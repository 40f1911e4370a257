import { Duration } from "aws-cdk-lib";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";

/** The kinds of background job, one queue each (the names the functions' config expects). */
export const jobKinds = ["import", "sync", "regenerate", "webhook"] as const;
export type JobKind = (typeof jobKinds)[number];

export interface JobSettings {
  /** The consuming function's timeout. */
  functionTimeoutSeconds: number;
  /** More than the function's timeout, or SQS offers a message still being worked on again. */
  visibilityTimeoutSeconds: number;
  /** Messages per invocation. */
  batchSize: number;
}

/**
 * Imports, syncs and regenerations can run for minutes: one message per invocation, with
 * Lambda's longest timeout, and a minute's margin before SQS offers the message again (a job
 * that failed or crashed is tried again about 16 minutes after it started). Webhook deliveries are short HTTP calls: ten at
 * a time, and six times the function's timeout, as AWS advises for SQS event sources.
 */
export const jobSettings: Record<JobKind, JobSettings> = {
  import: { functionTimeoutSeconds: 900, visibilityTimeoutSeconds: 960, batchSize: 1 },
  sync: { functionTimeoutSeconds: 900, visibilityTimeoutSeconds: 960, batchSize: 1 },
  regenerate: { functionTimeoutSeconds: 900, visibilityTimeoutSeconds: 960, batchSize: 1 },
  webhook: { functionTimeoutSeconds: 30, visibilityTimeoutSeconds: 180, batchSize: 10 },
};

/** The dead-letter function records dead jobs in the database: short work, ten at a time. */
export const deadLetterSettings: JobSettings = {
  functionTimeoutSeconds: 30,
  visibilityTimeoutSeconds: 180,
  batchSize: 10,
};

/** Deliveries before SQS gives up on a message and moves it to the dead-letter queue. */
export const maxReceiveCount = 5;

export interface JobQueue {
  queue: Queue;
  deadLetterQueue: Queue;
}

/**
 * A job queue and its dead-letter queue. Dead letters are kept 14 days (the SQS maximum) so a
 * failure found late can still be read; the dead-letter function consumes them too, hence their
 * own visibility timeout.
 */
export function createJobQueue(scope: Construct, id: string, kind: JobKind): JobQueue {
  const deadLetterQueue = new Queue(scope, `${id}DeadLetters`, {
    retentionPeriod: Duration.days(14),
    visibilityTimeout: Duration.seconds(deadLetterSettings.visibilityTimeoutSeconds),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  const queue = new Queue(scope, id, {
    visibilityTimeout: Duration.seconds(jobSettings[kind].visibilityTimeoutSeconds),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount },
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  return { queue, deadLetterQueue };
}
