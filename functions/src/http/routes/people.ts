import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type SQL, sql } from "drizzle-orm";
import { AppError } from "@crm-reco/core";
import { arrayParam, type Db, queryRows } from "../../adapters/db/database.ts";
import { deleteFilesNaming } from "../../identity/erase-stored-files.ts";
import { rawLineNames } from "../../identity/raw-line-names.ts";
import { pageWithTotal } from "../../adapters/db/page-with-total.ts";
import { mergeCustomers } from "../../identity/merge-customers.ts";
import { erasedIdentity } from "../../import/erased-identities.ts";
import { decideAnomaly } from "../../repos/quality.ts";
import type { AppEnv } from "../app-env.ts";
import { audit } from "../audit.ts";
import { requireRole } from "../auth.ts";
import {
  CustomerKind,
  errorResponse,
  IdParam,
  json,
  notFound,
  Page,
  Paging,
  refusals,
  security,
  jsonBody,
} from "./shared.ts";
import { customerNameText } from "../../repos/customer-profile.ts";

const gdprExport = createRoute({
  method: "get",
  path: "/api/customers/{id}/gdpr-export",
  tags: ["customers"],
  summary: "Everything held about one person, as JSON (GDPR right of access; admin)",
  security,
  request: { params: IdParam },
  responses: {
    200: json(z.record(z.string(), z.unknown()).openapi("PersonalDataExport"), "All their data"),
    ...refusals,
    ...notFound,
  },
});
const erase = createRoute({
  method: "post",
  path: "/api/customers/{id}/erase",
  tags: ["customers"],
  summary:
    "Erase a person (GDPR right to erasure; admin): personal data deleted, orders kept anonymised for statistics, logged",
  security,
  request: { params: IdParam },
  responses: { 204: { description: "Erased" }, ...refusals, ...notFound },
});

const CandidateSide = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string().nullable(),
  city: z.string().nullable(),
  code: z.string().nullable(),
  phone: z.string().nullable(),
  addressLine1: z.string().nullable(),
  postalCode: z.string().nullable(),
  kind: CustomerKind,
  sources: z.array(z.string()).openapi({ description: "The sources this record was seen in" }),
  orders: z.number().int(),
});
const Candidate = z
  .object({
    id: z.uuid(),
    score: z.number(),
    reasons: z.unknown(),
    status: z.enum(["pending", "accepted", "rejected"]),
    a: CandidateSide,
    b: CandidateSide,
  })
  .openapi("MergeCandidate");
const mergeQueue = createRoute({
  method: "get",
  path: "/api/merge-candidates",
  tags: ["customers"],
  summary: "Pairs of records that may be one person, waiting for a decision (most likely first)",
  security,
  request: {
    query: Paging.extend({
      status: z.enum(["pending", "accepted", "rejected"]).default("pending"),
    }),
  },
  responses: { 200: json(Page(Candidate), "Candidates"), ...refusals },
});
const decideMerge = createRoute({
  method: "post",
  path: "/api/merge-candidates/{id}/decision",
  tags: ["customers"],
  summary: "Accept (merge the two records) or reject (keep them apart) a candidate pair (editor)",
  security,
  request: {
    params: IdParam,
    body: jsonBody(z.object({ decision: z.enum(["accept", "reject"]) })),
  },
  responses: {
    200: json(
      z.object({ status: z.enum(["accepted", "rejected"]), survivorId: z.uuid().nullable() }),
      "Decided",
    ),
    409: errorResponse("Already decided"),
    ...refusals,
    ...notFound,
  },
});

const Anomaly = z
  .object({
    id: z.uuid(),
    sourceId: z.uuid().nullable(),
    syncRunId: z.uuid().nullable(),
    entity: z.string().nullable(),
    recordKey: z.string().nullable(),
    lineNumber: z.number().int().nullable(),
    field: z.string().nullable(),
    code: z.string(),
    severity: z.enum(["critical", "high", "medium", "low"]),
    details: z.unknown(),
    status: z.enum(["open", "resolved", "ignored"]),
    createdAt: z.string(),
  })
  .openapi("Anomaly");
const anomalies = createRoute({
  method: "get",
  path: "/api/anomalies",
  tags: ["quality"],
  summary: "Anomalies found by imports, filtered (most severe first)",
  security,
  request: {
    query: Paging.extend({
      status: z.enum(["open", "resolved", "ignored"]).default("open"),
      severity: z.enum(["critical", "high", "medium", "low"]).optional(),
      sourceId: z.uuid().optional(),
      code: z.string().max(80).optional(),
      field: z.string().max(80).optional(),
    }),
  },
  responses: { 200: json(Page(Anomaly), "Anomalies"), ...refusals },
});
const decideAnomalyRoute = createRoute({
  method: "post",
  path: "/api/anomalies/{id}/decision",
  tags: ["quality"],
  summary: "Resolve, ignore or reopen an anomaly (editor)",
  security,
  request: {
    params: IdParam,
    body: jsonBody(z.object({ status: z.enum(["resolved", "ignored", "open"]) })),
  },
  responses: { 200: json(Anomaly, "Decided"), ...refusals, ...notFound },
});

