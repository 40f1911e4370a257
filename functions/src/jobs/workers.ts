import { sql } from "drizzle-orm";
import {
  AppError,
  type ImportEntity,
  type JobKind,
  type JobMessage,
  Mapping,
  uncertainFields,
} from "@crm-reco/core";
import { queryRows } from "../adapters/db/database.ts";
import { resolveIdentities } from "../identity/resolve-identities.ts";
import { importFile } from "../import/import-file.ts";
import { syncOdooSource } from "../odoo/sync-odoo.ts";
import { loadCampaignRules } from "../recommend/campaign-rules.ts";
import { type Algorithm, generateRecommendations } from "../recommend/generate.ts";
import { loadHistory } from "../recommend/load-history.ts";
import { refreshSegments, type Target } from "../recommend/segment-customers.ts";
import type { Services } from "../services.ts";
import { deliverWebhook, emitEvent } from "../webhooks/webhooks.ts";
import { runRecorded } from "./job-records.ts";

export interface RegeneratePayload {
  algorithm?: Algorithm;
  /** Overrides the estate's "at most K per customer" for this run; its stored rule otherwise. */
  k?: number;
  target?: Target;
}

export interface ImportPayload {
  sourceId: string;
  entity: ImportEntity;
  blobKey: string;
  fileName: string;
  checksum: string;
  mapping?: unknown;
  /** "manual" when someone asked to import the latest file again ("sync now"). */
  trigger?: "upload" | "manual";
  triggeredBy?: string | null;
}

export interface SyncPayload {
  sourceId: string;
  full?: boolean;
  trigger?: "manual" | "schedule" | "api";
  triggeredBy?: string | null;
  /** For a scheduled sync: the occurrence of the source's schedule it is for (ISO 8601). */
  slot?: string;
}

/** What each kind of job does: the same functions behind the in-process queue, pg-boss and SQS. */
export const jobHandlers = {
  async regenerate(services: Services, job: JobMessage) {
    const payload = job.payload as RegeneratePayload;
    await runRecorded(services.db.db, job.id, async () => {
      const history = await loadHistory(services.db.db, job.tenantId);
      if (history.purchases.length === 0)
        throw new AppError(
          "recommend.no_history",
          "No order lines to learn from: import sales first.",
        );
      const rules = await loadCampaignRules(services.db.db, job.tenantId);
      const summary = await generateRecommendations(
        services.db.db,
        job.tenantId,
        history,
        {
          algorithm: payload.algorithm ?? "hybrid",
          k: payload.k ?? rules.perCustomer,
          rules,
          target: payload.target,
        },
        () => services.clock.now(),
      );
      await emitEvent(services, job.tenantId, "recommendations.generated", { ...summary });
      return { ...summary };
    });
  },

  /**
   * With `pauseAt` (a Lambda's deadline), a long import commits what it can, queues the same job
   * again and returns; the next delivery resumes after the last committed batch.
   */
  async import(services: Services, job: JobMessage, options: { pauseAt?: Date } = {}) {
    const p = job.payload as ImportPayload;
    await runRecorded(services.db.db, job.id, async () => {
      const summary = await importFile(services, {
        pauseAt: options.pauseAt,
        tenantId: job.tenantId,
        sourceId: p.sourceId,
        entity: p.entity,
        fileName: p.fileName,
        checksum: p.checksum,
        open: () => services.blobs.get(p.blobKey),
        trigger: p.trigger ?? "upload",
        triggeredBy: p.triggeredBy ?? undefined,
        mapping: p.mapping === undefined ? undefined : Mapping.parse(p.mapping),
      });
      if (summary.status === "paused") {
        await services.queue.send({
          id: job.id,
          kind: job.kind,
          tenantId: job.tenantId,
          payload: job.payload,
        });
        return { continues: true, runId: summary.runId, rowsRead: summary.rowsRead };
      }
      const identities =
        summary.status !== "failed" && p.entity === "customers"
          ? await resolveIdentities(services.db.db, job.tenantId)
          : null;
      if (summary.status !== "failed" && p.entity !== "products")
        await refreshSegments(services.db.db, job.tenantId);
      const result = {
        runId: summary.runId,
        status: summary.status,
        rowsRead: summary.rowsRead,
        rowsInserted: summary.rowsInserted,
        rowsUpdated: summary.rowsUpdated,
        rowsUnchanged: summary.rowsUnchanged,
        rowsRejected: summary.rowsRejected,
        qualityScore: summary.qualityScore,
        // A mapping guessed with low confidence: the import happened, staff are told to check it.
        uncertainFields: uncertainFields(summary.mappingSuggestions),
        warnings: summary.warnings,
        errors: summary.errors,
        identities,
      };
      await emitEvent(services, job.tenantId, "import.finished", {
        sourceId: p.sourceId,
        entity: p.entity,
        fileName: p.fileName,
        ...result,
      });
      return result;
    });
  },

  async sync(services: Services, job: JobMessage) {
    const p = job.payload as SyncPayload;
    await runRecorded(services.db.db, job.id, async () => {
      const summary = await syncOdooSource(services, {
        tenantId: job.tenantId,
        sourceId: p.sourceId,
        trigger: p.trigger ?? "manual",
        triggeredBy: p.triggeredBy ?? undefined,
        full: p.full,
      });
      const result = {
        status: summary.status,
        protocol: summary.protocol,
        serverVersion: summary.serverVersion,
        runs: summary.runs.map((r) => ({
          runId: r.runId,
          entity: r.entity,
          status: r.status,
          rowsRead: r.rowsRead,
          rowsInserted: r.rowsInserted,
          rowsUpdated: r.rowsUpdated,
          rowsUnchanged: r.rowsUnchanged,
          rowsRejected: r.rowsRejected,
          rowsDeleted: r.rowsDeleted,
        })),
        errors: summary.errors,
      };
      await emitEvent(services, job.tenantId, "sync.finished", { sourceId: p.sourceId, ...result });
      // A sync that reached nobody is a failed job (retried by the queue when the cause is transient).
      if (summary.status === "failed" && summary.runs.length === 0 && summary.errors[0])
        throw new AppError(summary.errors[0].code, summary.errors[0].message);
      return result;
    });
  },
};

/** Starts consuming every job kind this app handles. */
export async function startWorkers(services: Services): Promise<void> {
  await services.queue.work("webhook", (job) =>
    runRecorded(services.db.db, job.id, () => deliverWebhook(services, job)),
  );
  await services.queue.work("regenerate", (job) => jobHandlers.regenerate(services, job));
  await services.queue.work("import", (job) => jobHandlers.import(services, job));
  await services.queue.work("sync", (job) => jobHandlers.sync(services, job));
}

/**
 * Hands the queue again every job recorded as queued or running: the in-process queue forgets its
 * jobs when the server stops, the jobs table does not. Called once by `serve` at start (not by
 * one-shot commands, which must not pick up the server's work).
 */
export async function resumeUnfinishedJobs(services: Services): Promise<number> {
  const rows = await queryRows<{ id: string; kind: JobKind; tenant_id: string; payload: unknown }>(
    services.db.db,
    sql`select id, kind, tenant_id, payload from jobs where status in ('queued', 'running') order by created_at, id`,
  );
  for (const row of rows)
    await services.queue.send({
      id: row.id,
      kind: row.kind,
      tenantId: row.tenant_id,
      payload: typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload,
    });
  return rows.length;
}
