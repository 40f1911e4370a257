import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { productKinds, tiers } from "@crm-reco/core";
import { wineColors } from "../../db/schema/index.ts";
import { approveProductLeads } from "../../recommend/approve-product-leads.ts";
import { productLeads } from "../../recommend/product-leads.ts";
import { setProductKind } from "../../repos/product-kinds.ts";
import { findProduct, listProducts } from "../../repos/products.ts";
import { emitEvent } from "../../webhooks/webhooks.ts";
import type { AppEnv } from "../app-env.ts";
import { audit } from "../audit.ts";
import { cachedAnswer } from "../cached-answer.ts";
import { requireRole } from "../auth.ts";
import {
  CustomerKind,
  IdParam,
  json,
  notAWine,
  notFound,
  Page,
  Paging,
  refusals,
  security,
  jsonBody,
} from "./shared.ts";

const Product = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    name: z.string(),
    cuvee: z.string().nullable(),
    vintage: z.number().int().nullable(),
    sizeMl: z.number().int().nullable(),
    color: z.enum(wineColors).nullable(),
    appellation: z.string().nullable(),
    priceInclTax: z.number().nullable(),
    active: z.boolean(),
    category: z
      .string()
      .nullable()
      .openapi({ description: "The estate's family for it (a file's Famille, Odoo's category)" }),
    kind: z.enum(productKinds).openapi({
      description:
        "A wine, or what else a sales line sells (shipping, discount, deposit, packaging, other): only wines are recommended",
    }),
    kindByStaff: z.boolean().openapi({
      description: "Set by the staff (imports keep it); otherwise guessed from its family or name",
    }),
    buyers: z.number().int().openapi({ description: "Distinct customers who bought it" }),
    recommendations: z.object({
      pending: z.number().int(),
      approved: z.number().int().openapi({ description: "Approved, exported ones included" }),
    }),
  })
  .openapi("Product");

const list = createRoute({
  method: "get",
  path: "/api/products",
  tags: ["products"],
  summary: "The estate's wines, searched and filtered, newest vintages first",
  security,
  request: {
    query: z
      .object({
        q: z.string().trim().max(100).optional().openapi({ description: "Name, sku or cuvée" }),
        color: z.enum(wineColors).optional(),
        vintage: z.coerce.number().int().min(1800).max(3000).optional(),
        active: z
          .enum(["true", "false"])
          .transform((v) => v === "true")
          .optional(),
        kind: z.enum(productKinds).optional(),
      })
      .extend(Paging.shape),
  },
  responses: { 200: json(Page(Product), "A page of wines"), ...refusals },
});

const detail = createRoute({
  method: "get",
  path: "/api/products/{id}",
  tags: ["products"],
  summary: "One wine",
  security,
  request: { params: IdParam },
  responses: { 200: json(Product, "The wine"), ...refusals, ...notFound },
});

const setKind = createRoute({
  method: "patch",
  path: "/api/products/{id}",
  tags: ["products"],
  summary:
    "Say what a product is (editor): a wine, or a charge, discount, deposit, packaging or other item that is never recommended; kept over later imports. null hands it back to the guess from its name",
  security,
  request: {
    params: IdParam,
    body: jsonBody(z.object({ kind: z.enum(productKinds).nullable() })),
  },
  responses: { 200: json(Product, "The product as saved"), ...refusals, ...notFound },
});

const ruleBlocks = [
  "inactive",
  "recent_purchase",
  "rejected_before",
  "contacted_recently",
] as const;
const Lead = z
  .object({
    customer: z.object({
      id: z.uuid(),
      name: z.string(),
      code: z.string().nullable(),
      kind: CustomerKind.nullable(),
      tier: z.string().nullable().openapi({ description: "RFM segment of the last run" }),
    }),
    confidence: z.number(),
    rankForCustomer: z.number().int(),
    explanation: z.object({ fr: z.string(), en: z.string(), fallback: z.boolean() }),
    emailRefusal: z.string().nullable().openapi({
      description: "Why a mailing would leave them out (no_email, invalid_email, no_consent…)",
    }),
    blockedBy: z
      .enum(ruleBlocks)
      .nullable()
      .openapi({ description: "The campaign rule that keeps them off an approved list" }),
    recommendation: z
      .object({
        id: z.uuid(),
        status: z.enum(["pending", "approved", "rejected", "exported"]),
      })
      .nullable(),
  })
  .openapi("ProductLead");
