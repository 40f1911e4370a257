import { createHmac } from "node:crypto";
import { sql } from "drizzle-orm";
import { AppError, type JobMessage } from "@crm-reco/core";
import { queryRows } from "../adapters/db/database.ts";
import { open } from "../auth/secret-box.ts";
import { enqueueJob } from "../jobs/job-records.ts";
import type { Services } from "../services.ts";

export const webhookEvents = [
  "import.finished",
  "sync.finished",
  "recommendations.generated",
  "recommendation.approved",
  // Also when an approval is withdrawn (possible until exported or sent to Odoo): a receiver that
  // acted on the approval hears that it no longer stands.
  "recommendation.rejected",
  "export.created",
] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

/** Time allowed for a receiver to answer before the attempt counts as failed. */
const TIMEOUT_MS = 10_000;

/**
 * `X-CRM-Reco-Signature: sha256=<hex>` over `<timestamp>.<body>` with the webhook's secret: the
 * receiver recomputes it, compares in constant time, and refuses old timestamps (replays).
 */
export const signature = (secret: string, timestamp: string, body: string) =>
  `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;

/**
 * Records one delivery per subscribed webhook and queues it. Never fails the caller's work: an
 * estate's receiver being down must not stop an import.
 */
export async function emitEvent(
  services: Pick<Services, "db" | "queue" | "log">,
  tenantId: string,
  event: WebhookEvent,
  data: Record<string, unknown>,
): Promise<void> {
  try {
    const deliveries = await queryRows<{ id: string }>(
      services.db.db,
      sql`insert into webhook_deliveries (tenant_id, webhook_id, event, payload)
          select w.tenant_id, w.id, ${event}, ${JSON.stringify({ event, data })}::jsonb from webhooks w
          where w.tenant_id = ${tenantId}::uuid and w.active and ${event} = any(w.events)
          returning id`,
    );
    for (const d of deliveries)
      await enqueueJob(services, {
        tenantId,
        kind: "webhook",
        payload: { deliveryId: d.id },
        dedupeKey: d.id,
      });
  } catch (error) {
    services.log.error({ err: error, event }, "webhook event not recorded");
  }
}

/** One attempt at a delivery; throws on failure so that the queue retries it with backoff. */
export async function deliverWebhook(
  services: Services,
  job: JobMessage,
): Promise<Record<string, unknown>> {
  const { deliveryId } = job.payload as { deliveryId: string };
  const [d] = await queryRows<{
    id: string;
    event: string;
    payload: unknown;
    url: string;
    secret: string;
    created_at: string;
  }>(
    services.db.db,
    sql`select d.id, d.event, d.payload, w.url, w.secret_encrypted as secret,
               to_char(d.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at
        from webhook_deliveries d join webhooks w on w.id = d.webhook_id
        where d.id = ${deliveryId}::uuid and d.tenant_id = ${job.tenantId}::uuid`,
  );
  if (!d) return { skipped: "delivery or webhook deleted" };
  const payload = typeof d.payload === "string" ? JSON.parse(d.payload) : d.payload;
  const body = JSON.stringify({ id: d.id, createdAt: d.created_at, ...payload });
  const timestamp = String(Math.floor(services.clock.now().getTime() / 1000));
  let status: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(d.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": `crm-reco/${services.version}`,
        "x-crm-reco-event": d.event,
        "x-crm-reco-delivery": d.id,
        "x-crm-reco-timestamp": timestamp,
        "x-crm-reco-signature": signature(open(services.secretKey, d.secret), timestamp, body),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    status = response.status;
    await response.body?.cancel();
    if (status < 200 || status >= 300) error = `The receiver answered HTTP ${status}.`;
  } catch (cause) {
    error = `Could not reach the receiver: ${(cause as Error).message}`;
  }
  await services.db.db.execute(
    sql`update webhook_deliveries set attempts = attempts + 1, response_status = ${status}, error = ${error},
               status = ${error ? "failed" : "delivered"}, delivered_at = ${error ? null : services.clock.now().toISOString()}::timestamptz,
               updated_at = now()
        where id = ${d.id}::uuid`,
  );
  if (error) throw new AppError("webhook.unavailable", error);
  return { delivered: d.id, status };
}
