import { sql } from "drizzle-orm";
import { AppError } from "@crm-reco/core";
import { type Db, queryRows } from "../adapters/db/database.ts";
import { loadCampaignRules } from "../recommend/campaign-rules.ts";
import { isCreditNote } from "./credit-notes.ts";

type Consent = "opt_in" | "soft_opt_in" | "opt_out" | "unknown";
type Tier = "champions" | "loyal" | "promising" | "new" | "at_risk" | "dormant" | "occasional";

export interface CustomerProfile {
  id: string;
  code: string | null;
  name: string;
  email: string | null;
  city: string | null;
  kind: "private" | "trade" | null;
  tier: Tier | null;
  consentEmail: Consent;
  lastOrderOn: string | null;
  qualityScore: number | null;
  civility: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  phone: string | null;
  mobile: string | null;
  addressLine1: string | null;
  postalCode: string | null;
  country: string | null;
  consentPost: Consent;
  consentPhone: Consent;
  consents: Array<{
    channel: "email" | "post" | "phone";
    status: Consent;
    source: string | null;
    at: string | null;
  }>;
  mergedInto: string | null;
  segment: {
    recency: number;
    frequency: number;
    monetary: number;
    reorderIntervalDays: number | null;
    expectedNextOrderOn: string | null;
  } | null;
  identities: Array<{
    source: string;
    sourceKind: string;
    externalId: string;
    mergedFrom: { customerId: string; name: string; code: string | null } | null;
  }>;
  merges: Array<{
    id: string;
    customerId: string;
    name: string;
    code: string | null;
    method: "exact" | "probabilistic" | "manual";
    score: number | null;
    mergedAt: string;
  }>;
  orders: Array<{
    id: string;
    orderDate: string;
    documentNumber: string;
    source: string;
    channel: string | null;
    total: number | null;
    bottles: number;
    /** Its lines give back more than they sell (a refund, a return): no order. */
    creditNote: boolean;
    lines: Array<{
      sku: string | null;
      product: string;
      /** `wine`, or what else the line bills (the carrier, a discount, a case): not bottles. */
      kind: string | null;
      quantity: number;
      unitPrice: number | null;
      total: number | null;
    }>;
  }>;
  /**
   * When the estate last wrote to them (a mailing export, an Odoo activity), and the first day a
   * run may propose to them again under the campaign rules' gap: why the list may hold nothing.
   */
  lastContact: { at: string; channel: string; nextAllowedOn: string } | null;
  recommendations: Array<{
    id: string;
    sku: string;
    product: string;
    confidence: number;
    status: string;
    explanation: { fr: string; en: string };
  }>;
}

/**
 * A customer's display name from the customers row aliased `alias`, as SQL text: "First Last",
 * with the company after a trade contact's name ("Jean Reinhart (Restaurant Chez Hansi)": staff
 * know a restaurant by its name), else the company alone.
 */
export const customerNameText = (alias: string) =>
  `coalesce(nullif(trim(coalesce(${alias}.first_name || ' ', '') || coalesce(${alias}.last_name, ${alias}.company, '')` +
  ` || case when ${alias}.last_name is not null and ${alias}.company is not null` +
  ` then ' (' || ${alias}.company || ')' else '' end), ''),` +
  // A customer known only from a sale, or a web-shop account, by what there is: never a blank
  // line in a list staff review.
  ` ${alias}.email, ${alias}.customer_code, '')`;

/** `customerNameText` as a SQL fragment. */
export const customerName = (alias: string) => sql.raw(customerNameText(alias));

/** What a search for a customer (alias `c`) reads: who they are, and their numbers apart. */
export const CUSTOMER_TEXT = [
  sql`c.first_name`,
  sql`c.last_name`,
  sql`c.company`,
  sql`c.customer_code`,
  sql`c.email`,
  // The codes the person has in each source, a record merged into them included: staff look a
  // customer up by the code on an invoice, whichever record survived the merge.
  sql`(select string_agg(i.external_id, ' ') from customer_identities i where i.customer_id = c.id)`,
];
export const CUSTOMER_PHONES = [sql`c.phone`, sql`c.mobile`];

