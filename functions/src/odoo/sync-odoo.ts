import { sql } from "drizzle-orm";
import {
  AppError,
  isAppError,
  type OdooError,
  isModelUnavailable,
  isModelUnavailableCode,
} from "@crm-reco/core";
import { queryRows } from "../adapters/db/database.ts";
import type { SyncTrigger } from "../import/sync-runs.ts";
import { resolveIdentities } from "../identity/resolve-identities.ts";
import { refreshSegments } from "../recommend/segment-customers.ts";
import { getSource } from "../repos/sources.ts";
import type { Services } from "../services.ts";
import { connectOdoo } from "./connect-odoo.ts";
import { customersSync, orderLinesSync, productsSync, type SyncScope } from "./odoo-entities.ts";
import type { RetryPolicy } from "./odoo-http.ts";
import { createOdooReader } from "./odoo-reader.ts";
import { connectionOfSource, parseOdooConfig } from "./odoo-source.ts";
import { type EntitySync, type EntitySyncSummary, runEntitySync } from "./run-entity-sync.ts";

export interface OdooSyncRequest {
  tenantId: string;
  sourceId: string;
  trigger: SyncTrigger;
  triggeredBy?: string;
  /** Read everything again (and look for deletions), instead of what changed since the cursor. */
  full?: boolean;
  policy?: RetryPolicy;
}

export interface OdooSyncSummary {
  sourceId: string;
  protocol: "json2" | "jsonrpc" | null;
  serverVersion: string | null;
  status: "succeeded" | "partial" | "failed";
  full: boolean;
  runs: EntitySyncSummary[];
  errors: Array<{ code: string; message: string }>;
  durationMs: number;
}

/**
 * Syncs an Odoo source: customers, then products, then sales lines (which refer to both), each as
 * its own sync run. A failure ends its run as failed with the cursor where the last committed page
 * left it; what was committed stays, and the next sync resumes from there.
 */
export async function syncOdooSource(
  services: Pick<Services, "db" | "clock" | "log" | "secretKey">,
  request: OdooSyncRequest,
): Promise<OdooSyncSummary> {
  const started = services.clock.now();
  const { db } = services.db;
  const source = await getSource(db, request.tenantId, request.sourceId);
  const config = parseOdooConfig(source.config);
  const connection = connectionOfSource(source, services.secretKey);
  const log = services.log.child({ sourceId: source.id, odoo: config.url });
  await abandonRunsOfDeadSyncs(services, request);
  const summary: OdooSyncSummary = {
    sourceId: source.id,
    protocol: null,
    serverVersion: null,
    status: "succeeded",
    full: Boolean(request.full),
    runs: [],
    errors: [],
    durationMs: 0,
  };
  const retried = (error: OdooError, attempt: number, delayMs: number) =>
    log.warn({ code: error.code, attempt, delayMs }, "odoo call retried");
  try {
    const transport = await connectOdoo(connection, { policy: request.policy, onRetry: retried });
    summary.protocol = transport.protocol;
    summary.serverVersion = transport.serverVersion;
    const cursor = (source.cursor ?? {}) as Record<string, unknown>;
    const lastReconciled =
      typeof cursor.reconciledAt === "string" ? Date.parse(cursor.reconciledAt) : 0;
    const scope: SyncScope = {
      db,
      tenantId: request.tenantId,
      sourceId: source.id,
      reader: createOdooReader(transport, config.pageSize),
      config,
      cursor,
      full: Boolean(request.full),
      reconcile:
        Boolean(request.full) ||
        started.getTime() - lastReconciled > config.reconcileEveryDays * 86_400_000,
    };
    const target = {
      tenantId: request.tenantId,
      sourceId: source.id,
      trigger: request.trigger,
      triggeredBy: request.triggeredBy,
    };
    for (const prepare of [customersSync, productsSync, orderLinesSync]) {
      let sync: EntitySync;
      try {
        sync = await prepare(scope);
      } catch (error) {
        if (!isModelUnavailable(error)) throw error;
        summary.errors.push({ code: error.code, message: error.message });
        continue;
      }
      const run = await runEntitySync(services, target, sync);
      summary.runs.push(run);
      summary.errors.push(...run.errors);
      if (run.entity === "customers" && run.status !== "failed")
        await resolveIdentities(db, request.tenantId);
      const stop = run.errors.find(
        (e) => !isModelUnavailableCode(e.code) && e.code.startsWith("odoo."),
      );
      if (stop) break;
    }
    if (summary.runs.some((r) => r.status !== "failed" && r.entity !== "products"))
      await refreshSegments(db, request.tenantId);
    if (scope.reconcile && summary.errors.length === 0)
      await db.execute(
        sql`update sources set cursor = cursor || ${JSON.stringify({ reconciledAt: started.toISOString() })}::jsonb where id = ${source.id}::uuid`,
      );
  } catch (error) {
    if (!isAppError(error)) throw error;
    log.warn({ code: error.code }, "odoo sync could not start");
    summary.errors.push({ code: error.code, message: error.message });
  }
  const failed = summary.runs.filter((r) => r.status === "failed").length;
  summary.status =
    summary.errors.length === 0 && summary.runs.every((r) => r.status === "succeeded")
      ? "succeeded"
      : summary.runs.length > failed
        ? "partial"
        : "failed";
  summary.durationMs = services.clock.now().getTime() - started.getTime();
  return summary;
}

/**
 * Syncs of one source run one at a time (the queue sees to it), so a run still marked running
 * belongs to a process that died: it is closed as failed; its committed pages and cursor stand.
 */
async function abandonRunsOfDeadSyncs(
  services: Pick<Services, "db" | "clock">,
  request: OdooSyncRequest,
) {
  await queryRows(
    services.db.db,
    sql`update sync_runs set status = 'failed', error_code = 'sync.interrupted',
          error_message = 'The sync stopped before the end (the process was stopped); the next sync went on from its last saved page.',
          finished_at = ${services.clock.now().toISOString()}::timestamptz, updated_at = now()
        where tenant_id = ${request.tenantId}::uuid and source_id = ${request.sourceId}::uuid
          and status = 'running' and file_checksum is null returning id`,
  );
}

export const odooSyncFailed = (summary: OdooSyncSummary): AppError | null =>
  summary.status === "failed" && summary.errors[0]
    ? new AppError(summary.errors[0].code, summary.errors[0].message)
    : null;
