/**
 * Background work (imports, syncs, regeneration, webhook deliveries). In-process for the embedded
 * mode, pg-boss on the VPS, SQS on AWS: the same messages and the same handlers everywhere.
 */
export type JobKind = "import" | "sync" | "regenerate" | "webhook";

export interface JobMessage<P = unknown> {
  id: string;
  kind: JobKind;
  tenantId: string;
  payload: P;
  /** 1 on the first delivery; a handler must be idempotent for any value above that. */
  attempt: number;
}

export type JobHandler = (job: JobMessage) => Promise<void>;

export interface JobQueue {
  /** Enqueues a job; a job with an id already seen is not enqueued twice. */
  send(job: Omit<JobMessage, "attempt">): Promise<void>;
  /** Registers the handler for a kind; consumers start delivering after this. */
  work(kind: JobKind, handler: JobHandler): Promise<void>;
  /** Stops delivering and waits for in-flight jobs to finish. */
  stop(): Promise<void>;
}
