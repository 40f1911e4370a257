import { and, eq, sql } from "drizzle-orm";
import type { JobKind } from "@crm-reco/core";
import { AppError, isUuid } from "@crm-reco/core";
import type { Db } from "../adapters/db/database.ts";
import { jobs } from "../db/schema/index.ts";
import type { Services } from "../services.ts";

export type JobRow = typeof jobs.$inferSelect;

/**
 * Records a job and hands it to the queue. With a dedupe key (e.g. the upload's checksum), the same
 * work asked twice is one job: the existing record is returned and nothing is sent again.
 */
export async function enqueueJob(
  services: Pick<Services, "db" | "queue">,
  input: { tenantId: string; kind: JobKind; payload: Record<string, unknown>; dedupeKey?: string },
): Promise<JobRow> {
  const db = services.db.db;
  const [created] = await db
    .insert(jobs)
    .values({
      tenantId: input.tenantId,
      kind: input.kind,
      payload: input.payload,
      dedupeKey: input.dedupeKey ?? null,
    })
    .onConflictDoNothing()
    .returning();
  if (!created) {
    const [existing] = await db
      .select()
      .from(jobs)
      .where(
        and(
          eq(jobs.tenantId, input.tenantId),
          eq(jobs.kind, input.kind),
          eq(jobs.dedupeKey, input.dedupeKey!),
        ),
      );
    return existing!;
  }
  await services.queue.send({
    id: created.id,
    kind: input.kind,
    tenantId: input.tenantId,
    payload: input.payload,
  });
  return created;
}

export async function getJob(db: Db, tenantId: string, id: string): Promise<JobRow> {
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, id)));
  if (!job) throw new AppError("job.not_found", "No such job.");
  return job;
}

/**
 * Runs one delivery of a job and keeps its record honest: running (attempts counted), then
 * succeeded with its result, or failed with the error (the queue retries; its last failure is
 * final).
 */
export async function runRecorded(
  db: Db,
  jobId: string,
  work: () => Promise<Record<string, unknown>>,
): Promise<void> {
  await db
    .update(jobs)
    .set({
      status: "running",
      attempts: sql`${jobs.attempts} + 1`,
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
      updatedAt: sql`now()`,
    })
    .where(eq(jobs.id, jobId));
  try {
    const result = await work();
    await db
      .update(jobs)
      .set({
        // A job that did part of its work and queued the rest (a long import on Lambda) waits.
        status: result.continues === true ? "queued" : "succeeded",
        result,
        finishedAt: sql`now()`,
        updatedAt: sql`now()`,
        errorCode: null,
        errorMessage: null,
      })
      .where(eq(jobs.id, jobId));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    await db
      .update(jobs)
      .set({
        status: "failed",
        errorCode: typeof code === "string" ? code : "internal",
        errorMessage: (error as Error).message ?? String(error),
        finishedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(eq(jobs.id, jobId));
    throw error;
  }
}

/**
 * Records that a job failed for good (the queue's dead letter): status `dead`, shown as a failed
 * run. A failure the handler recorded itself keeps its code and message; a job that never got to
 * record one (its process died, it timed out) gets the queue's error as `job.interrupted`.
 */
export async function markJobDead(db: Db, jobId: string, error: unknown): Promise<void> {
  if (!isUuid(jobId)) return; // not one of ours: nothing recorded to update
  const [row] = await db.select().from(jobs).where(eq(jobs.id, jobId));
  if (!row || row.status === "succeeded" || row.status === "dead") return;
  const code = (error as { code?: unknown } | null)?.code;
  const message = (error as Error | null)?.message || String(error);
  const recorded = row.status === "failed" && typeof code !== "string";
  await db
    .update(jobs)
    .set({
      status: "dead",
      errorCode: recorded ? row.errorCode : typeof code === "string" ? code : "job.interrupted",
      errorMessage: recorded ? row.errorMessage : message,
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(eq(jobs.id, jobId));
}
