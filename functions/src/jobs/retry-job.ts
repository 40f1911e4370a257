import { and, eq, inArray, sql } from "drizzle-orm";
import { AppError } from "@crm-reco/core";
import { jobs } from "../db/schema/index.ts";
import type { Services } from "../services.ts";
import { getJob, type JobRow } from "./job-records.ts";

/**
 * Queues a failed or dead job again, as it was asked the first time (same payload, same id, so
 * its history stays one record). Whatever stopped it — Odoo down, a file fixed since, a dead
 * letter — the work is idempotent: what was committed before stays and is not done twice.
 */
export async function retryJob(
  services: Pick<Services, "db" | "queue">,
  tenantId: string,
  jobId: string,
): Promise<JobRow> {
  const job = await getJob(services.db.db, tenantId, jobId);
  const [queued] = await services.db.db
    .update(jobs)
    .set({
      status: "queued",
      errorCode: null,
      errorMessage: null,
      finishedAt: null,
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobs.id, job.id), inArray(jobs.status, ["failed", "dead"])))
    .returning();
  if (!queued)
    throw new AppError(
      "job.conflict",
      `This job is ${job.status}: only a failed job can be run again.`,
      { status: job.status },
    );
  await services.queue.send({
    id: queued.id,
    kind: queued.kind,
    tenantId: queued.tenantId,
    payload: queued.payload,
  });
  return queued;
}
