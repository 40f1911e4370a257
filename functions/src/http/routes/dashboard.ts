import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { pageWithTotal } from "../../adapters/db/page-with-total.ts";
import { dashboardFigures } from "../../reports/dashboard-figures.ts";
import type { AppEnv } from "../app-env.ts";
import { requireRole } from "../auth.ts";
import { json, Page, Paging, refusals, security } from "./shared.ts";

const Dashboard = z
  .object({
    customers: z.number().int(),
    products: z.number().int(),
    orders: z.number().int(),
    sources: z.number().int(),
    ordersByMonth: z
      .array(z.object({ month: z.string(), orders: z.number().int(), amount: z.number() }))
      .openapi({ description: "The last 24 months, oldest first, months without orders included" }),
    openAnomalies: z.record(z.string(), z.number().int()),
    recommendations: z.record(z.string(), z.number().int()),
    approval: z.object({
      rate: z.number().nullable().openapi({ description: "approved / decided; null if none" }),
      approved: z.number().int(),
      decided: z.number().int(),
    }),
    averageFeedback: z.number().nullable(),
    feedbackCount: z.number().int(),
    lastSyncs: z.array(
      z.object({
        sourceId: z.string(),
        sourceName: z.string(),
        kind: z.enum(["file", "odoo"]),
        schedule: z.string().nullable(),
        run: z
          .object({
            id: z.string(),
            status: z.string(),
            entity: z.string().nullable(),
            fileName: z.string().nullable(),
            startedAt: z.string(),
            finishedAt: z.string().nullable(),
            errorMessage: z.string().nullable(),
            errorCode: z.string().nullable(),
          })
          .nullable(),
      }),
    ),
    needsAttention: z.array(
      z.object({
        kind: z.enum([
          "failed_run",
          "high_anomalies",
          "merge_candidates",
          "overdue_sync",
          "pending_recommendations",
        ]),
        count: z.number().int(),
        source: z.string().nullable(),
        link: z.string().openapi({ description: "The web app's page where it is dealt with" }),
      }),
    ),
  })
  .openapi("Dashboard");

const dashboard = createRoute({
  method: "get",
  path: "/api/dashboard",
  tags: ["dashboard"],
  summary: "Counts and trends of the estate",
  security,
  responses: { 200: json(Dashboard, "The figures"), ...refusals },
});

const AuditEntry = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.string().nullable(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
  })
  .openapi("AuditEntry");
const auditLog = createRoute({
  method: "get",
  path: "/api/audit-log",
  tags: ["audit"],
  summary: "Every write: who, what, when, before/after (admin)",
  security,
  request: { query: Paging },
  responses: { 200: json(Page(AuditEntry), "Newest first"), ...refusals },
});

export function registerDashboard(app: OpenAPIHono<AppEnv>) {
  app.openapi(dashboard, async (c) => {
    const services = c.get("services");
    const figures = await dashboardFigures(
      services.db.db,
      c.get("actor").tenantId,
      services.clock.now(),
    );
    return c.json(figures, 200);
  });

  app.openapi(auditLog, async (c) => {
    const actor = requireRole(c, "admin");
    const q = c.req.valid("query");
    const db = c.get("services").db.db;
    const { rows, total } = await pageWithTotal<{
      id: number;
      at: string;
      actor: string | null;
      action: string;
      entity: string;
      entity_id: string | null;
      before: unknown;
      after: unknown;
    }>(
      db,
      sql`select count(*)::int from audit_log where tenant_id = ${actor.tenantId}::uuid`,
      (total) =>
        sql`select a.id::int as id, to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at,
                   coalesce(u.email, 'api key ' || k.name) as actor, a.action, a.entity, a.entity_id, a.before, a.after, ${total}
            from audit_log a left join users u on u.id = a.actor_user_id left join api_keys k on k.id = a.actor_api_key_id
            where a.tenant_id = ${actor.tenantId}::uuid order by a.id desc limit ${q.limit} offset ${q.offset}`,
    );
    return c.json(
      {
        items: rows.map((r) => ({
          id: r.id,
          at: r.at,
          actor: r.actor,
          action: r.action,
          entity: r.entity,
          entityId: r.entity_id,
          before: r.before,
          after: r.after,
        })),
        total,
        limit: q.limit,
        offset: q.offset,
      },
      200,
    );
  });
}
