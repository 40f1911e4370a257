import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type SQL, sql } from "drizzle-orm";
import { AppError, tiers } from "@crm-reco/core";
import { queryRows } from "../../adapters/db/database.ts";
import type { AppEnv } from "../app-env.ts";
import { IdParam, json, notFound, Page, Paging, refusals, security } from "./shared.ts";

const Consent = z.enum(["opt_in", "soft_opt_in", "opt_out", "unknown"]);
const CustomerSummary = z
  .object({
    id: z.uuid(),
    code: z.string().nullable(),
    name: z.string(),
    email: z.string().nullable(),
    city: z.string().nullable(),
    kind: z.enum(["private", "trade"]).nullable(),
    tier: z.enum(tiers).nullable(),
    consentEmail: Consent,
    lastOrderOn: z.string().nullable(),
    qualityScore: z.number().nullable(),
  })
  .openapi("CustomerSummary");

const Filters = z.object({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .openapi({ description: "Name, company, email, code or city" }),
  tier: z.enum(tiers).optional(),
  kind: z.enum(["private", "trade"]).optional(),
  consentEmail: Consent.optional(),
  lastPurchaseBefore: z.iso.date().optional(),
  lastPurchaseAfter: z.iso.date().optional(),
});

const list = createRoute({
  method: "get",
  path: "/api/customers",
  tags: ["customers"],
  summary: "Customers, searched and filtered (segment, RFM tier, consent, last purchase)",
  security,
  request: { query: Filters.extend(Paging.shape) },
  responses: { 200: json(Page(CustomerSummary), "A page of customers"), ...refusals },
});

const CustomerDetail = CustomerSummary.extend({
  civility: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  company: z.string().nullable(),
  phone: z.string().nullable(),
  postalCode: z.string().nullable(),
  consentPost: Consent,
  consentPhone: Consent,
  segment: z
    .object({
      recency: z.number().int(),
      frequency: z.number().int(),
      monetary: z.number().int(),
      reorderIntervalDays: z.number().int().nullable(),
      expectedNextOrderOn: z.string().nullable(),
    })
    .nullable(),
  identities: z.array(z.object({ source: z.string(), externalId: z.string() })),
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
  recommendations: z.array(
    z.object({
      id: z.uuid(),
      sku: z.string(),
      product: z.string(),
      confidence: z.number(),
      status: z.string(),
      explanation: z.object({ fr: z.string(), en: z.string() }),
    }),
  ),
}).openapi("CustomerDetail");

const detail = createRoute({
  method: "get",
  path: "/api/customers/{id}",
  tags: ["customers"],
  summary: "One customer: details, segment, identities per source, purchases, recommendations",
  security,
  request: { params: IdParam },
  responses: { 200: json(CustomerDetail, "The customer"), ...refusals, ...notFound },
});

const nameSql = sql`trim(coalesce(c.first_name || ' ', '') || coalesce(c.last_name, c.company, ''))`;

