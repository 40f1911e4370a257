import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestServices } from "../../../test/services.ts";
import { createApp } from "../app.ts";

describe("GET /health", () => {
  it("answers 503 degraded, without details of the failure, when the database is gone", async () => {
    const services = await createTestServices("pglite");
    await services.db.close();
    const response = await createApp(services).request("/health");
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: "degraded",
      version: "0.0.0-test",
      database: { ok: false, driver: "pglite", latencyMs: 0, error: "database did not answer" },
    });
    await services.queue.stop();
  });

  it("answers 503 degraded, naming the remedy, while the database lacks a migration of this release", async () => {
    const services = await createTestServices("pglite");
    const app = createApp(services);
    const health = async () => {
      const response = await app.request("/health");
      const body = (await response.json()) as { database: Record<string, unknown> };
      return {
        status: response.status,
        body: { ...body, database: { ...body.database, latencyMs: 0 } },
      };
    };
    expect(await health()).toEqual({
      status: 200,
      body: {
        status: "ok",
        version: "0.0.0-test",
        database: { ok: true, driver: "pglite", latencyMs: 0, pendingMigrations: 0 },
      },
    });
    // A backup from before the last upgrade, restored: its schema lacks the newest migration.
    await services.db.db.execute(
      sql`delete from drizzle.__drizzle_migrations where id = (select max(id) from drizzle.__drizzle_migrations)`,
    );
    expect(await health()).toEqual({
      status: 503,
      body: {
        status: "degraded",
        version: "0.0.0-test",
        database: {
          ok: false,
          driver: "pglite",
          latencyMs: 0,
          pendingMigrations: 1,
          error: "1 migration(s) not applied: run crm-reco migrate",
        },
      },
    });
    await services.close();
  });
});
