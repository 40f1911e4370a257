import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiGatewayV2Event, lambdaContext } from "../../test/apigw-event.ts";
import { createTestServices } from "../../test/services.ts";
import { createApiHandler } from "../handlers/api.ts";
import type { Services } from "../services.ts";
import { type RunningServer, startVpsServer } from "../vps/server.ts";
import { securityHeaders } from "./security-headers.ts";

// The Lambda handler and the VPS server are two doors to one app: same requests, same answers.
describe("one app behind Lambda and the VPS server", () => {
  let services: Services & { close(): Promise<void> };
  let server: RunningServer;
  let webDir: string;
  const lambda = createApiHandler(async () => services);

  beforeAll(async () => {
    services = await createTestServices("pglite");
    webDir = mkdtempSync(join(tmpdir(), "crm-reco-web-"));
    mkdirSync(join(webDir, "assets"));
    writeFileSync(
      join(webDir, "index.html"),
      "<!doctype html><title>CRM Reco</title><div id=app></div>",
    );
    writeFileSync(join(webDir, "assets", "index-abc123.js"), "console.log('app')");
    server = await startVpsServer({ services, port: 0, host: "127.0.0.1", webDistDir: webDir });
  });
  afterAll(async () => {
    await server?.close();
    await services?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  const viaLambda = async (method: string, path: string) => {
    const result = (await lambda(
      apiGatewayV2Event(method, path),
      lambdaContext(),
    )) as APIGatewayProxyStructuredResultV2;
    return {
      status: result.statusCode,
      contentType: result.headers?.["content-type"],
      body: JSON.parse(result.body ?? "null"),
    };
  };
  const viaNode = async (method: string, path: string) => {
    const response = await fetch(server.url + path, { method });
    return {
      status: response.status,
      contentType: response.headers.get("content-type") ?? undefined,
      body: await response.json(),
    };
  };

  it.each([
    ["GET", "/health"],
    ["GET", "/api/openapi.json"],
    ["GET", "/api/does-not-exist?x=1"],
    ["POST", "/api/does-not-exist"],
  ])("%s %s answers the same through both", async (method, path) => {
    const [fromLambda, fromNode] = await Promise.all([
      viaLambda(method, path),
      viaNode(method, path),
    ]);
    expect(fromLambda).toEqual(fromNode);
  });

  it("sends the security headers through both, on answers, errors and the web app", async () => {
    expect(securityHeaders["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(securityHeaders).toMatchObject({
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      "x-frame-options": "DENY",
    });
    expect(securityHeaders["strict-transport-security"]).toContain("max-age=");
    for (const path of ["/health", "/api/dashboard", "/api/nothing"]) {
      const fromLambda = (await lambda(
        apiGatewayV2Event("GET", path),
        lambdaContext(),
      )) as APIGatewayProxyStructuredResultV2;
      const fromNode = await fetch(server.url + path);
      for (const [name, value] of Object.entries(securityHeaders)) {
        expect(fromLambda.headers?.[name], `${name} on ${path} via Lambda`).toBe(value);
        expect(fromNode.headers.get(name), `${name} on ${path} via Node`).toBe(value);
      }
    }
    const page = await fetch(`${server.url}/recommendations/42`);
    expect(page.headers.get("content-security-policy")).toBe(
      securityHeaders["content-security-policy"],
    );
  });

  it("reports health with the database driver and version", async () => {
    expect(await viaNode("GET", "/health")).toEqual({
      status: 200,
      contentType: "application/json",
      body: {
        status: "ok",
        version: "0.0.0-test",
        database: { ok: true, driver: "pglite", latencyMs: 0, pendingMigrations: 0 },
      },
    });
  });

  it("documents health in an OpenAPI 3.1 document", async () => {
    const { body } = (await viaNode("GET", "/api/openapi.json")) as {
      body: {
        openapi: string;
        paths: Record<string, Record<string, { responses: object }>>;
        components: { schemas: object };
      };
    };
    expect(body.openapi).toBe("3.1.0");
    expect(body.paths["/health"]!.get!.responses).toHaveProperty("200");
    expect(body.components.schemas).toHaveProperty("Health");
  });

  it("answers unknown API routes with a JSON error, not the web app", async () => {
    expect(await viaNode("GET", "/api/nope")).toEqual({
      status: 404,
      contentType: "application/json",
      body: { error: { code: "route.not_found", message: "No API route GET /api/nope." } },
    });
  });

  it("serves the web app, its hashed assets with a long cache, and index.html for client routes", async () => {
    const page = await fetch(`${server.url}/recommendations/42`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>CRM Reco</title>");
    const asset = await fetch(`${server.url}/assets/index-abc123.js`);
    expect(await asset.text()).toBe("console.log('app')");
    expect(asset.headers.get("cache-control")).toContain("immutable");
  });
});
