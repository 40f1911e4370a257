import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { JobHandler, JobKind, JobMessage, JobQueue } from "@crm-reco/core";

export interface SqsQueueOptions {
  client: SQSClient;
  /** One queue per kind of job; each has its dead-letter queue set by its redrive policy. */
  queueUrls: Record<JobKind, string>;
  /** Long-poll wait when this process consumes (`work`); Lambda consumes through its own poller. */
  waitSeconds?: number;
  /** Visibility given back to a failed message before it is tried again (backoff). */
  retryDelaySeconds?: (attempt: number) => number;
}

/** The body of every message: what `send` got, nothing AWS-specific. */
export const messageBody = (job: Omit<JobMessage, "attempt">) =>
  JSON.stringify({ id: job.id, kind: job.kind, tenantId: job.tenantId, payload: job.payload });

export function parseMessage(body: string, receiveCount: string | undefined): JobMessage {
  const parsed = JSON.parse(body) as Omit<JobMessage, "attempt">;
  if (typeof parsed?.id !== "string" || typeof parsed.kind !== "string")
    throw new Error("Not a job message.");
  return { ...parsed, attempt: Number(receiveCount ?? "1") || 1 };
}

/**
 * Jobs on Amazon SQS. On Lambda the messages are delivered by event source mappings to the
 * worker handlers (`handlers/queue-worker.ts`); `work` is the same consumption from a long-running
 * process (a local run against an emulator). Retries are SQS's: a failed message becomes visible
 * again, and after the queue's maxReceiveCount it moves to the dead-letter queue.
 */
export function createSqsQueue(options: SqsQueueOptions): JobQueue {
  const { client, queueUrls } = options;
  const backoff = options.retryDelaySeconds ?? ((attempt) => Math.min(900, 2 ** attempt * 5));
  let stopped = false;
  const loops: Array<Promise<void>> = [];

  async function consume(kind: JobKind, handler: JobHandler) {
    const url = queueUrls[kind];
    while (!stopped) {
      const answer = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 1,
          WaitTimeSeconds: options.waitSeconds ?? 20,
          MessageSystemAttributeNames: ["ApproximateReceiveCount"],
        }),
      );
      for (const message of answer.Messages ?? []) {
        const job = parseMessage(message.Body ?? "", message.Attributes?.ApproximateReceiveCount);
        try {
          await handler(job);
          await client.send(
            new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }),
          );
        } catch {
          await client.send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: url,
              ReceiptHandle: message.ReceiptHandle,
              VisibilityTimeout: backoff(job.attempt),
            }),
          );
        }
      }
    }
  }

  return {
    async send(job) {
      if (stopped) throw new Error("The queue is stopped.");
      await client.send(
        new SendMessageCommand({ QueueUrl: queueUrls[job.kind], MessageBody: messageBody(job) }),
      );
    },
    async work(kind, handler) {
      loops.push(consume(kind, handler));
    },
    async stop() {
      stopped = true;
      await Promise.allSettled(loops);
    },
  };
}
