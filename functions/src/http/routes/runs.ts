import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { AppError, algorithms, tiers } from "@crm-reco/core";
import { queryRows } from "../../adapters/db/database.ts";
import { enqueueJob } from "../../jobs/job-records.ts";
import type { RegeneratePayload } from "../../jobs/workers.ts";
import { auditFigures } from "../../reports/audit-figures.ts";
import type { AppEnv } from "../app-env.ts";
import { audit } from "../audit.ts";
import { requireRole } from "../auth.ts";
import { Job, jobView } from "./jobs.ts";
import { CustomerKind, json, notFound, refusals, security } from "./shared.ts";

const RegenerateBody = z.object({
  algorithm: z.enum(algorithms).default("hybrid"),
  k: z.number().int().min(1).max(100).optional().openapi({
    description: "At most this many per customer; the estate's campaign rule when left out",
  }),
  customerId: z.uuid().optional(),
  tiers: z.array(z.enum(tiers)).optional(),
  kind: CustomerKind.optional(),
});
const regenerate = createRoute({
  method: "post",
  path: "/api/recommendations/regenerate",
  tags: ["recommendations"],
  summary:
    "Regenerate recommendations for everyone, one customer, or a campaign's target (editor): queued as a job",
  security,
  request: {
    // Every option has a default: no body at all is read as `{}` (everyone, hybrid, the
    // estate's campaign rules). `required` makes the validator check and default even that.
    body: { required: true, content: { "application/json": { schema: RegenerateBody } } },
  },
  responses: { 202: json(Job, "Queued: follow the job"), ...refusals, ...notFound },
});

const Evaluation = z.object({
  splitDate: z.string(),
  horizonDays: z.number().int().openapi({
    description:
      "Days after the split date the backtest judged (180, fewer for a history under a year): what confidence measures",
  }),
  k: z.number().int(),
  results: z.array(
    z.object({
      algorithm: z.string(),
      protocol: z.string(),
      customers: z.number().int(),
      precision: z.number(),
      recall: z.number(),
      ndcg: z.number(),
      map: z.number(),
      hitRate: z.number(),
      coverage: z.number(),
    }),
  ),
});

const AuditReport = z
  .object({
    lastRun: z
      .object({
        id: z.uuid(),
        algorithm: z.string(),
        finishedAt: z.string().nullable(),
        dataSnapshot: z.record(z.string(), z.unknown()),
        weights: z.record(z.string(), z.number()).nullable(),
        evaluation: Evaluation.nullable(),
      })
      .nullable(),
    byStatus: z.record(z.string(), z.number().int()),
    approvalRate: z
      .number()
      .nullable()
      .openapi({ description: "approved (or exported) ÷ decided" }),
    meanRating: z.number().nullable(),
    reviewByAlgorithm: z.array(
      z.object({
        algorithm: z.string(),
        proposed: z.number().int(),
        approved: z.number().int().openapi({ description: "approved or exported" }),
        rejected: z.number().int(),
        approvalRate: z.number().nullable(),
        ratings: z.number().int(),
        meanRating: z.number().nullable(),
      }),
    ),
    feedback: z.array(
      z.object({
        at: z.string(),
        by: z.string().nullable(),
        rating: z.number().int(),
        comment: z.string().nullable(),
        product: z.string(),
        customer: z.string(),
      }),
    ),
  })
  .openapi("AuditReport");
const auditPdf = createRoute({
  method: "get",
  path: "/api/reports/audit.pdf",
  tags: ["recommendations"],
  summary:
    "The audit report as a printable PDF for the estate's owner (French or English; optionally one campaign)",
  security,
  request: {
    query: z.object({ lang: z.enum(["fr", "en"]).default("fr"), campaignId: z.uuid().optional() }),
  },
  responses: {
    200: {
      description: "The PDF",
      content: { "application/pdf": { schema: z.string().openapi({ format: "binary" }) } },
    },
    ...refusals,
  },
});

const auditReport = createRoute({
  method: "get",
  path: "/api/reports/audit",
  tags: ["recommendations"],
  summary:
    "Audit report: each algorithm's measured metrics, approval rate, mean rating, feedback history",
  security,
  responses: { 200: json(AuditReport, "The report"), ...refusals },
});

export function registerRuns(app: OpenAPIHono<AppEnv>) {
  app.openapi(regenerate, async (c) => {
    const actor = requireRole(c, "editor");
    const services = c.get("services");
    const body = c.req.valid("json");
    if (body.customerId) {
      const [found] = await queryRows<{ id: string }>(
        services.db.db,
        sql`select id from customers where tenant_id = ${actor.tenantId}::uuid and id = ${body.customerId}::uuid`,
      );
      if (!found) throw new AppError("customer.not_found", "No such customer.");
    }
    const payload: RegeneratePayload = {
      algorithm: body.algorithm,
      k: body.k,
      target: {
        customerIds: body.customerId ? [body.customerId] : undefined,
        tiers: body.tiers,
        kind: body.kind,
      },
    };
    const job = await enqueueJob(services, {
      tenantId: actor.tenantId,
      kind: "regenerate",
      payload: payload as unknown as Record<string, unknown>,
    });
    await audit(c, services.db.db, {
      action: "recommendations.regenerate_requested",
      entity: "recommendation_run",
      after: { ...payload, jobId: job.id },
    });
    return c.json(jobView(job), 202);
  });

  app.openapi(auditReport, async (c) => {
    const figures = await auditFigures(c.get("services").db.db, c.get("actor").tenantId);
    return c.json(
      {
        lastRun: figures.lastRun,
        byStatus: figures.byStatus,
        approvalRate: figures.approvalRate,
        meanRating: figures.meanRating,
        reviewByAlgorithm: figures.reviewByAlgorithm,
        feedback: figures.feedback,
      },
      200,
    );
  });

  app.openapi(auditPdf, async (c) => {
    const { lang, campaignId } = c.req.valid("query");
    const services = c.get("services");
    const figures = await auditFigures(services.db.db, c.get("actor").tenantId, campaignId);
    // Loaded when asked: pdfkit is a third of the API's bundle, and a PDF is rarely asked.
    const { renderAuditPdf } = await import("../../reports/audit-pdf.ts");
    const pdf = await renderAuditPdf(figures, { lang, generatedAt: services.clock.now() });
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      "content-type": "application/pdf",
      "content-disposition": `inline; filename="audit-${services.clock.now().toISOString().slice(0, 10)}.pdf"`,
    });
  });
}
