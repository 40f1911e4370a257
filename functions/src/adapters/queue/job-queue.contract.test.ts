import { describe, expect, it } from "vitest";
import type { JobMessage, JobQueue } from "@crm-reco/core";
import { createInlineQueue, type InlineQueueOptions } from "./inline.ts";

// One contract for every JobQueue; pg-boss and SQS join this list when they land.
const implementations: Array<[string, (options: InlineQueueOptions) => JobQueue]> = [
  ["inline", (options) => createInlineQueue(options)],
];

const waitFor = async (condition: () => boolean, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe.each(implementations)("JobQueue contract [%s]", (_name, make) => {
  it("delivers a job to the handler of its kind, once", async () => {
    const queue = make({});
    const seen: JobMessage[] = [];
    await queue.work("import", async (job) => void seen.push(job));
    await queue.send({
      id: "j1",
      kind: "import",
      tenantId: "t1",
      payload: { file: "clients.csv" },
    });
    await queue.send({
      id: "j1",
      kind: "import",
      tenantId: "t1",
      payload: { file: "clients.csv" },
    });
    await queue.stop();
    expect(seen).toEqual([
      { id: "j1", kind: "import", tenantId: "t1", payload: { file: "clients.csv" }, attempt: 1 },
    ]);
  });

  it("holds jobs sent before a worker registers", async () => {
    const queue = make({});
    const seen: string[] = [];
    await queue.send({ id: "early", kind: "sync", tenantId: "t1", payload: {} });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await queue.work("sync", async (job) => void seen.push(job.id));
    await waitFor(() => seen.length === 1);
    await queue.stop();
    expect(seen).toEqual(["early"]);
  });

  it("retries a failing job, then dead-letters it after the last attempt", async () => {
    const dead: Array<{ id: string; attempt: number; error: string }> = [];
    const queue = make({
      maxAttempts: 3,
      retryBaseMs: 1,
      onDead: (job, error) =>
        void dead.push({ id: job.id, attempt: job.attempt, error: (error as Error).message }),
    });
    const attempts: number[] = [];
    await queue.work("regenerate", async (job) => {
      attempts.push(job.attempt);
      throw new Error("poison");
    });
    await queue.send({ id: "p1", kind: "regenerate", tenantId: "t1", payload: {} });
    await waitFor(() => dead.length === 1);
    await queue.stop();
    expect(attempts).toEqual([1, 2, 3]);
    expect(dead).toEqual([{ id: "p1", attempt: 3, error: "poison" }]);
  });

  it("succeeds on a retry without dead-lettering", async () => {
    const dead: string[] = [];
    const queue = make({ maxAttempts: 3, retryBaseMs: 1, onDead: (job) => void dead.push(job.id) });
    const done: number[] = [];
    await queue.work("webhook", async (job) => {
      if (job.attempt === 1) throw new Error("transient");
      done.push(job.attempt);
    });
    await queue.send({ id: "w1", kind: "webhook", tenantId: "t1", payload: {} });
    await waitFor(() => done.length === 1);
    await queue.stop();
    expect(done).toEqual([2]);
    expect(dead).toEqual([]);
  });

  it("waits for in-flight jobs when stopped", async () => {
    const queue = make({});
    let finished = false;
    await queue.work("import", async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      finished = true;
    });
    await queue.send({ id: "slow", kind: "import", tenantId: "t1", payload: {} });
    await queue.stop();
    expect(finished).toBe(true);
  });
});
