import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type SQL, sql } from "drizzle-orm";
import { AppError, tiers } from "@crm-reco/core";
import { pageWithTotal } from "../../adapters/db/page-with-total.ts";
import {
  CUSTOMER_PHONES,
  CUSTOMER_TEXT,
  customerName,
  loadCustomerProfile,
} from "../../repos/customer-profile.ts";
import { matchesQuery } from "../../repos/text-search.ts";
import type { AppEnv } from "../app-env.ts";
import {
  CustomerKind,
  IdParam,
  json,
  notFound,
  Page,
  Paging,
  refusals,
  security,
} from "./shared.ts";
import { isCreditNoteSql } from "../../repos/credit-notes.ts";

const Consent = z.enum(["opt_in", "soft_opt_in", "opt_out", "unknown"]);
const CustomerSummary = z
  .object({
    id: z.uuid(),
    code: z.string().nullable(),
    name: z.string(),
    email: z.string().nullable(),
    city: z.string().nullable(),
    kind: CustomerKind.nullable(),
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
  kind: CustomerKind.optional(),
  consentEmail: Consent.optional(),
  lastPurchaseBefore: z.iso
    .date()
    .optional()
    .openapi({ description: "Last purchase strictly before this day" }),
  lastPurchaseAfter: z.iso
    .date()
    .optional()
    .openapi({ description: "Last purchase on or after this day" }),
  noPurchaseForMonths: z.coerce.number().int().min(1).max(240).optional().openapi({
    description: "Bought before, but nothing in the last N months (counted from today)",
  }),
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
  mobile: z.string().nullable(),
  addressLine1: z.string().nullable(),
  postalCode: z.string().nullable(),
  country: z.string().nullable(),
  consentPost: Consent,
  consentPhone: Consent,
  consents: z.array(
    z.object({
      channel: z.enum(["email", "post", "phone"]),
      status: Consent,
      source: z.string().nullable().openapi({ description: "Where the consent was collected" }),
      at: z.string().nullable(),
    }),
  ),
  mergedInto: z
    .uuid()
    .nullable()
    .openapi({ description: "The record this one was merged into, if it was" }),
  segment: z
    .object({
      recency: z.number().int(),
      frequency: z.number().int(),
      monetary: z.number().int(),
      reorderIntervalDays: z.number().int().nullable(),
      expectedNextOrderOn: z.string().nullable(),
    })
    .nullable(),
  identities: z.array(
    z.object({
      source: z.string(),
      sourceKind: z.string(),
      externalId: z.string(),
      mergedFrom: z
        .object({ customerId: z.uuid(), name: z.string(), code: z.string().nullable() })
        .nullable()
        .openapi({ description: "The merged record that brought this identity" }),
    }),
  ),
  merges: z.array(
    z.object({
      id: z.uuid(),
      customerId: z.uuid(),
      name: z.string(),
      code: z.string().nullable(),
      method: z.enum(["exact", "probabilistic", "manual"]),
      score: z.number().nullable(),
      mergedAt: z.string(),
    }),
  ),
  orders: z.array(
    z.object({
      id: z.uuid(),
      orderDate: z.string(),
      documentNumber: z.string(),
      source: z.string(),
      channel: z.string().nullable(),
      total: z.number().nullable(),
      bottles: z.number(),
      creditNote: z
        .boolean()
        .openapi({ description: "its lines give back more than they sell: no order" }),
      lines: z.array(
        z.object({
          sku: z.string().nullable(),
          product: z.string(),
          kind: z.string().nullable().openapi({
            description: "wine, or what else the line bills (shipping, discount…): not bottles",
          }),
          quantity: z.number(),
          unitPrice: z.number().nullable(),
          total: z.number().nullable(),
        }),
      ),
    }),
  ),
  lastContact: z
    .object({ at: z.string(), channel: z.string(), nextAllowedOn: z.string() })
    .nullable()
    .openapi({
      description:
        "When the estate last wrote to them, and the first day a run may propose to them again (the campaign rules' gap)",
    }),
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
  summary:
    "One customer: contact, consents and their source, segment, identities per source (and merged records), orders with their lines, recommendations",
  security,
  request: { params: IdParam },
  responses: { 200: json(CustomerDetail, "The customer"), ...refusals, ...notFound },
});

const nameSql = customerName("c");
// The customers list also finds them by town.
const CUSTOMER_LIST_TEXT = [...CUSTOMER_TEXT, sql`c.city`];

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
    const search = q.q ? matchesQuery(q.q, CUSTOMER_LIST_TEXT, CUSTOMER_PHONES) : null;
    if (search) parts.push(search);
    if (q.tier) parts.push(sql`s.tier = ${q.tier}`);
    if (q.kind) parts.push(sql`c.kind = ${q.kind}`);
    if (q.consentEmail) parts.push(sql`c.consent_email = ${q.consentEmail}`);
    if (q.lastPurchaseAfter && q.lastPurchaseBefore && q.lastPurchaseAfter >= q.lastPurchaseBefore)
      throw new AppError(
        "customers.invalid",
        "The last purchase cannot be both on or after the first date and before the second: the second date must come later.",
        { field: "lastPurchaseBefore" },
      );
    if (q.lastPurchaseBefore) parts.push(sql`lo.last_order_on < ${q.lastPurchaseBefore}::date`);
    if (q.lastPurchaseAfter) parts.push(sql`lo.last_order_on >= ${q.lastPurchaseAfter}::date`);
    if (q.noPurchaseForMonths) {
      const today = c.get("services").clock.now().toISOString().slice(0, 10);
      parts.push(
        sql`lo.last_order_on < (${today}::date - make_interval(months => ${q.noPurchaseForMonths}::int))::date`,
      );
    }
    const condition = sql.join(parts, sql` and `);
    // The last purchase from the orders themselves: segments are only as fresh as the last run.
    const from = sql`customers c left join customer_segments s on s.customer_id = c.id
      left join lateral (select max(o.order_date) as last_order_on from orders o
                         where o.tenant_id = c.tenant_id and o.customer_id = c.id
                           and not ${isCreditNoteSql(sql`o.id`)}) lo on true`;
    const { rows, total } = await pageWithTotal<{
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
      sql`select count(*)::int from ${from} where ${condition}`,
      (total) =>
        sql`select c.id, c.customer_code as code, ${nameSql} as name, c.email, c.city, c.kind, s.tier, c.consent_email,
                   lo.last_order_on::text as last_order_on, c.quality_score::float8 as quality_score, ${total}
            from ${from} where ${condition} order by ${nameSql}, c.id limit ${q.limit} offset ${q.offset}`,
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
        total,
        limit: q.limit,
        offset: q.offset,
      },
      200,
    );
  });

  app.openapi(detail, async (c) => {
    const { tenantId } = c.get("actor");
    const { id } = c.req.valid("param");
    return c.json(await loadCustomerProfile(c.get("services").db.db, tenantId, id), 200);
  });
}
