import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { queryRows } from "../../adapters/db/database.ts";
import type { AppEnv } from "../app-env.ts";
import { requireRole } from "../auth.ts";
import { json, Page, Paging, refusals, security } from "./shared.ts";

const Dashboard = z
  .object({
    customers: z.number().int(),
    products: z.number().int(),
    orders: z.number().int(),
    sources: z.number().int(),
    ordersByMonth: z.array(z.object({ month: z.string(), orders: z.number().int() })),
    openAnomalies: z.record(z.string(), z.number().int()),
    recommendations: z.record(z.string(), z.number().int()),
    averageFeedback: z.number().nullable(),
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
    const t = c.get("actor").tenantId;
    const db = c.get("services").db.db;
    const [counts] = await queryRows<{
      customers: number;
      products: number;
      orders: number;
      sources: number;
      feedback: number | null;
    }>(
      db,
      sql`select (select count(*)::int from customers where tenant_id = ${t}::uuid and merged_into is null and erased_at is null) as customers,
                 (select count(*)::int from products where tenant_id = ${t}::uuid) as products,
                 (select count(*)::int from orders where tenant_id = ${t}::uuid) as orders,
                 (select count(*)::int from sources where tenant_id = ${t}::uuid) as sources,
                 (select avg(rating)::float8 from feedback where tenant_id = ${t}::uuid) as feedback`,
    );
    const months = await queryRows<{ month: string; orders: number }>(
      db,
      sql`select to_char(order_date, 'YYYY-MM') as month, count(*)::int as orders from orders
          where tenant_id = ${t}::uuid group by 1 order by 1 desc limit 24`,
    );
    const anomalies = await queryRows<{ severity: string; n: number }>(
      db,
      sql`select severity, count(*)::int as n from anomalies where tenant_id = ${t}::uuid and status = 'open' group by 1`,
    );
    const recos = await queryRows<{ status: string; n: number }>(
      db,
      sql`select status, count(*)::int as n from recommendations where tenant_id = ${t}::uuid group by 1`,
    );
    return c.json(
      {
        customers: counts!.customers,
        products: counts!.products,
        orders: counts!.orders,
        sources: counts!.sources,
        ordersByMonth: months.reverse(),
        openAnomalies: Object.fromEntries(anomalies.map((a) => [a.severity, a.n])),
        recommendations: Object.fromEntries(recos.map((r) => [r.status, r.n])),
        averageFeedback: counts!.feedback,
      },
      200,
    );
  });

  app.openapi(auditLog, async (c) => {
    const actor = requireRole(c, "admin");
    const q = c.req.valid("query");
    const db = c.get("services").db.db;
    const rows = await queryRows<{
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
      sql`select a.id::int as id, to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at,
                 coalesce(u.email, 'api key ' || k.name) as actor, a.action, a.entity, a.entity_id, a.before, a.after
          from audit_log a left join users u on u.id = a.actor_user_id left join api_keys k on k.id = a.actor_api_key_id
          where a.tenant_id = ${actor.tenantId}::uuid order by a.id desc limit ${q.limit} offset ${q.offset}`,
    );
    const [count] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from audit_log where tenant_id = ${actor.tenantId}::uuid`,
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
        total: count!.n,
        limit: q.limit,
        offset: q.offset,
      },
      200,
    );
  });
}
