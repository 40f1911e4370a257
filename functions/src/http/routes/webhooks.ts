import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { AppError } from "@crm-reco/core";
import { randomToken } from "../../auth/credentials.ts";
import { seal } from "../../auth/secret-box.ts";
import { webhookDeliveries, webhooks } from "../../db/schema/index.ts";
import { webhookEvents } from "../../webhooks/webhooks.ts";
import type { AppEnv } from "../app-env.ts";
import { audit } from "../audit.ts";
import { requireRole } from "../auth.ts";
import { IdParam, json, notFound, Page, Paging, refusals, security, jsonBody } from "./shared.ts";

const Webhook = z
  .object({
    id: z.uuid(),
    url: z.string(),
    events: z.array(z.enum(webhookEvents)),
    active: z.boolean(),
    createdAt: z.string(),
  })
  .openapi("Webhook");
const Delivery = z
  .object({
    id: z.uuid(),
    event: z.string(),
    status: z.enum(["pending", "delivered", "failed"]),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable(),
    error: z.string().nullable(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
  })
  .openapi("WebhookDelivery");

const list = createRoute({
  method: "get",
  path: "/api/webhooks",
  tags: ["webhooks"],
  summary: "Registered webhooks (admin)",
  security,
  responses: { 200: json(z.object({ items: z.array(Webhook) }), "Webhooks"), ...refusals },
});
const register = createRoute({
  method: "post",
  path: "/api/webhooks",
  tags: ["webhooks"],
  summary:
    "Register a URL for events (admin). The signing secret is shown in this response only; each delivery carries X-CRM-Reco-Signature: sha256=HMAC(secret, timestamp + '.' + body)",
  security,
  request: {
    body: jsonBody(
      z.object({
        url: z.url({ protocol: /^https?$/ }).max(2000),
        events: z.array(z.enum(webhookEvents)).min(1),
      }),
    ),
  },
  responses: { 201: json(Webhook.extend({ secret: z.string() }), "Registered"), ...refusals },
});
const remove = createRoute({
  method: "delete",
  path: "/api/webhooks/{id}",
  tags: ["webhooks"],
  summary: "Delete a webhook (admin)",
  security,
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, ...refusals, ...notFound },
});
const deliveries = createRoute({
  method: "get",
  path: "/api/webhooks/{id}/deliveries",
  tags: ["webhooks"],
  summary: "Delivery log of a webhook, newest first (admin)",
  security,
  request: { params: IdParam, query: Paging },
  responses: { 200: json(Page(Delivery), "Deliveries"), ...refusals, ...notFound },
});

const view = (w: typeof webhooks.$inferSelect): z.infer<typeof Webhook> => ({
  id: w.id,
  url: w.url,
  events: w.events as Array<(typeof webhookEvents)[number]>,
  active: w.active,
  createdAt: w.createdAt.toISOString(),
});

export function registerWebhooks(app: OpenAPIHono<AppEnv>) {
  const find = async (
    db: AppEnv["Variables"]["services"]["db"]["db"],
    tenantId: string,
    id: string,
  ) => {
    const [w] = await db
      .select()
      .from(webhooks)
      .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, id)));
    if (!w) throw new AppError("webhook.not_found", "No such webhook.");
    return w;
  };

  app.openapi(list, async (c) => {
    const actor = requireRole(c, "admin");
    const rows = await c
      .get("services")
      .db.db.select()
      .from(webhooks)
      .where(eq(webhooks.tenantId, actor.tenantId))
      .orderBy(webhooks.createdAt);
    return c.json({ items: rows.map(view) }, 200);
  });

  app.openapi(register, async (c) => {
    const actor = requireRole(c, "admin");
    const { db, secretKey } = c.get("services");
    const body = c.req.valid("json");
    const secret = `whsec_${randomToken()}`;
    const [row] = await db.db
      .insert(webhooks)
      .values({
        tenantId: actor.tenantId,
        url: body.url,
        events: [...new Set(body.events)],
        secretEncrypted: seal(secretKey, secret),
      })
      .returning();
    await audit(c, db.db, {
      action: "webhook.registered",
      entity: "webhook",
      entityId: row!.id,
      after: { url: row!.url, events: row!.events },
    });
    return c.json({ ...view(row!), secret }, 201);
  });

  app.openapi(remove, async (c) => {
    const actor = requireRole(c, "admin");
    const db = c.get("services").db.db;
    const w = await find(db, actor.tenantId, c.req.valid("param").id);
    await db.delete(webhooks).where(eq(webhooks.id, w.id));
    await audit(c, db, {
      action: "webhook.deleted",
      entity: "webhook",
      entityId: w.id,
      before: { url: w.url },
    });
    return c.body(null, 204);
  });

  app.openapi(deliveries, async (c) => {
    const actor = requireRole(c, "admin");
    const db = c.get("services").db.db;
    const w = await find(db, actor.tenantId, c.req.valid("param").id);
    const q = c.req.valid("query");
    const rows = await db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.webhookId, w.id))
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(q.limit)
      .offset(q.offset);
    const total = (await db.$count(
      webhookDeliveries,
      eq(webhookDeliveries.webhookId, w.id),
    )) as number;
    return c.json(
      {
        items: rows.map((d) => ({
          id: d.id,
          event: d.event,
          status: d.status,
          attempts: d.attempts,
          responseStatus: d.responseStatus,
          error: d.error,
          createdAt: d.createdAt.toISOString(),
          deliveredAt: d.deliveredAt ? d.deliveredAt.toISOString() : null,
        })),
        total,
        limit: q.limit,
        offset: q.offset,
      },
      200,
    );
  });
}
