import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { getJob, type JobRow } from "../../jobs/job-records.ts";
import { retryJob } from "../../jobs/retry-job.ts";
import { audit } from "../audit.ts";
import { requireRole } from "../auth.ts";
import type { AppEnv } from "../app-env.ts";
import { and, count, desc, eq, inArray } from "drizzle-orm";
import { jobs } from "../../db/schema/index.ts";
import {
  errorResponse,
  IdParam,
  json,
  notFound,
  Page,
  Paging,
  refusals,
  security,
} from "./shared.ts";

export const Job = z
  .object({
    id: z.uuid(),
    kind: z.enum(["import", "sync", "regenerate", "webhook"]),
    status: z.enum(["queued", "running", "succeeded", "failed", "dead"]),
    attempts: z.number().int(),
    result: z.record(z.string(), z.unknown()).nullable(),
    error: z.object({ code: z.string().nullable(), message: z.string().nullable() }).nullable(),
    /** The file an import job reads, to tell jobs apart in a list. */
    fileName: z.string().nullable(),
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
  fileName: (j.payload as { fileName?: unknown } | null)?.fileName?.toString() ?? null,
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

const list = createRoute({
  method: "get",
  path: "/api/jobs",
  tags: ["jobs"],
  summary:
    "Background jobs, newest first, by status (e.g. failed,dead: the work that needs a person, with its error)",
  security,
  request: {
    query: Paging.extend({
      status: z
        .string()
        .regex(/^(queued|running|succeeded|failed|dead)(,(queued|running|succeeded|failed|dead))*$/)
        .default("failed,dead"),
    }),
  },
  responses: { 200: json(Page(Job), "Jobs"), ...refusals },
});

const retry = createRoute({
  method: "post",
  path: "/api/jobs/{id}/retry",
  tags: ["jobs"],
  summary:
    "Run a failed or dead job again (editor): the same work, queued again; a job that succeeded or is still queued is left as it is",
  security,
  request: { params: IdParam },
  responses: {
    202: json(Job, "Queued again"),
    409: errorResponse("The job did not fail"),
    ...refusals,
    ...notFound,
  },
});

export function registerJobs(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const { tenantId } = c.get("actor");
    const q = c.req.valid("query");
    const statuses = q.status.split(",") as Array<JobRow["status"]>;
    const db = c.get("services").db.db;
    const where = and(eq(jobs.tenantId, tenantId), inArray(jobs.status, statuses));
    const rows = await db
      .select()
      .from(jobs)
      .where(where)
      .orderBy(desc(jobs.createdAt), desc(jobs.id))
      .limit(q.limit)
      .offset(q.offset);
    const [counted] = await db.select({ n: count() }).from(jobs).where(where);
    return c.json(
      { items: rows.map(jobView), total: counted!.n, limit: q.limit, offset: q.offset },
      200,
    );
  });

  app.openapi(retry, async (c) => {
    const actor = requireRole(c, "editor");
    const services = c.get("services");
    const job = await retryJob(services, actor.tenantId, c.req.valid("param").id);
    await audit(c, services.db.db, {
      action: "job.retried",
      entity: "job",
      entityId: job.id,
      after: { kind: job.kind },
    });
    return c.json(jobView(job), 202);
  });

  app.openapi(status, async (c) =>
    c.json(
      jobView(
        await getJob(c.get("services").db.db, c.get("actor").tenantId, c.req.valid("param").id),
      ),
      200,
    ),
  );
}