/** Most orders a profile shows: beyond that the GDPR export has them all. */
const MAX_ORDERS = 300;

const parsed = <T>(value: unknown): T =>
  (typeof value === "string" ? JSON.parse(value) : value) as T;
/** A timestamptz as ISO 8601 in UTC, whatever the driver's own parsing of timestamps. */
const isoSql = (column: string) =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/**
 * Everything the customer page shows about one person: contact and consents with their source,
 * segment, identities per source (and which merged record brought each), the records merged into
 * them, orders with their lines (most recent first) and recommendations. Erased people are not
 * found; a merged-away record is, with `mergedInto` saying where it went.
 */
export async function loadCustomerProfile(
  db: Db,
  tenantId: string,
  id: string,
): Promise<CustomerProfile> {
  const [r] = await queryRows<Record<string, unknown>>(
    db,
    sql`select c.*, ${customerName("c")} as name, c.quality_score::float8 as quality_float, s.tier, s.recency, s.frequency, s.monetary,
               s.reorder_interval_days, s.expected_next_order_on::text as next_on,
               (select max(o.order_date)::text from orders o where o.tenant_id = c.tenant_id and o.customer_id = c.id) as last_on,
               ${isoSql("c.consent_email_at")} as email_at, ${isoSql("c.consent_post_at")} as post_at,
               ${isoSql("c.consent_phone_at")} as phone_at
        from customers c left join customer_segments s on s.customer_id = c.id
        where c.tenant_id = ${tenantId}::uuid and c.id = ${id}::uuid and c.erased_at is null`,
  );
  if (!r) throw new AppError("customer.not_found", "No such customer.");
  const str = (k: string) => (r[k] as string | null) ?? null;

  const identities = await queryRows<Record<string, unknown>>(
    db,
    sql`select s.name as source, s.kind as source_kind, i.external_id, m.merged_id, ${customerName("mc")} as merged_name, mc.customer_code as merged_code
        from customer_identities i join sources s on s.id = i.source_id
        left join lateral (
          select x.merged_id from customer_merges x
          where x.tenant_id = i.tenant_id and x.survivor_id = i.customer_id and x.undone_at is null
            and x.snapshot->'identityIds' @> jsonb_build_array(i.id::text)
          order by x.created_at desc limit 1) m on true
        left join customers mc on mc.id = m.merged_id
        where i.customer_id = ${id}::uuid and i.tenant_id = ${tenantId}::uuid order by m.merged_id is not null, lower(s.name), i.external_id`,
  );
  const merges = await queryRows<Record<string, unknown>>(
    db,
    sql`select m.id, m.merged_id, ${customerName("c")} as name, c.customer_code, m.method, m.score::float8 as score, ${isoSql("m.created_at")} as merged_at
        from customer_merges m join customers c on c.id = m.merged_id
        where m.tenant_id = ${tenantId}::uuid and m.survivor_id = ${id}::uuid and m.undone_at is null
        order by m.created_at, m.id`,
  );
  const orders = await queryRows<Record<string, unknown>>(
    db,
    sql`select o.id, o.order_date::text as order_date, o.document_number, s.name as source, o.channel,
               o.total_incl_tax::float8 as total,
               coalesce((select json_agg(json_build_object(
                   'sku', p.sku, 'product', coalesce(p.name, l.line_key), 'kind', p.kind, 'quantity', l.quantity::float8,
                   'unitPrice', l.unit_price::float8, 'total', l.total::float8) order by l.line_key)
                 from order_lines l left join products p on p.id = l.product_id where l.order_id = o.id), '[]'::json) as lines
        from orders o join sources s on s.id = o.source_id
        where o.tenant_id = ${tenantId}::uuid and o.customer_id = ${id}::uuid
        order by o.order_date desc, o.document_number limit ${MAX_ORDERS}`,
  );
  const [contact] = await queryRows<{ at: string; channel: string; next_on: string }>(
    db,
    sql`select ${isoSql("k.contacted_at")} as at, k.channel,
               (k.contacted_at::date + ${(await loadCampaignRules(db, tenantId)).contactGapDays}::int)::text as next_on
        from contacts k where k.tenant_id = ${tenantId}::uuid
          and k.customer_id in (select ${id}::uuid union select m.id from customers m where m.merged_into = ${id}::uuid)
        order by k.contacted_at desc limit 1`,
  );
  const recommendations = await queryRows<Record<string, unknown>>(
    db,
    sql`select r.id, p.sku, p.name as product, r.confidence::float8 as confidence, r.status, r.explanation
        from recommendations r join products p on p.id = r.product_id
        where r.customer_id = ${id}::uuid and r.tenant_id = ${tenantId}::uuid order by r.status, r.rank`,
  );

  return {
    id: r.id as string,
    code: str("customer_code"),
    name: r.name as string,
    email: str("email"),
    city: str("city"),
    kind: (r.kind as "private" | "trade" | null) ?? null,
    tier: (r.tier as Tier | null) ?? null,
    consentEmail: r.consent_email as Consent,
    lastOrderOn: str("last_on"),
    qualityScore: (r.quality_float as number | null) ?? null,
    civility: str("civility"),
    firstName: str("first_name"),
    lastName: str("last_name"),
    company: str("company"),
    phone: str("phone"),
    mobile: str("mobile"),
    addressLine1: str("address_line1"),
    postalCode: str("postal_code"),
    country: str("country"),
    consentPost: r.consent_post as Consent,
    consentPhone: r.consent_phone as Consent,
    consents: (["email", "post", "phone"] as const).map((channel) => ({
      channel,
      status: r[`consent_${channel}`] as Consent,
      source: str(`consent_${channel}_source`),
      at: str(`${channel}_at`),
    })),
    mergedInto: str("merged_into"),
    lastContact: contact
      ? { at: contact.at, channel: contact.channel, nextAllowedOn: contact.next_on }
      : null,
    segment:
      r.recency === null || r.recency === undefined
        ? null
        : {
            recency: r.recency as number,
            frequency: r.frequency as number,
            monetary: r.monetary as number,
            reorderIntervalDays: (r.reorder_interval_days as number | null) ?? null,
            expectedNextOrderOn: str("next_on"),
          },
    identities: identities.map((i) => ({
      source: i.source as string,
      sourceKind: i.source_kind as string,
      externalId: i.external_id as string,
      mergedFrom: i.merged_id
        ? {
            customerId: i.merged_id as string,
            name: i.merged_name as string,
            code: (i.merged_code as string | null) ?? null,
          }
        : null,
    })),
    merges: merges.map((m) => ({
      id: m.id as string,
      customerId: m.merged_id as string,
      name: m.name as string,
      code: (m.customer_code as string | null) ?? null,
      method: m.method as "manual",
      score: (m.score as number | null) ?? null,
      mergedAt: m.merged_at as string,
    })),
    orders: orders.map((o) => {
      const lines = parsed<CustomerProfile["orders"][number]["lines"]>(o.lines);
      return {
        id: o.id as string,
        orderDate: o.order_date as string,
        documentNumber: o.document_number as string,
        source: o.source as string,
        channel: (o.channel as string | null) ?? null,
        // A source without order totals still has line totals.
        total:
          (o.total as number | null) ??
          (lines.some((l) => l.total !== null)
            ? lines.reduce((sum, l) => sum + (l.total ?? 0), 0)
            : null),
        // The carrier's charge or a discount on the invoice is no bottle.
        bottles: lines.reduce((sum, l) => sum + (l.kind === "wine" ? l.quantity : 0), 0),
        // As the dashboard and the segments count: every line, bottles or not.
        creditNote: isCreditNote(lines),
        lines,
      };
    }),
    recommendations: recommendations.map((x) => {
      const e = parsed<{ fr: string; en: string }>(x.explanation);
      return {
        id: x.id as string,
        sku: x.sku as string,
        product: x.product as string,
        confidence: x.confidence as number,
        status: x.status as string,
        explanation: { fr: e.fr, en: e.en },
      };
    }),
  };
}