const customersFor = createRoute({
  method: "get",
  path: "/api/products/{id}/customers",
  tags: ["recommendations"],
  summary:
    "Which customers for this wine: the most likely buyers, with confidence, explanation, segment, e-mail consent and the rules that apply",
  security,
  request: {
    params: IdParam,
    query: z.object({
      k: z.coerce.number().int().min(1).max(1000).default(20),
      kind: z
        .enum(["private", "trade"])
        .optional()
        .openapi({ description: "Only customers of this kind" }),
      tier: z
        .enum(tiers)
        .optional()
        .openapi({ description: "Only customers of this RFM tier (as the last run set it)" }),
    }),
  },
  responses: {
    200: json(z.object({ items: z.array(Lead) }), "Ranked customers"),
    ...refusals,
    ...notFound,
    ...notAWine,
  },
  // Seconds of training on each call: a wine's page seen again, or by a colleague, while nothing
  // was written since, is answered at once.
  middleware: [cachedAnswer],
});

const approve = createRoute({
  method: "post",
  path: "/api/products/{id}/customers/approve",
  tags: ["recommendations"],
  summary:
    "Approve the wine's target list (editor): each customer's recommendation of it is created or approved, with the lead's confidence and explanation; again changes nothing",
  security,
  request: {
    params: IdParam,
    body: jsonBody(z.object({ customerIds: z.array(z.uuid()).min(1).max(1000) })),
  },
  responses: {
    200: json(
      z.object({
        approved: z.number().int(),
        alreadyApproved: z.number().int(),
        skipped: z.array(
          z.object({ customerId: z.uuid(), reason: z.enum([...ruleBlocks, "not_a_lead"]) }),
        ),
        withoutEmail: z
          .number()
          .int()
          .openapi({ description: "Approved customers a mailing may not e-mail" }),
      }),
      "What was approved",
    ),
    ...refusals,
    ...notFound,
    ...notAWine,
  },
});

export function registerProducts(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const { limit, offset, ...filter } = c.req.valid("query");
    const page = await listProducts(c.get("services").db.db, c.get("actor").tenantId, filter, {
      limit,
      offset,
    });
    return c.json({ ...page, limit, offset }, 200);
  });

  app.openapi(detail, async (c) =>
    c.json(
      await findProduct(c.get("services").db.db, c.get("actor").tenantId, c.req.valid("param").id),
      200,
    ),
  );

  app.openapi(setKind, async (c) => {
    const actor = requireRole(c, "editor");
    const db = c.get("services").db.db;
    const { id } = c.req.valid("param");
    const { kind } = c.req.valid("json");
    const { before, after, withdrawn } = await setProductKind(db, actor.tenantId, id, kind);
    await audit(c, db, {
      action: "product.kind_changed",
      entity: "product",
      entityId: id,
      before: { kind: before },
      after: { kind: after, byStaff: kind !== null, pendingWithdrawn: withdrawn },
    });
    return c.json(await findProduct(db, actor.tenantId, id), 200);
  });

  app.openapi(customersFor, async (c) => {
    const services = c.get("services");
    const { leads } = await productLeads(
      services.db.db,
      c.get("actor").tenantId,
      c.req.valid("param").id,
      { ...c.req.valid("query"), cache: services.readCache },
    );
    return c.json(
      {
        items: leads.map((l) => ({
          customer: l.customer,
          confidence: l.confidence,
          rankForCustomer: l.rankForCustomer,
          explanation: {
            fr: l.explanation.fr,
            en: l.explanation.en,
            fallback: l.explanation.fallback,
          },
          emailRefusal: l.emailRefusal,
          blockedBy: l.blockedBy,
          recommendation: l.recommendation,
        })),
      },
      200,
    );
  });

  app.openapi(approve, async (c) => {
    const actor = requireRole(c, "editor");
    const services = c.get("services");
    const { id } = c.req.valid("param");
    const result = await approveProductLeads(
      services.db.db,
      actor.tenantId,
      id,
      c.req.valid("json").customerIds,
      actor.userId,
      () => services.clock.now(),
      services.readCache,
    );
    await audit(c, services.db.db, {
      action: "recommendation.bulk_approved",
      entity: "product",
      entityId: id,
      before: { skipped: result.skipped },
      after: { status: "approved", ids: result.approved },
    });
    if (result.approved.length > 0)
      await emitEvent(services, actor.tenantId, "recommendation.approved", {
        ids: result.approved,
      });
    return c.json(
      {
        approved: result.approved.length,
        alreadyApproved: result.alreadyApproved,
        skipped: result.skipped,
        withoutEmail: result.withoutEmail,
      },
      200,
    );
  });
}