export function registerCustomers(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const { tenantId } = c.get("actor");
    const q = c.req.valid("query");
    const db = c.get("services").db.db;
    const parts: SQL[] = [
      sql`c.tenant_id = ${tenantId}::uuid`,
      sql`c.merged_into is null`,
      sql`c.erased_at is null`,
    ];
    if (q.q) {
      const like = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      parts.push(
        sql`(${nameSql} ilike ${like} or c.company ilike ${like} or c.email ilike ${like} or c.customer_code ilike ${like} or c.city ilike ${like})`,
      );
    }
    if (q.tier) parts.push(sql`s.tier = ${q.tier}`);
    if (q.kind) parts.push(sql`c.kind = ${q.kind}`);
    if (q.consentEmail) parts.push(sql`c.consent_email = ${q.consentEmail}`);
    if (q.lastPurchaseBefore) parts.push(sql`s.last_order_on < ${q.lastPurchaseBefore}::date`);
    if (q.lastPurchaseAfter) parts.push(sql`s.last_order_on >= ${q.lastPurchaseAfter}::date`);
    const condition = sql.join(parts, sql` and `);
    const from = sql`customers c left join customer_segments s on s.customer_id = c.id`;
    const rows = await queryRows<{
      id: string;
      code: string | null;
      name: string;
      email: string | null;
      city: string | null;
      kind: "private" | "trade" | null;
      tier: z.infer<typeof CustomerSummary>["tier"];
      consent_email: z.infer<typeof Consent>;
      last_order_on: string | null;
      quality_score: number | null;
    }>(
      db,
      sql`select c.id, c.customer_code as code, ${nameSql} as name, c.email, c.city, c.kind, s.tier, c.consent_email,
                 s.last_order_on::text as last_order_on, c.quality_score::float8 as quality_score
          from ${from} where ${condition} order by ${nameSql}, c.id limit ${q.limit} offset ${q.offset}`,
    );
    const [count] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ${from} where ${condition}`,
    );
    return c.json(
      {
        items: rows.map((r) => ({
          id: r.id,
          code: r.code,
          name: r.name,
          email: r.email,
          city: r.city,
          kind: r.kind,
          tier: r.tier,
          consentEmail: r.consent_email,
          lastOrderOn: r.last_order_on,
          qualityScore: r.quality_score,
        })),
        total: count!.n,
        limit: q.limit,
        offset: q.offset,
      },
      200,
    );
  });

  app.openapi(detail, async (c) => {
    const { tenantId } = c.get("actor");
    const { id } = c.req.valid("param");
    const db = c.get("services").db.db;
    const [r] = await queryRows<Record<string, unknown>>(
      db,
      sql`select c.*, ${nameSql} as name, c.quality_score::float8 as quality_float, s.tier, s.recency, s.frequency, s.monetary,
                 s.reorder_interval_days, s.expected_next_order_on::text as next_on, s.last_order_on::text as last_on
          from customers c left join customer_segments s on s.customer_id = c.id
          where c.tenant_id = ${tenantId}::uuid and c.id = ${id}::uuid and c.erased_at is null`,
    );
    if (!r) throw new AppError("customer.not_found", "No such customer.");
    const identities = await queryRows<{ source: string; external_id: string }>(
      db,
      sql`select s.name as source, i.external_id from customer_identities i join sources s on s.id = i.source_id
          where i.customer_id = ${id}::uuid and i.tenant_id = ${tenantId}::uuid order by s.name, i.external_id`,
    );
    const purchases = await queryRows<{
      order_date: string;
      document_number: string | null;
      sku: string | null;
      product: string | null;
      quantity: number;
      total: number | null;
    }>(
      db,
      sql`select o.order_date::text as order_date, o.document_number, p.sku, coalesce(p.name, l.line_key) as product,
                 l.quantity::float8 as quantity, l.total::float8 as total
          from order_lines l join orders o on o.id = l.order_id left join products p on p.id = l.product_id
          where o.customer_id = ${id}::uuid and o.tenant_id = ${tenantId}::uuid
          order by o.order_date desc, o.document_number, l.id limit 500`,
    );
    const recommendations = await queryRows<{
      id: string;
      sku: string;
      product: string;
      confidence: number;
      status: string;
      explanation: { fr: string; en: string } | string;
    }>(
      db,
      sql`select r.id, p.sku, p.name as product, r.confidence::float8 as confidence, r.status, r.explanation
          from recommendations r join products p on p.id = r.product_id
          where r.customer_id = ${id}::uuid and r.tenant_id = ${tenantId}::uuid order by r.status, r.rank`,
    );
    const str = (k: string) => (r[k] as string | null) ?? null;
    return c.json(
      {
        id: r.id as string,
        code: str("customer_code"),
        name: r.name as string,
        email: str("email"),
        city: str("city"),
        kind: (r.kind as "private" | "trade" | null) ?? null,
        tier: (r.tier as z.infer<typeof CustomerSummary>["tier"]) ?? null,
        consentEmail: r.consent_email as z.infer<typeof Consent>,
        lastOrderOn: str("last_on"),
        qualityScore: (r.quality_float as number | null) ?? null,
        civility: str("civility"),
        firstName: str("first_name"),
        lastName: str("last_name"),
        company: str("company"),
        phone: str("phone"),
        postalCode: str("postal_code"),
        consentPost: r.consent_post as z.infer<typeof Consent>,
        consentPhone: r.consent_phone as z.infer<typeof Consent>,
        segment:
          r.recency === null
            ? null
            : {
                recency: r.recency as number,
                frequency: r.frequency as number,
                monetary: r.monetary as number,
                reorderIntervalDays: (r.reorder_interval_days as number | null) ?? null,
                expectedNextOrderOn: str("next_on"),
              },
        identities: identities.map((i) => ({ source: i.source, externalId: i.external_id })),
        purchases: purchases.map((p) => ({
          orderDate: p.order_date,
          documentNumber: p.document_number,
          sku: p.sku,
          product: p.product,
          quantity: p.quantity,
          total: p.total,
        })),
        recommendations: recommendations.map((x) => {
          const e = typeof x.explanation === "string" ? JSON.parse(x.explanation) : x.explanation;
          return {
            id: x.id,
            sku: x.sku,
            product: x.product,
            confidence: x.confidence,
            status: x.status,
            explanation: { fr: e.fr, en: e.en },
          };
        }),
      },
      200,
    );
  });
}
