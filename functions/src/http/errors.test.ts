import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { AppError } from "@crm-reco/core";
import { createLogger } from "../log.ts";
import { respondToError, statusForCode } from "./error-response.ts";

describe("error responses", () => {
  it.each([
    ["request.invalid", 400],
    ["auth.unauthenticated", 401],
    ["auth.forbidden", 403],
    ["source.not_found", 404],
    ["source.conflict", 409],
    ["upload.too_large", 413],
    ["import.encoding", 422],
  ])("maps %s to HTTP %i", (code, status) => {
    expect(statusForCode(code)).toBe(status);
  });

  const appThrowing = (error: unknown) => {
    const lines: string[] = [];
    const log = createLogger("error", { write: (line: string) => void lines.push(line) });
    const app = new Hono<{ Variables: { log: typeof log; requestId: string } }>();
    app.use("*", async (c, next) => {
      c.set("log", log);
      c.set("requestId", "req-1");
      await next();
    });
    app.get("/", () => {
      throw error;
    });
    app.onError((e, c) => respondToError(c, e));
    return { app, lines };
  };

  it("keeps an expected failure's code, message and details", async () => {
    const { app } = appThrowing(
      new AppError("source.conflict", 'A source named "x" already exists.', { name: "x" }),
    );
    const response = await app.request("/");
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: {
        code: "source.conflict",
        message: 'A source named "x" already exists.',
        details: { name: "x" },
      },
    });
  });

  it("turns anything else into a 500 with a request id, never a stack or SQL, and logs the cause", async () => {
    const { app, lines } = appThrowing(
      new Error(
        'relation "customers" does not exist at Pool.query (/srv/node_modules/pg/lib/client.js:1)',
      ),
    );
    const response = await app.request("/");
    const body = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(body)).toMatchObject({
      error: { code: "internal", details: { requestId: "req-1" } },
    });
    expect(body).not.toMatch(/relation|node_modules|at /);
    expect(lines.join("")).toContain('relation \\"customers\\" does not exist');
  });
});
