import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  loadRecommendationContext,
  loadRecommendationFacets,
} from "../../recommend/recommendation-context.ts";
import type { AppEnv } from "../app-env.ts";
import { CustomerKind, IdParam, json, notFound, refusals, security } from "./shared.ts";

const RecommendationContext = z
  .object({
    customer: z.object({
      id: z.uuid(),
      name: z.string(),
      code: z.string().nullable(),
      kind: CustomerKind.nullable(),
      tier: z.string().nullable(),
      qualityScore: z
        .number()
        .nullable()
        .openapi({ description: "The customer's data quality today, 0-100" }),
      lastOrderOn: z.string().nullable(),
      orders: z.number().int(),
    }),
    purchases: z.array(
      z.object({
        orderDate: z.string(),
        documentNumber: z.string().nullable(),
        sku: z.string().nullable(),
        product: z.string().nullable(),
        quantity: z.number(),
        total: z.number().nullable(),
      }),
    ),
    candidates: z.array(
      z.object({
        id: z.uuid(),
        product: z.object({ id: z.uuid(), sku: z.string(), name: z.string() }),
        algorithm: z.string(),
        rank: z.number().int(),
        confidence: z.number(),
        status: z.string(),
      }),
    ),
    feedback: z.array(
      z.object({
        by: z.string().nullable(),
        rating: z.number().int(),
        comment: z.string().nullable(),
        createdAt: z.string(),
        updatedAt: z.string(),
      }),
    ),
  })
  .openapi("RecommendationContext");

const context = createRoute({
  method: "get",
  path: "/api/recommendations/{id}/context",
  tags: ["recommendations"],
  summary:
    "Around one recommendation: the customer, their recent purchases, the other wines proposed to them, and the feedback history",
  security,
  request: {
    params: IdParam,
    query: z.object({ purchases: z.coerce.number().int().min(1).max(200).default(20) }),
  },
  responses: { 200: json(RecommendationContext, "The context"), ...refusals, ...notFound },
});

const facets = createRoute({
  method: "get",
  path: "/api/recommendations/facets",
  tags: ["recommendations"],
  summary: "What the review list can be filtered by: the algorithms and campaigns in use",
  security,
  responses: {
    200: json(
      z.object({
        algorithms: z.array(z.string()),
        campaigns: z.array(z.object({ id: z.uuid(), name: z.string() })),
      }),
      "Filter values",
    ),
    ...refusals,
  },
});

/** Registered before `/api/recommendations/{id}`, which would otherwise refuse "facets" as an id. */
export function registerRecommendationContext(app: OpenAPIHono<AppEnv>) {
  app.openapi(facets, async (c) =>
    c.json(await loadRecommendationFacets(c.get("services").db.db, c.get("actor").tenantId), 200),
  );
  app.openapi(context, async (c) =>
    c.json(
      await loadRecommendationContext(
        c.get("services").db.db,
        c.get("actor").tenantId,
        c.req.valid("param").id,
        c.req.valid("query").purchases,
      ),
      200,
    ),
  );
}
