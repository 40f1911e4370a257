import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { refusalReason, safeCsvCell } from "@crm-reco/core";
import { arrayParam, queryRows } from "../../adapters/db/database.ts";
import type { AppEnv } from "../app-env.ts";
import { emitEvent } from "../../webhooks/webhooks.ts";
import { frenchBasis, frenchHeader, frenchSegment } from "../../exports/mailing-in-french.ts";
import { loadCsvWriter } from "../../on-demand.ts";
import { audit } from "../audit.ts";
import { requireRole } from "../auth.ts";
import { refusals, security, jsonBody } from "./shared.ts";

const Channel = z.enum(["email", "post", "phone"]);

const mailing = createRoute({
  method: "post",
  path: "/api/exports/mailing",
  tags: ["exports"],
  summary:
    "Approved recommendations as a CSV for a mailing tool (editor): customers without consent for the channel are left out and counted; exported recommendations are marked and the contacts logged",
  security,
  request: {
    body: jsonBody(
      z.object({
        channel: Channel.default("email"),
        delimiter: z
          .enum([";", ","])
          .default(";")
          .openapi({ description: "`;` opens directly in French Excel" }),
        campaign: z.string().max(100).optional(),
        lang: z.enum(["en", "fr"]).default("en").openapi({
          description:
            "`fr`: French column names, segments and legal bases in words, as the staff read them; `en`: codes",
        }),
      }),
    ),
  },
  responses: {
    200: {
      description:
        "UTF-8 CSV with BOM, one row per customer, starting with what the channel needs (email; the postal address: address_line1, address_line2, postal_code, city, country; or phone). Headers X-Exported-Customers, X-Excluded-Customers and X-Excluded-Reasons (JSON: reason → count) say who was left out and why.",
      content: { "text/csv": { schema: z.string() } },
    },
    ...refusals,
  },
});

interface Row {
  recommendation_id: string;
  customer_id: string;
  customer_code: string | null;
  civility: string | null;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  email: string | null;
  phone: string | null;
  /** Set when a letter can be addressed: a street line, a town and, in France, a postal code. */
  address: string | null;
  address_line1: string | null;
  address_line2: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
  kind: "private" | "trade" | null;
  tier: string | null;
  consent: "opt_in" | "soft_opt_in" | "opt_out" | "unknown";
  consent_source: string | null;
  product: string;
  sku: string;
  price: number | null;
  explanation: { fr: string } | string;
}

/** What each channel's mailing tool needs to reach the customer: the file's first columns. */
const contactColumns = {
  email: ["email"],
  post: ["address_line1", "address_line2", "postal_code", "city", "country"],
  phone: ["phone"],
} as const satisfies Record<z.infer<typeof Channel>, ReadonlyArray<keyof Row>>;

