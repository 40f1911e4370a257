import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../../test/api-client.ts";
import { createTestServices } from "../../test/services.ts";
import { createUser } from "../auth/users.ts";
import { ensureTenant } from "../repos/tenants.ts";
import type { Services } from "../services.ts";
import { createApp } from "./app.ts";

const PASSWORD = "correct horse battery";
const SOME_ID = "00000000-0000-4000-8000-000000000000";

interface Operation {
  requestBody?: { required?: boolean; content: Record<string, unknown> };
}

// Every operation of the published API that takes a JSON body, asked with no body at all (a
// script's mistake, a proxy that drops it): the answer is a 400 saying the body is missing,
// never a 500 from a handler that went on with nothing.
describe("JSON request bodies", () => {
  let services: Services & { close(): Promise<void> };
  let app: ReturnType<typeof createApp>;
  let call: ReturnType<typeof apiClient>["call"];
  let signIn: ReturnType<typeof apiClient>["signIn"];

  beforeAll(async () => {
    services = await createTestServices("pglite");
    app = createApp(services);
    const tenant = await ensureTenant(services.db.db, { slug: "alpha", name: "Domaine alpha" });
    await createUser(services.db.db, tenant.id, {
      email: "admin@alpha.fr",
      password: PASSWORD,
      role: "admin",
    });
    ({ call, signIn } = apiClient(app, PASSWORD));
  }, 120_000);
  afterAll(async () => {
    await services?.close();
  });

  it("left out: 400 request.invalid, or, where every option has a default, as for `{}`", async () => {
    const document = (await call("GET", "/api/openapi.json")).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    const withBody = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => operation.requestBody?.content["application/json"])
        .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
    );
    expect(withBody.length).toBeGreaterThan(20);
    // Published as required: the validator then checks (and defaults) even a missing body.
    expect(withBody.filter((o) => !o.operation.requestBody!.required)).toEqual([]);
    const answers: Record<string, string> = {};
    for (const { method, path } of withBody) {
      const concrete = path.replace(/\{[^}]+\}/g, SOME_ID);
      const answer = await call(method, concrete, { as: "admin@alpha.fr" });
      const error = (answer.body as { error?: { code?: string } }).error;
      answers[`${method} ${path}`] = `${answer.status} ${error?.code ?? ""}`.trim();
    }
    const asForEmpty: Record<string, string> = {
      "POST /api/exports/mailing": "200",
      "POST /api/recommendations/regenerate": "202",
      "POST /api/sources/{id}/push": "404 source.not_found",
      "POST /api/sources/{id}/sync": "404 source.not_found",
    };
    expect(answers).toEqual(
      Object.fromEntries(
        Object.keys(answers).map((key) => [key, asForEmpty[key] ?? "400 request.invalid"]),
      ),
    );
  });

  it("left out of regenerate: queues the hybrid algorithm for everyone (the defaults apply)", async () => {
    const queued = await call("POST", "/api/recommendations/regenerate", { as: "admin@alpha.fr" });
    expect(queued.status).toBe(202);
    const log = await call("GET", "/api/audit-log?limit=1", { as: "admin@alpha.fr" });
    expect(log.body.items![0]).toMatchObject({
      action: "recommendations.regenerate_requested",
      after: { algorithm: "hybrid", target: {} },
    });
  });

  it("a body that is sent is checked, and one sent as something else than JSON refused", async () => {
    const typed = await call("POST", "/api/recommendations/regenerate", {
      as: "admin@alpha.fr",
      body: { algorithm: "astrology" },
    });
    expect(typed.status).toBe(400);
    const session = await signIn("admin@alpha.fr");
    const untyped = await app.request("/api/recommendations/regenerate", {
      method: "POST",
      headers: {
        "content-type": "text/plain",
        cookie: session.cookie,
        "x-csrf-token": session.csrf,
      },
      body: JSON.stringify({ algorithm: "astrology" }),
    });
    expect(untyped.status).toBe(415);
    expect((await untyped.json()) as unknown).toMatchObject({
      error: { code: "request.unsupported_type" },
    });
    const malformed = await app.request("/api/recommendations/regenerate", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        cookie: session.cookie,
        "x-csrf-token": session.csrf,
      },
      body: '{"algorithm": "hybrid",',
    });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()) as unknown).toMatchObject({
      error: { code: "request.invalid", message: expect.stringMatching(/JSON/) },
    });
  });
});
