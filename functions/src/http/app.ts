import { randomUUID } from "node:crypto";
import { OpenAPIHono } from "@hono/zod-openapi";
import { LazyRequestLog } from "../log.ts";
import type { Services } from "../services.ts";
import type { AppEnv } from "./app-env.ts";
import { authenticate, SAFE_METHODS } from "./auth.ts";
import { errorJson, respondToError } from "./error-response.ts";
import { registerAuth } from "./routes/auth.ts";
import { registerCustomers } from "./routes/customers.ts";
import { registerDashboard } from "./routes/dashboard.ts";
import { registerExports } from "./routes/exports.ts";
import { registerHealth } from "./routes/health.ts";
import { registerJobs } from "./routes/jobs.ts";
import { registerMappings } from "./routes/mappings.ts";
import { registerPeople } from "./routes/people.ts";
import { registerProducts } from "./routes/products.ts";
import { registerRuns } from "./routes/runs.ts";
import { registerOdooSources } from "./routes/odoo-sources.ts";
import { registerSources } from "./routes/sources.ts";
import { registerRunRows } from "./routes/run-rows.ts";
import { registerSettings } from "./routes/settings.ts";
import { registerUserAdmin } from "./routes/user-admin.ts";
import { registerWebhooks } from "./routes/webhooks.ts";
import { registerRecommendations } from "./routes/recommendations.ts";

const REQUEST_ID = /^[\w=-]{1,255}$/;

/**
 * The one HTTP app: the Lambda handler and the VPS server both serve exactly this.
 * Routes are declared with zod schemas, which validate requests and generate the OpenAPI document.
 */
export function createApp(services: Services) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issues = result.error.issues.map((issue) => ({
          path: issue.path.join("."),
          message: issue.message,
        }));
        return errorJson(c, 400, "request.invalid", "The request is not valid.", { issues });
      }
    },
  });

  // Security headers are added by each door (security-headers.ts says why).
  app.use("*", async (c, next) => {
    // Nginx sends its $request_id: the app's log lines then match the access log's.
    const given = c.req.header("x-request-id");
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    const log = new LazyRequestLog(services.log, { requestId });
    c.set("requestId", requestId);
    c.set("services", services);
    c.set("log", log);
    const started = performance.now();
    await next();
    // This process's own writes are seen by its next request, before the database's notice.
    if (!SAFE_METHODS.has(c.req.method)) services.readCache?.changed();
    log.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round(performance.now() - started),
      },
      "request",
    );
  });

  registerHealth(app);
  app.use("/api/*", authenticate);
  registerAuth(app);
  registerRuns(app);
  registerProducts(app);
  registerRecommendations(app);
  registerSources(app);
  registerRunRows(app);
  registerOdooSources(app);
  registerMappings(app);
  registerWebhooks(app);
  registerSettings(app);
  registerUserAdmin(app);
  registerJobs(app);
  registerCustomers(app);
  registerPeople(app);
  registerExports(app);
  registerDashboard(app);

  app.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "crm_session",
    description:
      "Set by POST /api/auth/sign-in. Writes made with it must send the session's CSRF token in X-CSRF-Token.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key created by an admin (Authorization: Bearer crk_…).",
  });

  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "CRM Reco API",
      version: services.version,
      description: "Customer data, data quality and reviewed wine recommendations for an estate.",
    },
  });

  app.all("/api/*", (c) =>
    errorJson(c, 404, "route.not_found", `No API route ${c.req.method} ${c.req.path}.`),
  );
  app.notFound((c) => errorJson(c, 404, "route.not_found", `Nothing at ${c.req.path}.`));
  app.onError((error, c) => respondToError(c, error));
  return app;
}

export type App = ReturnType<typeof createApp>;
