import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../../../test/api-client.ts";
import { availableDrivers } from "../../../test/databases.ts";
import { createTestServices } from "../../../test/services.ts";
import { queryRows } from "../../adapters/db/database.ts";
import { createApiKey, createUser } from "../../auth/users.ts";
import { clearEstateData, loadDemoEstate } from "../../demo/load-demo.ts";
import { createSource } from "../../repos/sources.ts";
import { ensureTenant } from "../../repos/tenants.ts";
import type { Services } from "../../services.ts";
import { createApp } from "../app.ts";

const PASSWORD = "correct horse battery";

describe.each(availableDrivers.filter((d) => d !== "neon"))("settings API on %s", (driver) => {
  let services: Services & { close(): Promise<void> };
  let app: ReturnType<typeof createApp>;
  const estates = new Map<string, { id: string; users: Map<string, string> }>();
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    services = await createTestServices(driver);
    app = createApp(services);
    api = apiClient(app, PASSWORD);
    for (const slug of ["alpha", "beta"]) {
      const tenant = await ensureTenant(services.db.db, { slug, name: `Domaine ${slug}` });
      const users = new Map<string, string>();
      for (const role of ["admin", "editor", "viewer"] as const) {
        const email = `${role}@${slug}.fr`;
        users.set(
          email,
          (await createUser(services.db.db, tenant.id, { email, password: PASSWORD, role })).id,
        );
      }
      estates.set(slug, { id: tenant.id, users });
    }
  }, 120_000);
  afterAll(async () => {
    await services?.close();
  });

  const signIn = async (email: string) => {
    const response = await app.request("/api/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        email,
        password: PASSWORD,
        estate: email.split("@")[1]!.split(".")[0],
      }),
    });
    return response;
  };
  const sessionOf = (email: string) => api.signIn(email);
  // Status and body only: the tests compare whole answers.
  const call = async (
    method: string,
    path: string,
    options: { as?: string; key?: string; body?: unknown } = {},
  ) => {
    const { status, body } = await api.call(method, path, options);
    return {
      status,
      body: body as Record<string, unknown> & {
        error?: { code: string; message: string; details?: { issues?: Array<{ path: string }> } };
      },
    };
  };
  const userId = (email: string) =>
    estates.get(email.split("@")[1]!.split(".")[0]!)!.users.get(email)!;

  const defaults = {
    perCustomer: 3,
    rebuyWindowDays: 60,
    contactGapDays: 135,
    onlyActiveProducts: true,
  };

  it("reads the rules for any role, lets only an admin change them, within bounds, per estate", async () => {
    const initial = await call("GET", "/api/settings/rules", { as: "viewer@alpha.fr" });
    expect(initial).toEqual({ status: 200, body: { rules: defaults, defaults } });
    const wanted = {
      perCustomer: 5,
      rebuyWindowDays: 90,
      contactGapDays: 30,
      onlyActiveProducts: false,
    };
    for (const who of ["editor@alpha.fr", "viewer@alpha.fr"])
      expect((await call("PUT", "/api/settings/rules", { as: who, body: wanted })).status).toBe(
        403,
      );
    const invalid: Array<[Record<string, unknown>, string]> = [
      [{ ...wanted, perCustomer: 0 }, "perCustomer"],
      [{ ...wanted, perCustomer: 21 }, "perCustomer"],
      [{ ...wanted, perCustomer: 2.5 }, "perCustomer"],
      [{ ...wanted, rebuyWindowDays: -1 }, "rebuyWindowDays"],
      [{ ...wanted, contactGapDays: "135" }, "contactGapDays"],
      [{ perCustomer: 2, rebuyWindowDays: 60, contactGapDays: 135 }, "onlyActiveProducts"],
    ];
    for (const [body, field] of invalid) {
      const refused = await call("PUT", "/api/settings/rules", { as: "admin@alpha.fr", body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error!.details!.issues!.map((i) => i.path)).toEqual([field]);
    }
    const saved = await call("PUT", "/api/settings/rules", { as: "admin@alpha.fr", body: wanted });
    expect(saved).toEqual({ status: 200, body: { rules: wanted, defaults } });
    expect(
      (await call("GET", "/api/settings/rules", { as: "editor@alpha.fr" })).body.rules,
    ).toEqual(wanted);
    // Another estate keeps its own (default) rules.
    expect((await call("GET", "/api/settings/rules", { as: "admin@beta.fr" })).body.rules).toEqual(
      defaults,
    );
    const [logged] = await queryRows<{ after: unknown }>(
      services.db.db,
      sql`select after from audit_log where tenant_id = ${estates.get("alpha")!.id}::uuid and action = 'campaign_rules.changed'`,
    );
    expect(logged!.after).toEqual(wanted);
  });

  it("applies the stored K at the next regeneration", async () => {
    const tenantId = estates.get("beta")!.id;
    await loadDemoEstate(services, tenantId, () => {}, { privateCustomers: 40, tradeCustomers: 4 });
    const pendingPerCustomer = async () =>
      queryRows<{ most: number; customers: number }>(
        services.db.db,
        sql`select coalesce(max(n), 0)::int as most, count(*)::int as customers from (
              select count(*) as n from recommendations
               where tenant_id = ${tenantId}::uuid and status = 'pending' group by customer_id) per`,
      ).then((rows) => rows[0]!);
    const regenerate = async () => {
      const queued = await call("POST", "/api/recommendations/regenerate", {
        as: "editor@beta.fr",
        body: {},
      });
      expect(queued.status).toBe(202);
      for (let i = 0; i < 600; i++) {
        const job = await call("GET", `/api/jobs/${queued.body.id as string}`, {
          as: "viewer@beta.fr",
        });
        if (job.body.status === "succeeded") return;
        expect(job.body.status).not.toBe("failed");
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error("the regeneration did not finish");
    };
    // The demo's own run used the defaults: several wines for some customers.
    expect((await pendingPerCustomer()).most).toBeGreaterThan(1);
    const one = { ...defaults, perCustomer: 1 };
    expect(
      (await call("PUT", "/api/settings/rules", { as: "admin@beta.fr", body: one })).status,
    ).toBe(200);
    await regenerate();
    const after = await pendingPerCustomer();
    expect(after.customers).toBeGreaterThan(0);
    expect(after.most).toBe(1);
    const [run] = await queryRows<{ parameters: { k: number; rules: unknown } }>(
      services.db.db,
      sql`select parameters from recommendation_runs where tenant_id = ${tenantId}::uuid order by started_at desc limit 1`,
    );
    expect(run!.parameters).toMatchObject({ k: 1, rules: one });
    // Back to 3: the same regeneration proposes more than one wine again.
    await call("PUT", "/api/settings/rules", { as: "admin@beta.fr", body: defaults });
    await regenerate();
    expect((await pendingPerCustomer()).most).toBeGreaterThan(1);
    // Reloading the demo clears the estate's data, not its settings.
    const two = { ...defaults, perCustomer: 2 };
    await call("PUT", "/api/settings/rules", { as: "admin@beta.fr", body: two });
    await clearEstateData(services, tenantId);
    expect((await call("GET", "/api/settings/rules", { as: "viewer@beta.fr" })).body.rules).toEqual(
      two,
    );
  }, 300_000);

  it("changes a role, deactivates and reactivates a user (whose sessions end), admins only", async () => {
    const viewer = userId("viewer@alpha.fr");
    const viewerSession = await sessionOf("viewer@alpha.fr");
    expect(
      (
        await call("PATCH", `/api/users/${viewer}`, {
          as: "editor@alpha.fr",
          body: { role: "editor" },
        })
      ).status,
    ).toBe(403);
    expect(
      (await call("PATCH", `/api/users/${viewer}`, { as: "admin@alpha.fr", body: {} })).status,
    ).toBe(400);
    expect(
      (
        await call("PATCH", `/api/users/${viewer}`, {
          as: "admin@alpha.fr",
          body: { role: "owner" },
        })
      ).status,
    ).toBe(400);
    const promoted = await call("PATCH", `/api/users/${viewer}`, {
      as: "admin@alpha.fr",
      body: { role: "editor" },
    });
    expect(promoted).toMatchObject({
      status: 200,
      body: { id: viewer, role: "editor", active: true },
    });
    // The open session carries the new role at once.
    const me = await app.request("/api/auth/me", { headers: { cookie: viewerSession.cookie } });
    expect(await me.json()).toMatchObject({ role: "editor" });

    const off = await call("PATCH", `/api/users/${viewer}`, {
      as: "admin@alpha.fr",
      body: { active: false },
    });
    expect(off).toMatchObject({ status: 200, body: { active: false, role: "editor" } });
    expect(
      (await app.request("/api/auth/me", { headers: { cookie: viewerSession.cookie } })).status,
    ).toBe(401);
    const [left] = await queryRows<{ n: number }>(
      services.db.db,
      sql`select count(*)::int as n from sessions where user_id = ${viewer}::uuid`,
    );
    expect(left!.n).toBe(0);
    expect((await signIn("viewer@alpha.fr")).status).toBe(401);
    api.forget("viewer@alpha.fr");
    const list = await call("GET", "/api/users", { as: "admin@alpha.fr" });
    expect(
      (list.body.items as Array<{ id: string; active: boolean }>).find((u) => u.id === viewer)!
        .active,
    ).toBe(false);

    expect(
      (
        await call("PATCH", `/api/users/${viewer}`, {
          as: "admin@alpha.fr",
          body: { active: true, role: "viewer" },
        })
      ).status,
    ).toBe(200);
    expect((await signIn("viewer@alpha.fr")).status).toBe(200);
    // Another estate's user is not found.
    expect(
      (
        await call("PATCH", `/api/users/${viewer}`, {
          as: "admin@beta.fr",
          body: { role: "admin" },
        })
      ).status,
    ).toBe(404);
  });

  it("never leaves an estate without an admin, nor lets an admin demote themselves", async () => {
    const admin = userId("admin@alpha.fr");
    for (const body of [{ role: "editor" }, { active: false }]) {
      const self = await call("PATCH", `/api/users/${admin}`, { as: "admin@alpha.fr", body });
      expect(self.status).toBe(422);
      expect(self.body.error).toMatchObject({
        code: "user.self_change",
        message: expect.stringContaining("another admin"),
      });
    }
    // An admin API key is not the admin user: the rule that stops it is the last-admin one.
    const { key } = await createApiKey(services.db.db, estates.get("alpha")!.id, {
      name: "outil",
      role: "admin",
      createdBy: null,
    });
    const last = await call("PATCH", `/api/users/${admin}`, { key, body: { role: "viewer" } });
    expect(last.status).toBe(422);
    expect(last.body.error).toMatchObject({
      code: "user.last_admin",
      message: expect.stringContaining("last admin"),
    });
    const editor = userId("editor@alpha.fr");
    expect(
      (await call("PATCH", `/api/users/${editor}`, { key, body: { role: "admin" } })).status,
    ).toBe(200);
    expect(
      (
        await call("PATCH", `/api/users/${admin}`, {
          as: "editor@alpha.fr",
          body: { active: false },
        })
      ).status,
    ).toBe(200);
    expect(
      (await call("PATCH", `/api/users/${admin}`, { key, body: { active: true } })).status,
    ).toBe(200);
    expect(
      (await call("PATCH", `/api/users/${editor}`, { key, body: { role: "editor" } })).status,
    ).toBe(200);
    api.forget();
  });

  it("sets an Odoo source's schedule as a checked cron expression and says when it next runs", async () => {
    const alpha = estates.get("alpha")!.id;
    const odoo = await createSource(services.db.db, alpha, {
      name: "Odoo",
      kind: "odoo",
      config: {
        url: "https://x.odoo.com",
        database: "x",
        login: "bot@x.fr",
        timeZone: "Europe/Paris",
      },
      schedule: null,
    });
    const file = await createSource(services.db.db, alpha, {
      name: "iSaVigne",
      kind: "file",
      config: {},
      schedule: null,
    });
    const path = `/api/sources/${odoo.id}`;
    expect(
      (await call("PATCH", path, { as: "editor@alpha.fr", body: { schedule: "0 2 * * *" } }))
        .status,
    ).toBe(403);
    // The test clock says 2026-11-25 10:00 UTC: the next 2 a.m. in Paris is 01:00 UTC tomorrow.
    const nightly = await call("PATCH", path, {
      as: "admin@alpha.fr",
      body: { schedule: " 0  2 * * * " },
    });
    expect(nightly).toEqual({
      status: 200,
      body: {
        sourceId: odoo.id,
        name: "Odoo",
        schedule: "0 2 * * *",
        timeZone: "Europe/Paris",
        nextRunAt: "2026-11-26T01:00:00.000Z",
        problem: null,
      },
    });
    for (const schedule of ["tous les soirs", "0 25 * * *", "", "0 2 * *"]) {
      const refused = await call("PATCH", path, { as: "admin@alpha.fr", body: { schedule } });
      if (schedule === "") {
        // Blank means "no schedule", as the form's "désactivé" sends null.
        expect(refused.body).toMatchObject({ schedule: null, nextRunAt: null });
        continue;
      }
      expect(refused.status, schedule).toBe(400);
      expect(refused.body.error).toMatchObject({
        code: "schedule.invalid",
        message: expect.stringContaining("0 2 * * *"),
      });
    }
    await call("PATCH", path, { as: "admin@alpha.fr", body: { schedule: "0 * * * *" } });
    const listed = await call("GET", "/api/settings/schedules", { as: "admin@alpha.fr" });
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        sourceId: odoo.id,
        schedule: "0 * * * *",
        nextRunAt: "2026-11-25T11:00:00.000Z",
      }),
    ]);
    expect((await call("GET", "/api/settings/schedules", { as: "editor@alpha.fr" })).status).toBe(
      403,
    );
    const off = await call("PATCH", path, { as: "admin@alpha.fr", body: { schedule: null } });
    expect(off.body).toMatchObject({ schedule: null, nextRunAt: null });
    const onFile = await call("PATCH", `/api/sources/${file.id}`, {
      as: "admin@alpha.fr",
      body: { schedule: "0 2 * * *" },
    });
    expect(onFile.status).toBe(400);
    expect(onFile.body.error!.code).toBe("source.invalid");
    expect(
      (await call("PATCH", path, { as: "admin@beta.fr", body: { schedule: "0 2 * * *" } })).status,
    ).toBe(404);
  });
});