const person = (prefix: "a" | "b") =>
  sql.raw(`${prefix}.id as ${prefix}_id, ${customerNameText(prefix)} as ${prefix}_name,
           ${prefix}.email as ${prefix}_email, ${prefix}.city as ${prefix}_city, ${prefix}.customer_code as ${prefix}_code,
           ${prefix}.phone as ${prefix}_phone, ${prefix}.address_line1 as ${prefix}_address, ${prefix}.postal_code as ${prefix}_postal,
           ${prefix}.kind as ${prefix}_kind,
           (select coalesce(json_agg(distinct s.name), '[]'::json) from customer_identities i join sources s on s.id = i.source_id
             where i.customer_id = ${prefix}.id) as ${prefix}_sources,
           (select count(*)::int from orders o where o.tenant_id = ${prefix}.tenant_id and o.customer_id = ${prefix}.id) as ${prefix}_orders`);

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

export function registerPeople(app: OpenAPIHono<AppEnv>) {
  app.openapi(gdprExport, async (c) => {
    const actor = requireRole(c, "admin");
    const db = c.get("services").db.db;
    const { id } = c.req.valid("param");
    const one = (query: SQL) => queryRows<Record<string, unknown>>(db, query);
    const [customer] = await one(
      sql`select * from customers where tenant_id = ${actor.tenantId}::uuid and id = ${id}::uuid`,
    );
    if (!customer) throw new AppError("customer.not_found", "No such customer.");
    const data = {
      exportedAt: c.get("services").clock.now().toISOString(),
      customer,
      identities: await one(
        sql`select i.*, s.name as source_name from customer_identities i join sources s on s.id = i.source_id where i.customer_id = ${id}::uuid`,
      ),
      mergedRecords: await one(sql`select * from customers where merged_into = ${id}::uuid`),
      orders: await one(
        sql`select o.*, (select json_agg(l order by l.line_key) from order_lines l where l.order_id = o.id) as lines from orders o where o.customer_id = ${id}::uuid order by o.order_date`,
      ),
      segment: await one(sql`select * from customer_segments where customer_id = ${id}::uuid`),
      contacts: await one(
        sql`select * from contacts where customer_id = ${id}::uuid order by contacted_at`,
      ),
      recommendations: await one(
        sql`select * from recommendations where customer_id = ${id}::uuid order by created_at`,
      ),
      feedback: await one(
        sql`select f.* from feedback f join recommendations r on r.id = f.recommendation_id where r.customer_id = ${id}::uuid`,
      ),
      mergeHistory: await one(
        sql`select * from customer_merges where survivor_id = ${id}::uuid or merged_id = ${id}::uuid`,
      ),
    };
    await audit(c, db, { action: "customer.gdpr_exported", entity: "customer", entityId: id });
    return c.json(JSON.parse(JSON.stringify(data)) as Record<string, unknown>, 200);
  });

  app.openapi(erase, async (c) => {
    const actor = requireRole(c, "admin");
    const { db, clock, blobs, log } = c.get("services");
    const { id } = c.req.valid("param");
    // Records merged into this person are the same person: erased with them.
    const ids = sql`(select ${id}::uuid union select id from customers where merged_into = ${id}::uuid)`;
    // Their identifiers also sit in the uploaded files, raw rejected lines and anomaly keys of
    // past imports.
    const identifiers = async (tx: Db) =>
      (
        await queryRows<{ key: string }>(
          tx,
          sql`select distinct key from (
                select external_id as key from customer_identities where customer_id in ${ids} and external_id not like 'erased:%'
                union select email from customers where id in ${ids}
                union select customer_code from customers where id in ${ids}) k
              where key is not null and length(key) >= 2`,
        )
      ).map((k) => k.key);
    const [known] = await queryRows<{ id: string }>(
      db.db,
      sql`select id from customers where tenant_id = ${actor.tenantId}::uuid and id = ${id}::uuid and erased_at is null`,
    );
    if (!known) throw new AppError("customer.not_found", "No such customer.");
    // Files first, outside the transaction: should it fail, nothing is erased yet and the
    // erasure can be asked again (once the database is done, the person's ids are gone).
    const names = (
      await queryRows<{ name: string }>(
        db.db,
        sql`select distinct name from (select last_name as name from customers where id in ${ids}
              union select company from customers where id in ${ids}) n where name is not null and length(name) >= 2`,
      )
    ).map((n) => n.name);
    const files = await deleteFilesNaming(blobs, actor.tenantId, {
      identifiers: await identifiers(db.db),
      names,
    });
    if (files.length > 0)
      log.info({ files: files.length }, "erasure: uploaded files naming the person deleted");
    await db.db.transaction(async (tx) => {
      const [found] = await queryRows<{ id: string }>(
        tx,
        sql`select id from customers where tenant_id = ${actor.tenantId}::uuid and id = ${id}::uuid and erased_at is null`,
      );
      if (!found) throw new AppError("customer.not_found", "No such customer.");
      const list = await identifiers(tx);
      if (list.length > 0) {
        await tx.execute(
          sql`delete from rejected_rows where tenant_id = ${actor.tenantId}::uuid and ${rawLineNames({ identifiers: list, names }, sql`raw`)}`,
        );
        await tx.execute(
          // Their own (entity 'customers'), and the sales' that named their code (customer.unknown).
          sql`delete from anomalies where tenant_id = ${actor.tenantId}::uuid
                and (entity = 'customers' or code = 'customer.unknown') and record_key = any(${arrayParam(list, "text")})`,
        );
      }
      await tx.execute(
        sql`update customer_identities set external_id = ${erasedIdentity(sql`external_id`)}, attributes = '{}'::jsonb, updated_at = now()
            where customer_id in ${ids} and external_id not like 'erased:%'`,
      );
      await tx.execute(sql`delete from contacts where customer_id in ${ids}`);
      await tx.execute(sql`delete from recommendations where customer_id in ${ids}`);
      await tx.execute(
        sql`delete from merge_candidates where customer_a in ${ids} or customer_b in ${ids}`,
      );
      await tx.execute(
        sql`update customer_merges set snapshot = '{}'::jsonb where survivor_id in ${ids} or merged_id in ${ids}`,
      );
      await tx.execute(sql`delete from customer_segments where customer_id in ${ids}`);
      // Orders stay (sales statistics), attached to an anonymous record: nothing points to a person.
      await tx.execute(
        sql`update customers set customer_code = null, civility = null, first_name = null, last_name = null, company = null,
                   email = null, phone = null, mobile = null, address_line1 = null, address_line2 = null, postal_code = null,
                   city = null, country = null, language = null,
                   consent_email = 'unknown', consent_email_at = null, consent_email_source = null,
                   consent_post = 'unknown', consent_post_at = null, consent_post_source = null,
                   consent_phone = 'unknown', consent_phone_at = null, consent_phone_source = null,
                   quality_score = null, erased_at = ${clock.now().toISOString()}::timestamptz, updated_at = now()
            where id in ${ids}`,
      );
      await audit(c, tx, {
        action: "customer.erased",
        entity: "customer",
        entityId: id,
        after: { uploadedFilesDeleted: files.length },
      });
    });
    return c.body(null, 204);
  });

  app.openapi(mergeQueue, async (c) => {
    const { tenantId } = c.get("actor");
    const q = c.req.valid("query");
    const db = c.get("services").db.db;
    const { rows, total } = await pageWithTotal<Record<string, unknown>>(
      db,
      sql`select count(*)::int from merge_candidates where tenant_id = ${tenantId}::uuid and status = ${q.status}`,
      (total) =>
        sql`select m.id, m.score::float8 as score, m.reasons, m.status, ${person("a")}, ${person("b")}, ${total}
            from merge_candidates m join customers a on a.id = m.customer_a join customers b on b.id = m.customer_b
            where m.tenant_id = ${tenantId}::uuid and m.status = ${q.status}
            order by m.score desc, m.id limit ${q.limit} offset ${q.offset}`,
    );
    const side = (r: Record<string, unknown>, p: "a" | "b") => ({
      id: r[`${p}_id`] as string,
      name: r[`${p}_name`] as string,
      email: (r[`${p}_email`] as string | null) ?? null,
      city: (r[`${p}_city`] as string | null) ?? null,
      code: (r[`${p}_code`] as string | null) ?? null,
      phone: (r[`${p}_phone`] as string | null) ?? null,
      addressLine1: (r[`${p}_address`] as string | null) ?? null,
      postalCode: (r[`${p}_postal`] as string | null) ?? null,
      kind: r[`${p}_kind`] as "private" | "trade",
      sources: (typeof r[`${p}_sources`] === "string"
        ? JSON.parse(r[`${p}_sources`] as string)
        : r[`${p}_sources`]) as string[],
      orders: r[`${p}_orders`] as number,
    });
    return c.json(
      {
        items: rows.map((r) => ({
          id: r.id as string,
          score: r.score as number,
          reasons: typeof r.reasons === "string" ? JSON.parse(r.reasons) : r.reasons,
          status: r.status as "pending",
          a: side(r, "a"),
          b: side(r, "b"),
        })),
        total,
        limit: q.limit,
        offset: q.offset,
      },
      200,
    );
  });

  app.openapi(decideMerge, async (c) => {
    const actor = requireRole(c, "editor");
    const db = c.get("services").db.db;
    const { id } = c.req.valid("param");
    const { decision } = c.req.valid("json");
    const result = await db.transaction(async (tx) => {
      const [candidate] = await queryRows<{
        customer_a: string;
        customer_b: string;
        status: string;
        score: number;
      }>(
        tx,
        sql`select customer_a, customer_b, status, score::float8 as score from merge_candidates
            where tenant_id = ${actor.tenantId}::uuid and id = ${id}::uuid for update`,
      );
      if (!candidate) throw new AppError("merge_candidate.not_found", "No such candidate pair.");
      if (candidate.status !== "pending")
        throw new AppError(
          "merge_candidate.conflict",
          `This pair was already ${candidate.status}.`,
        );
      let survivorId: string | null = null;
      if (decision === "accept") {
        // The record with more history survives (then the older one): fewer references move.
        const [survivor] = await queryRows<{ id: string }>(
          tx,
          sql`select c.id from customers c where c.id in (${candidate.customer_a}::uuid, ${candidate.customer_b}::uuid)
              order by (select count(*) from orders o where o.customer_id = c.id) desc, c.created_at, c.id limit 1`,
        );
        survivorId = survivor!.id;
        await mergeCustomers(tx, {
          tenantId: actor.tenantId,
          survivorId,
          mergedId:
            survivorId === candidate.customer_a ? candidate.customer_b : candidate.customer_a,
          method: "manual",
          score: candidate.score,
          mergedBy: actor.userId ?? undefined,
        });
      }
      const status = decision === "accept" ? ("accepted" as const) : ("rejected" as const);
      await tx.execute(
        sql`update merge_candidates set status = ${status}, decided_by = ${actor.userId}::uuid, decided_at = now(), updated_at = now() where id = ${id}::uuid`,
      );
      await audit(c, tx, {
        action: `merge_candidate.${status}`,
        entity: "merge_candidate",
        entityId: id,
        after: { survivorId },
      });
      return { status, survivorId };
    });
    return c.json(result, 200);
  });

  app.openapi(anomalies, async (c) => {
    const { tenantId } = c.get("actor");
    const q = c.req.valid("query");
    const db = c.get("services").db.db;
    const parts: SQL[] = [sql`tenant_id = ${tenantId}::uuid`, sql`status = ${q.status}`];
    if (q.severity) parts.push(sql`severity = ${q.severity}`);
    if (q.sourceId) parts.push(sql`source_id = ${q.sourceId}::uuid`);
    if (q.code) parts.push(sql`code = ${q.code}`);
    if (q.field) parts.push(sql`field = ${q.field}`);
    const condition = sql.join(parts, sql` and `);
    const { rows, total } = await pageWithTotal<Record<string, unknown>>(
      db,
      sql`select count(*)::int from anomalies where ${condition}`,
      (total) =>
        sql`select *, ${total} from anomalies where ${condition}
            order by array_position(array['critical','high','medium','low'], severity), created_at desc, id
            limit ${q.limit} offset ${q.offset}`,
    );
    return c.json({ items: rows.map(anomalyView), total, limit: q.limit, offset: q.offset }, 200);
  });

  app.openapi(decideAnomalyRoute, async (c) => {
    const actor = requireRole(c, "editor");
    const db = c.get("services").db.db;
    const { id } = c.req.valid("param");
    const { status } = c.req.valid("json");
    const row = await decideAnomaly(db, actor.tenantId, id, status, actor.userId);
    await audit(c, db, { action: `anomaly.${status}`, entity: "anomaly", entityId: id });
    return c.json(
      anomalyView({
        id: row.id,
        source_id: row.sourceId,
        sync_run_id: row.syncRunId,
        entity: row.entity,
        record_key: row.recordKey,
        line_number: row.lineNumber,
        field: row.field,
        code: row.code,
        severity: row.severity,
        details: row.details,
        status: row.status,
        created_at: row.createdAt,
      }),
      200,
    );
  });
}

function anomalyView(r: Record<string, unknown>): z.infer<typeof Anomaly> {
  return {
    id: r.id as string,
    sourceId: (r.source_id as string | null) ?? null,
    syncRunId: (r.sync_run_id as string | null) ?? null,
    entity: (r.entity as string | null) ?? null,
    recordKey: (r.record_key as string | null) ?? null,
    lineNumber: (r.line_number as number | null) ?? null,
    field: (r.field as string | null) ?? null,
    code: r.code as string,
    severity: r.severity as "low",
    details: typeof r.details === "string" ? JSON.parse(r.details) : r.details,
    status: r.status as "open",
    createdAt: iso(r.created_at),
  };
}
