import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { AppError } from "@crm-reco/core";
import { OdooSourceConfig, sealSecret, secretHintOf } from "../../odoo/odoo-source.ts";
import { pushRecommendationsToOdoo } from "../../odoo/push-activities.ts";
import { getSource, replaceOdooCredentials, type Source } from "../../repos/sources.ts";
import type { AppEnv } from "../app-env.ts";
import { audit } from "../audit.ts";
import { requireRole } from "../auth.ts";
import { IdParam, json, notFound, refusals, security } from "./shared.ts";

/** An Odoo source's settings checked, with the hint of its secret; the secret itself apart. */
export function prepareOdooSource(
  config: Record<string, unknown>,
  secret: string | undefined,
): { config: Record<string, unknown>; secret: string } {
  const parsed = OdooSourceConfig.safeParse(config);
  if (!parsed.success)
    throw new AppError(
      "request.invalid",
      `An Odoo source needs config.url, config.database and config.login: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}.`,
    );
  if (!secret)
    throw new AppError(
      "request.invalid",
      "An Odoo source needs its API key (or password) in `secret`.",
    );
  return { config: { ...parsed.data, secretHint: secretHintOf(secret) }, secret };
}

/** What the API shows of a source's settings: never a secret (there is none in `config`). */
export function publicConfigOf(source: Source): Record<string, unknown> {
  // pg returns jsonb parsed; some drivers' raw queries hand it over as text.
  const config = (
    typeof source.config === "string" ? JSON.parse(source.config) : (source.config ?? {})
  ) as Record<string, unknown>;
  if (source.kind !== "odoo") return config;
  const { url, database, login, protocol, timeZone, secretHint } = config;
  return { url, database, login, protocol, timeZone, secretHint };
}

export const preferredLanguage = (header: string | undefined): "fr" | "en" =>
  header && /^\s*en\b/i.test(header) ? "en" : "fr";

const PushBody = z.object({
  recommendationIds: z.array(z.uuid()).max(5000).optional(),
  dueInDays: z.number().int().min(0).max(365).default(7),
});
const push = createRoute({
  method: "post",
  path: "/api/sources/{id}/push",
  tags: ["sources"],
  summary:
    "Write the approved recommendations to this Odoo as activities on each customer (editor); a recommendation is never written twice",
  security,
  request: {
    params: IdParam,
    body: {
      required: true, // every option has a default: no body is read as `{}`
      content: { "application/json": { schema: PushBody } },
    },
  },
  responses: {
    200: json(
      z.object({
        pushed: z.number().int(),
        alreadyInOdoo: z.number().int(),
        skipped: z.array(z.object({ recommendationId: z.string(), reason: z.string() })),
        errors: z.array(z.object({ code: z.string(), message: z.string() })),
      }),
      "What was written",
    ),
    ...refusals,
    ...notFound,
  },
});

const credentials = createRoute({
  method: "put",
  path: "/api/sources/{id}/credentials",
  tags: ["sources"],
  summary:
    "Give an Odoo source a new API key, and a new login if it changed (admin): the key is stored sealed, only its last characters are shown",
  security,
  request: {
    params: IdParam,
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({
            secret: z.string().trim().min(1).max(500),
            login: z.string().trim().min(1).max(200).optional(),
          }),
        },
      },
    },
  },
  responses: {
    200: json(
      z.object({ id: z.string(), config: z.record(z.string(), z.unknown()) }),
      "The source's settings, with the new key's hint",
    ),
    ...refusals,
    ...notFound,
  },
});

export function registerOdooSources(app: OpenAPIHono<AppEnv>) {
  app.openapi(credentials, async (c) => {
    const actor = requireRole(c, "admin");
    const services = c.get("services");
    const { secret, login } = c.req.valid("json");
    const source = await replaceOdooCredentials(
      services.db.db,
      actor.tenantId,
      c.req.valid("param").id,
      {
        sealed: sealSecret(services.secretKey, secret.trim()),
        hint: secretHintOf(secret.trim()),
        login,
      },
    );
    await audit(c, services.db.db, {
      action: "source.credentials_replaced",
      entity: "source",
      entityId: source.id,
      after: { login: login ?? null, secretHint: secretHintOf(secret.trim()) },
    });
    return c.json({ id: source.id, config: publicConfigOf(source) }, 200);
  });

  app.openapi(push, async (c) => {
    const actor = requireRole(c, "editor");
    const services = c.get("services");
    const source = await getSource(services.db.db, actor.tenantId, c.req.valid("param").id);
    if (source.kind !== "odoo")
      throw new AppError("source.invalid", "Only an Odoo source can receive recommendations.");
    const body = c.req.valid("json");
    const summary = await pushRecommendationsToOdoo(services, {
      tenantId: actor.tenantId,
      sourceId: source.id,
      recommendationIds: body.recommendationIds,
      dueInDays: body.dueInDays,
      pushedBy: actor.userId ?? undefined,
    });
    await audit(c, services.db.db, {
      action: "recommendations.pushed_to_odoo",
      entity: "source",
      entityId: source.id,
      after: {
        pushed: summary.pushed,
        alreadyInOdoo: summary.alreadyInOdoo,
        errors: summary.errors.length,
      },
    });
    return c.json(summary, 200);
  });
}
