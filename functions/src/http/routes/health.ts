import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { AppEnv } from "../app-env.ts";
import { pendingMigrations } from "../../db/pending-migrations.ts";

const Health = z
  .object({
    status: z.enum(["ok", "degraded"]),
    version: z.string(),
    database: z.object({
      ok: z.boolean(),
      driver: z.enum(["pglite", "pg", "neon"]),
      latencyMs: z.number(),
      /** This release's migrations the database has not had (`crm-reco migrate` applies them). */
      pendingMigrations: z.number().int().optional(),
      error: z.string().optional(),
    }),
  })
  .openapi("Health");

const route = createRoute({
  method: "get",
  path: "/health",
  tags: ["health"],
  summary: "Liveness and database check (no authentication, no personal data)",
  responses: {
    200: { description: "Healthy", content: { "application/json": { schema: Health } } },
    503: {
      description: "The database does not answer, or lacks migrations of this release",
      content: { "application/json": { schema: Health } },
    },
  },
});

export function registerHealth(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { db, version, clock } = c.get("services");
    const started = clock.now().getTime();
    let error: string | undefined;
    let pending: number | undefined;
    try {
      await db.db.execute(sql`select 1`);
      pending = (await pendingMigrations(db.db))?.length;
      if (pending) error = `${pending} migration(s) not applied: run crm-reco migrate`;
    } catch (cause) {
      c.get("log").warn({ err: cause }, "health: database check failed");
      error = "database did not answer";
    }
    const body = {
      status: error ? ("degraded" as const) : ("ok" as const),
      version,
      database: {
        ok: !error,
        driver: db.driver,
        latencyMs: clock.now().getTime() - started,
        ...(pending === undefined ? {} : { pendingMigrations: pending }),
        ...(error ? { error } : {}),
      },
    };
    return error ? c.json(body, 503) : c.json(body, 200);
  });
}
