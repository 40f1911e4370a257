import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { getJob, type JobRow } from "../../jobs/job-records.ts";
import type { AppEnv } from "../app-env.ts";
import { IdParam, json, notFound, refusals, security } from "./shared.ts";

export const Job = z
  .object({
    id: z.uuid(),
    kind: z.enum(["import", "sync", "regenerate", "webhook"]),
    status: z.enum(["queued", "running", "succeeded", "failed", "dead"]),
    attempts: z.number().int(),
    result: z.record(z.string(), z.unknown()).nullable(),
    error: z.object({ code: z.string().nullable(), message: z.string().nullable() }).nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi("Job");

export const jobView = (j: JobRow): z.infer<typeof Job> => ({
  id: j.id,
  kind: j.kind,
  status: j.status,
  attempts: j.attempts,
  result: (j.result as Record<string, unknown> | null) ?? null,
  error: j.errorMessage ? { code: j.errorCode, message: j.errorMessage } : null,
  createdAt: j.createdAt.toISOString(),
  finishedAt: j.finishedAt ? j.finishedAt.toISOString() : null,
});

const status = createRoute({
  method: "get",
  path: "/api/jobs/{id}",
  tags: ["jobs"],
  summary: "A background job (import, regeneration): status, result or error",
  security,
  request: { params: IdParam },
  responses: { 200: json(Job, "The job"), ...refusals, ...notFound },
});

export function registerJobs(app: OpenAPIHono<AppEnv>) {
  app.openapi(status, async (c) =>
    c.json(
      jobView(
        await getJob(c.get("services").db.db, c.get("actor").tenantId, c.req.valid("param").id),
      ),
      200,
    ),
  );
}