export function registerExports(app: OpenAPIHono<AppEnv>) {
  app.openapi(mailing, async (c) => {
    const actor = requireRole(c, "editor");
    const body = c.req.valid("json");
    const { db, clock } = c.get("services");
    const consentColumn = sql.raw(`consent_${body.channel}`);
    const sourceColumn = sql.raw(`consent_${body.channel}_source`);
    const rows = await queryRows<Row>(
      db.db,
      sql`select r.id as recommendation_id, c.id as customer_id, c.customer_code, c.civility, c.first_name, c.last_name, c.company,
                 c.email, c.phone, case when c.address_line1 <> '' and c.city <> '' and (c.postal_code <> '' or coalesce(c.country, 'FR') <> 'FR') then c.address_line1 end as address,
                 c.address_line1, c.address_line2, c.postal_code, c.city, c.country, c.kind, s.tier,
                 c.${consentColumn} as consent, c.${sourceColumn} as consent_source,
                 p.name as product, p.sku, p.price_incl_tax::float8 as price, r.explanation
          from recommendations r join customers made_for on made_for.id = r.customer_id
          -- A customer merged since their recommendation was approved is written to as the one
          -- they became: its address, and its consent (which kept either record's objection).
          join customers c on c.id = coalesce(made_for.merged_into, made_for.id)
          join products p on p.id = r.product_id
          left join customer_segments s on s.customer_id = c.id
          where r.tenant_id = ${actor.tenantId}::uuid and r.status = 'approved' and c.erased_at is null
            and made_for.erased_at is null
            -- Already a salesperson's to-do in Odoo: proposed once, not again by mail.
            and not exists (select 1 from odoo_pushes x where x.tenant_id = r.tenant_id and x.recommendation_id = r.id)
          order by c.customer_code nulls last, c.id, r.rank`,
    );
    const excluded = new Map<string, Set<string>>();
    const byCustomer = new Map<string, Row[]>();
    for (const row of rows) {
      const reason = refusalReason(row, body.channel);
      if (reason) excluded.set(reason, (excluded.get(reason) ?? new Set()).add(row.customer_id));
      else byCustomer.set(row.customer_id, [...(byCustomer.get(row.customer_id) ?? []), row]);
    }
    const contact = contactColumns[body.channel];
    const columns = [
      ...contact,
      "civility",
      "first_name",
      "last_name",
      "company",
      "customer_code",
      "segment",
      "consent_basis",
      "products",
      "skus",
      "prices",
      "explanation",
      "recommendation_ids",
    ];
    const lines = [...byCustomer.values()].map((all) => {
      const first = all[0]!;
      // Two records merged into one person may each have had the wine approved: offered once
      // (both recommendations are marked exported).
      const list = all.filter((r, i) => all.findIndex((o) => o.sku === r.sku) === i);
      const text = (r: Row) =>
        (typeof r.explanation === "string"
          ? JSON.parse(r.explanation).fr
          : r.explanation.fr) as string;
      const basis =
        first.kind === "trade" && first.consent !== "opt_in"
          ? "b2b_legitimate_interest"
          : first.consent;
      const french = body.lang === "fr";
      return [
        ...contact.map((column) => first[column]),
        first.civility,
        first.first_name,
        first.last_name,
        first.company,
        first.customer_code,
        french ? frenchSegment(first.tier) : first.tier,
        `${french ? frenchBasis(basis) : basis}${first.consent_source ? ` (${first.consent_source})` : ""}`,
        list.map((r) => r.product).join(" | "),
        list.map((r) => r.sku).join(" | "),
        list
          .map((r) =>
            r.price === null
              ? ""
              : r.price.toFixed(2).replace(".", body.delimiter === ";" ? "," : "."),
          )
          .join(" | "),
        list.map(text).join(" | "),
        all.map((r) => r.recommendation_id).join(" "),
      ].map((v) => safeCsvCell(v ?? null));
    });
    const Papa = await loadCsvWriter();
    const csv = Papa.unparse(
      { fields: body.lang === "fr" ? columns.map(frenchHeader) : columns, data: lines },
      { delimiter: body.delimiter, newline: "\r\n" },
    );
    const exportedIds = [...byCustomer.values()].flat().map((r) => r.recommendation_id);
    const customerIds = [...byCustomer.keys()];
    await db.db.transaction(async (tx) => {
      if (exportedIds.length > 0) {
        await tx.execute(
          sql`update recommendations set status = 'exported', exported_at = now(), updated_at = now()
              where tenant_id = ${actor.tenantId}::uuid and id = any(${arrayParam(exportedIds, "uuid")})`,
        );
        await tx.execute(
          sql`insert into contacts (tenant_id, customer_id, channel, campaign, contacted_at)
              select ${actor.tenantId}::uuid, u, ${body.channel}, ${body.campaign ?? null}, ${clock.now().toISOString()}::timestamptz
              from unnest(${arrayParam(customerIds, "uuid")}) as u`,
        );
      }
      await audit(c, tx, {
        action: "export.created",
        entity: "recommendation",
        after: {
          channel: body.channel,
          customers: customerIds.length,
          recommendations: exportedIds.length,
          excluded: Object.fromEntries([...excluded].map(([k, v]) => [k, v.size])),
        },
      });
    });
    await emitEvent(c.get("services"), actor.tenantId, "export.created", {
      channel: body.channel,
      customers: customerIds.length,
      recommendations: exportedIds.length,
      recommendationIds: exportedIds,
      excluded: Object.fromEntries([...excluded].map(([k, v]) => [k, v.size])),
    });
    const excludedCustomers = new Set([...excluded.values()].flatMap((s) => [...s]));
    return c.body(`\uFEFF${csv}\r\n`, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="crm-reco-${body.channel}-${clock.now().toISOString().slice(0, 10)}.csv"`,
      "x-exported-customers": String(customerIds.length),
      "x-excluded-customers": String(excludedCustomers.size),
      "x-excluded-reasons": JSON.stringify(
        Object.fromEntries([...excluded].map(([k, v]) => [k, v.size])),
      ),
    });
  });
}
