import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../../../test/api-client.ts";
import { availableDrivers } from "../../../test/databases.ts";
import { createTestServices } from "../../../test/services.ts";
import { queryRows } from "../../adapters/db/database.ts";
import { createUser } from "../../auth/users.ts";
import { sources, syncRuns } from "../../db/schema/index.ts";
import { loadDemoEstate } from "../../demo/load-demo.ts";
import { segmentCustomers } from "../../recommend/segment-customers.ts";
import type { DashboardFigures } from "../../reports/dashboard-figures.ts";
import { ensureTenant } from "../../repos/tenants.ts";
import type { Services } from "../../services.ts";
import { createApp } from "../app.ts";

const PASSWORD = "correct horse battery";
// createTestServices' clock: 2026-11-25T10:00Z; the demo's sales end on 2026-10-31.

describe.each(availableDrivers.filter((d) => d !== "neon"))(
  "GET /api/dashboard on %s",
  (driver) => {
    let services: Services & { close(): Promise<void> };
    let app: ReturnType<typeof createApp>;
    let tenantId: string;
    let api: ReturnType<typeof apiClient>;

    beforeAll(async () => {
      services = await createTestServices(driver);
      app = createApp(services);
      api = apiClient(app, PASSWORD);
      for (const slug of ["dash", "empty"]) {
        const tenant = await ensureTenant(services.db.db, { slug, name: `Domaine ${slug}` });
        for (const role of ["viewer", "editor"] as const)
          await createUser(services.db.db, tenant.id, {
            email: `${role}@${slug}.fr`,
            password: PASSWORD,
            role,
          });
        if (slug === "dash") tenantId = tenant.id;
      }
      await loadDemoEstate(services, tenantId, () => {}, {
        privateCustomers: 60,
        tradeCustomers: 6,
      });
      // A scheduled Odoo source whose last sync failed and none succeeded since it was added, and
      // one that synced after its latest slot (3 a.m. in Paris = 02:00Z on 2026-11-25).
      const [late, fresh] = await services.db.db
        .insert(sources)
        .values([
          { tenantId, name: "Odoo en retard", kind: "odoo", schedule: "0 3 * * *" },
          { tenantId, name: "Odoo à jour", kind: "odoo", schedule: "0 3 * * *" },
        ])
        .returning({ id: sources.id });
      await services.db.db.execute(
        sql`update sources set created_at = '2026-11-01T00:00:00Z' where id in (${late!.id}::uuid, ${fresh!.id}::uuid)`,
      );
      await services.db.db.insert(syncRuns).values([
        {
          tenantId,
          sourceId: late!.id,
          trigger: "schedule",
          status: "failed",
          startedAt: new Date("2026-11-25T02:00:20Z"),
          errorMessage: "Odoo refused the API key.",
        },
        {
          tenantId,
          sourceId: fresh!.id,
          trigger: "schedule",
          status: "succeeded",
          startedAt: new Date("2026-11-25T02:00:30Z"),
        },
      ]);
    }, 300_000);
    afterAll(async () => {
      await services?.close();
    });

    const call = async (method: string, path: string, as: string, body?: unknown) =>
      api.call(method, path, { as, body });
    const dashboard = async (as = "viewer@dash.fr") => {
      const response = await call("GET", "/api/dashboard", as);
      expect(response.status).toBe(200);
      return response.body as unknown as DashboardFigures;
    };

    it("refuses an anonymous caller", async () => {
      expect((await app.request("/api/dashboard")).status).toBe(401);
    });

    it("counts orders per month over the last 24 months, empty months included, as the orders say", async () => {
      const figures = await dashboard();
      expect(figures.ordersByMonth).toHaveLength(24);
      expect(figures.ordersByMonth[0]!.month).toBe("2024-12");
      expect(figures.ordersByMonth.at(-1)).toEqual({ month: "2026-11", orders: 0, amount: 0 });
      const [truth] = await queryRows<{ orders: number; amount: number; october: number }>(
        services.db.db,
        sql`select count(*)::int as orders,
                 (select count(*)::int from orders where tenant_id = ${tenantId}::uuid and order_date between '2026-10-01' and '2026-10-31') as october,
                 (select sum(coalesce(l.total, l.quantity * l.unit_price))::float8 from order_lines l join orders o on o.id = l.order_id
                   where o.tenant_id = ${tenantId}::uuid and o.order_date >= '2024-12-01') as amount
          from orders where tenant_id = ${tenantId}::uuid and order_date >= '2024-12-01'`,
      );
      expect(truth!.orders).toBeGreaterThan(0);
      const sum = (key: "orders" | "amount") =>
        figures.ordersByMonth.reduce((total, m) => total + m[key], 0);
      expect(sum("orders")).toBe(truth!.orders);
      expect(sum("amount")).toBeCloseTo(truth!.amount, 0);
      expect(figures.ordersByMonth.find((m) => m.month === "2026-10")!.orders).toBe(truth!.october);
      // The whole history is in the total, not only the last 24 months (five years of sales).
      expect(figures.orders).toBeGreaterThan(truth!.orders);
    });

    it("counts a credit note as no order, in the figures and in the customer's segment, but takes its amount off", async () => {
      const before = await dashboard();
      const [buyer] = await queryRows<{
        customer_id: string;
        source_id: string;
        product_id: string;
      }>(
        services.db.db,
        sql`select o.customer_id, o.source_id, l.product_id from orders o join order_lines l on l.order_id = o.id
            where o.tenant_id = ${tenantId}::uuid and o.customer_id is not null order by o.order_date desc, o.id limit 1`,
      );
      const segmentBefore = (await segmentCustomers(services.db.db, tenantId, "2026-11-30")).get(
        buyer!.customer_id,
      );
      await services.db.db.execute(
        sql`with credit as (
              insert into orders (tenant_id, source_id, document_number, customer_id, order_date)
              values (${tenantId}::uuid, ${buyer!.source_id}::uuid, 'AV-TEST-1', ${buyer!.customer_id}::uuid, '2026-11-20')
              returning id)
            insert into order_lines (tenant_id, order_id, line_key, product_id, quantity, unit_price, total)
            select ${tenantId}::uuid, id, '1', ${buyer!.product_id}::uuid, -2, 12.5, -25 from credit`,
      );
      const after = await dashboard();
      expect(after.orders).toBe(before.orders);
      expect(after.ordersByMonth.at(-1)).toEqual({ month: "2026-11", orders: 0, amount: -25 });
      const segmentAfter = (await segmentCustomers(services.db.db, tenantId, "2026-11-30")).get(
        buyer!.customer_id,
      );
      expect(segmentAfter?.lastOrderDay).toBe(segmentBefore!.lastOrderDay);
      expect(segmentAfter?.reorderIntervalDays).toBe(segmentBefore!.reorderIntervalDays);
      // The customer's page marks it; the customers list takes no last purchase from it.
      const profile = await call("GET", `/api/customers/${buyer!.customer_id}`, "viewer@dash.fr");
      const orders = profile.body.orders as Array<{ documentNumber: string; creditNote: boolean }>;
      expect(orders.find((o) => o.documentNumber === "AV-TEST-1")?.creditNote).toBe(true);
      expect(orders.filter((o) => o.creditNote)).toHaveLength(1);
      const recent = await call(
        "GET",
        "/api/customers?lastPurchaseAfter=2026-11-01&limit=500",
        "viewer@dash.fr",
      );
      expect(recent.body.items!.map((c) => c.id)).not.toContain(buyer!.customer_id);
      await services.db.db.execute(
        sql`delete from orders where tenant_id = ${tenantId}::uuid and document_number = 'AV-TEST-1'`,
      );
    });

    it("gives the approval rate over decided recommendations and the feedback, as reviews happen", async () => {
      const before = await dashboard();
      expect(before.approval).toEqual({ rate: null, approved: 0, decided: 0 });
      expect(before.feedbackCount).toBe(0);
      expect(before.averageFeedback).toBeNull();
      const [first, second, third] = await queryRows<{ id: string }>(
        services.db.db,
        sql`select id from recommendations where tenant_id = ${tenantId}::uuid and status = 'pending' order by id limit 3`,
      );
      for (const id of [first!.id, second!.id])
        expect(
          (await call("POST", `/api/recommendations/${id}/approve`, "editor@dash.fr")).status,
        ).toBe(200);
      const rejected = await call(
        "POST",
        `/api/recommendations/${third!.id}/reject`,
        "editor@dash.fr",
        {
          reason: "Déjà en cave",
        },
      );
      expect(rejected.status).toBe(200);
      for (const [id, rating] of [
        [first!.id, 5],
        [second!.id, 2],
      ] as const)
        expect(
          (
            await call("PUT", `/api/recommendations/${id}/feedback`, "editor@dash.fr", {
              rating,
              comment: null,
            })
          ).status,
        ).toBeLessThan(300);
      const after = await dashboard();
      expect(after.approval).toEqual({ rate: 2 / 3, approved: 2, decided: 3 });
      expect(after.averageFeedback).toBeCloseTo(3.5);
      expect(after.feedbackCount).toBe(2);
      expect(after.recommendations.pending).toBe(before.recommendations.pending! - 3);
      expect(after.recommendations.rejected).toBe(1);
    });

    it("shows each source's last run and what needs attention, with where to deal with it", async () => {
      const figures = await dashboard();
      const byName = new Map(figures.lastSyncs.map((s) => [s.sourceName, s]));
      // The latest sync first: the demo's two file sources (at 10:00, by name), then the Odoo
      // sources synced earlier that morning.
      expect([...byName.keys()]).toEqual([
        "iSaVigne (démo)",
        "Odoo e-boutique (exports)",
        "Odoo à jour",
        "Odoo en retard",
      ]);
      const times = figures.lastSyncs.map((s) => s.run?.startedAt ?? "");
      expect(times).toEqual([...times].sort().reverse());
      expect(byName.get("iSaVigne (démo)")!.run).toMatchObject({
        entity: "order_lines",
        fileName: "ventes.csv",
      });
      expect(byName.get("Odoo en retard")!.run).toMatchObject({
        status: "failed",
        errorMessage: "Odoo refused the API key.",
        startedAt: "2026-11-25T02:00:20Z",
      });
      const [open] = await queryRows<{ high: number; merges: number }>(
        services.db.db,
        sql`select (select count(*)::int from anomalies where tenant_id = ${tenantId}::uuid and status = 'open' and severity in ('critical', 'high')) as high,
                 (select count(*)::int from merge_candidates where tenant_id = ${tenantId}::uuid and status = 'pending') as merges`,
      );
      const expected = [
        { kind: "failed_run", count: 1, source: "Odoo en retard", link: "/sources" },
        ...(open!.high > 0
          ? [{ kind: "high_anomalies", count: open!.high, source: null, link: "/anomalies" }]
          : []),
        ...(open!.merges > 0
          ? [
              {
                kind: "merge_candidates",
                count: open!.merges,
                source: null,
                link: "/customers/merges",
              },
            ]
          : []),
        { kind: "overdue_sync", count: 1, source: "Odoo en retard", link: "/sources" },
        {
          kind: "pending_recommendations",
          count: figures.recommendations.pending,
          source: null,
          link: "/recommendations",
        },
      ];
      expect(figures.needsAttention).toEqual(expected);
      expect(figures.openAnomalies.high ?? 0).toBeGreaterThan(0);
    });

    it("shows another estate none of it", async () => {
      const figures = await dashboard("viewer@empty.fr");
      expect(figures).toMatchObject({
        customers: 0,
        orders: 0,
        sources: 0,
        openAnomalies: {},
        recommendations: {},
        approval: { rate: null, approved: 0, decided: 0 },
        averageFeedback: null,
        feedbackCount: 0,
        lastSyncs: [],
        needsAttention: [],
      });
      expect(figures.ordersByMonth.every((m) => m.orders === 0 && m.amount === 0)).toBe(true);
    });
  },
);
