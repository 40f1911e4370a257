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
});
