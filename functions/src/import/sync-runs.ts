import { and, desc, eq, sql } from "drizzle-orm";
import type { ImportEntity, QualityState } from "@crm-reco/core";
import type { Db, Tx } from "../adapters/db/database.ts";
import { syncRuns } from "../db/schema/index.ts";
import type { BatchCounts } from "./batch.ts";

export type SyncRun = typeof syncRuns.$inferSelect;
export type SyncTrigger = SyncRun["trigger"];

export interface NewRun {
  tenantId: string;
  sourceId: string;
  entity: ImportEntity;
  trigger: SyncTrigger;
  triggeredBy?: string;
  fileName: string;
  /** Null for an Odoo sync: it resumes from the source's cursor, not from a file position. */
  fileChecksum: string | null;
}

export async function createRun(db: Db | Tx, run: NewRun, startedAt: Date): Promise<SyncRun> {
  const [created] = await db
    .insert(syncRuns)
    .values({ ...run, status: "running", startedAt, progress: { lastLine: 0 } })
    .returning();
  return created!;
}

/**
 * An import of the same file into the same source that never finished (the process died): it is
 * resumed after its last committed batch rather than started over. Imports of one source are
 * run one at a time (by the job queue), so an unfinished run is a dead one.
 */
export async function findUnfinishedRun(
  db: Db | Tx,
  run: Pick<NewRun, "tenantId" | "sourceId" | "entity"> & { fileChecksum: string },
): Promise<SyncRun | undefined> {
  const [found] = await db
    .select()
    .from(syncRuns)
    .where(
      and(
        eq(syncRuns.tenantId, run.tenantId),
        eq(syncRuns.sourceId, run.sourceId),
        eq(syncRuns.entity, run.entity),
        eq(syncRuns.fileChecksum, run.fileChecksum),
        eq(syncRuns.status, "running"),
      ),
    )
    .orderBy(desc(syncRuns.startedAt))
    .limit(1);
  return found;
}

/** Adds a committed batch to the run, in the batch's own transaction: data and progress move together. */
export async function recordBatch(
  tx: Tx,
  runId: string,
  counts: BatchCounts & { read: number; rejected: number; lastLine: number },
  quality: QualityState,
) {
  await tx
    .update(syncRuns)
    .set({
      rowsRead: sql`${syncRuns.rowsRead} + ${counts.read}`,
      rowsInserted: sql`${syncRuns.rowsInserted} + ${counts.inserted}`,
      rowsUpdated: sql`${syncRuns.rowsUpdated} + ${counts.updated}`,
      rowsUnchanged: sql`${syncRuns.rowsUnchanged} + ${counts.unchanged}`,
      rowsRejected: sql`${syncRuns.rowsRejected} + ${counts.rejected}`,
      progress: { lastLine: counts.lastLine, quality },
      updatedAt: sql`now()`,
    })
    .where(eq(syncRuns.id, runId));
}

export async function updateRun(
  db: Db | Tx,
  runId: string,
  values: Partial<typeof syncRuns.$inferInsert>,
): Promise<SyncRun> {
  const [updated] = await db
    .update(syncRuns)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(syncRuns.id, runId))
    .returning();
  return updated!;
}
