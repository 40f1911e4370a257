import { sql } from "drizzle-orm";
import {
  AppError,
  type Consent,
  isAppError,
  m2oId,
  type OdooRecord,
  refusalReason,
} from "@crm-reco/core";
import { queryRows } from "../adapters/db/database.ts";
import { getSource } from "../repos/sources.ts";
import type { Services } from "../services.ts";
import { connectOdoo } from "./connect-odoo.ts";
import type { RetryPolicy } from "./odoo-http.ts";
import { WITH_ARCHIVED } from "./odoo-reader.ts";
import { connectionOfSource } from "./odoo-source.ts";
import type { OdooTransport } from "./odoo-transport.ts";

export interface PushRequest {
  tenantId: string;
  sourceId: string;
  /** Only these (approved) recommendations; by default every approved one not pushed yet. */
  recommendationIds?: string[];
  /** Days from today to the activity's deadline. */
  dueInDays?: number;
  pushedBy?: string;
  policy?: RetryPolicy;
}

export interface PushSummary {
  pushed: number;
  /** Found already in Odoo (a push interrupted after Odoo wrote it): recorded, not written again. */
  alreadyInOdoo: number;
  skipped: Array<{ recommendationId: string; reason: string }>;
  errors: Array<{ code: string; message: string }>;
}

interface Candidate {
  id: string;
  customer_id: string;
  partner_id: string | null;
  product_name: string;
  explanation_fr: string | null;
  kind: "private" | "trade";
  email: string | null;
  phone: string | null;
  consent_email: string;
  consent_phone: string;
}

/**
 * Writes approved recommendations to Odoo as to-do activities on the customer's partner, so the
 * salesperson finds them where they work. Each carries a marker with the recommendation id: a
 * push interrupted between Odoo's write and ours finds its activity and does not write it twice.
 */
export async function pushRecommendationsToOdoo(
  services: Pick<Services, "db" | "clock" | "log" | "secretKey">,
  request: PushRequest,
): Promise<PushSummary> {
  const { db } = services.db;
  const source = await getSource(db, request.tenantId, request.sourceId);
  const connection = connectionOfSource(source, services.secretKey);
  const summary: PushSummary = { pushed: 0, alreadyInOdoo: 0, skipped: [], errors: [] };
  const only = request.recommendationIds;
  const candidates = await queryRows<Candidate>(
    db,
    // As the mailing export does: a customer merged since is reached as the one they became, and
    // a person with two partners in this Odoo (merged here) gets one activity, on the first.
    sql`select distinct on (c.id, r.rank, r.id) r.id, c.id as customer_id, ci.external_id as partner_id,
               p.name as product_name, r.explanation->>'fr' as explanation_fr,
               c.kind, c.email, c.phone, c.consent_email, c.consent_phone
        from recommendations r
        join customers made_for on made_for.id = r.customer_id
        join customers c on c.id = coalesce(made_for.merged_into, made_for.id)
        join products p on p.id = r.product_id
        left join customer_identities ci
          on ci.tenant_id = r.tenant_id and ci.customer_id = c.id and ci.source_id = ${source.id}::uuid
          and ci.external_id not like 'erased:%'
        where r.tenant_id = ${request.tenantId}::uuid and r.status = 'approved' and c.erased_at is null
          and not exists (select 1 from odoo_pushes x where x.tenant_id = r.tenant_id
                          and x.source_id = ${source.id}::uuid and x.recommendation_id = r.id)
          ${only ? sql`and r.id = any(${`{${only.join(",")}}`}::uuid[])` : sql``}
        order by c.id, r.rank, r.id, length(ci.external_id), ci.external_id`,
  );
  if (candidates.length === 0) return summary;
  const deadline = new Date(services.clock.now().getTime() + (request.dueInDays ?? 7) * 86_400_000)
    .toISOString()
    .slice(0, 10);
  try {
    const odoo = await connectOdoo(connection, { policy: request.policy });
    const [partnerModel] = await odoo.call<Array<{ id: number }>>("ir.model", "search_read", {
      domain: [["model", "=", "res.partner"]],
      fields: ["id"],
      limit: 1,
    });
    if (!partnerModel)
      throw new AppError(
        "odoo.unknown_model",
        "This Odoo does not describe res.partner in ir.model.",
      );
    const owners = await salespeopleOf(
      odoo,
      candidates.map((c) => Number(c.partner_id)).filter((id) => Number.isInteger(id)),
    );
    for (const c of candidates) {
      const partnerId = Number(c.partner_id);
      if (!c.partner_id || !Number.isInteger(partnerId)) {
        summary.skipped.push({
          recommendationId: c.id,
          reason: "The customer is not known in this Odoo (not synced from it).",
        });
        continue;
      }
      // A salesperson's to-do to propose a wine is a contact: only to a customer who may be
      // written to or called (the mailing export's rules, per channel).
      const refusals = (["email", "phone"] as const).map((channel) =>
        refusalReason(
          {
            kind: c.kind,
            consent: (channel === "email" ? c.consent_email : c.consent_phone) as Consent,
            email: c.email,
            phone: c.phone,
            address: null,
          },
          channel,
        ),
      );
      if (refusals.every((r) => r !== null)) {
        summary.skipped.push({
          recommendationId: c.id,
          reason: `The customer may not be contacted by e-mail (${refusals[0]}) nor by phone (${refusals[1]}).`,
        });
        continue;
      }
      const marker = `crm-reco:${c.id}`;
      const existing = await odoo.call<Array<{ id: number }>>("mail.activity", "search_read", {
        domain: [
          ["res_model", "=", "res.partner"],
          ["res_id", "=", partnerId],
          ["note", "ilike", marker],
        ],
        fields: ["id"],
        limit: 1,
      });
      let activityId = existing[0]?.id;
      if (activityId === undefined) {
        const activity = {
          res_model_id: partnerModel.id,
          res_id: partnerId,
          summary: `Proposer ${c.product_name}`,
          note: `<p>${escapeHtml(c.explanation_fr ?? "")}</p><p>${marker}</p>`,
          date_deadline: deadline,
        };
        const create = (owner?: number) =>
          odoo.call<number | number[]>("mail.activity", "create", {
            // Left out, Odoo gives the to-do to the API's own user, whom no one reads as.
            vals_list: [owner === undefined ? activity : { ...activity, user_id: owner }],
          });
        const owner = owners.get(partnerId);
        let created: number | number[];
        try {
          created = await create(owner);
        } catch (error) {
          // Odoo refuses a to-do to a user who may not read the partner (another company's
          // salesperson, say; a UserError up to 16, an AccessError after): it goes to the API's
          // user rather than nowhere.
          if (owner === undefined || !refusedAssignee(error)) throw error;
          created = await create();
        }
        activityId = Array.isArray(created) ? created[0]! : created;
        summary.pushed++;
      } else summary.alreadyInOdoo++;
      await db.transaction(async (tx) => {
        await tx.execute(
          sql`insert into odoo_pushes (tenant_id, source_id, recommendation_id, odoo_activity_id, odoo_partner_id, pushed_by)
              values (${request.tenantId}::uuid, ${source.id}::uuid, ${c.id}::uuid, ${activityId}, ${partnerId}, ${request.pushedBy ?? null}::uuid)
              on conflict do nothing`,
        );
        await tx.execute(
          sql`insert into contacts (tenant_id, customer_id, channel, campaign, contacted_at)
              values (${request.tenantId}::uuid, ${c.customer_id}::uuid, 'odoo_activity', null, ${services.clock.now().toISOString()}::timestamptz)`,
        );
      });
    }
  } catch (error) {
    if (!isAppError(error)) throw error;
    summary.errors.push({ code: error.code, message: error.message });
  }
  return summary;
}

const refusedAssignee = (error: unknown) =>
  isAppError(error) &&
  (error.code === "odoo.access_error" ||
    /(UserError|AccessError)$/.test(String(error.details?.exception ?? "")));

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/**
 * Who should see each partner's to-do: its salesperson, else its company's (a contact of a wine
 * shop is followed by whoever follows the shop), the first of them still active.
 */
async function salespeopleOf(odoo: OdooTransport, partnerIds: number[]) {
  const owners = new Map<number, number>();
  // search_read, not read: a partner deleted in Odoo since the sync is simply not found.
  const read = async (ids: number[]) =>
    ids.length === 0
      ? []
      : odoo.call<OdooRecord[]>("res.partner", "search_read", {
          domain: [["id", "in", [...new Set(ids)]]],
          fields: ["user_id", "commercial_partner_id"],
          context: WITH_ARCHIVED,
        });
  const partners = await read(partnerIds);
  const companies = new Map(
    (
      await read(
        partners
          .map((p) => m2oId(p.commercial_partner_id))
          .filter((id): id is number => id !== null),
      )
    ).map((c) => [c.id, m2oId(c.user_id)]),
  );
  const candidates = partners.map((p) => ({
    partner: p.id,
    own: m2oId(p.user_id),
    company: companies.get(m2oId(p.commercial_partner_id) ?? -1) ?? null,
  }));
  const users = candidates
    .flatMap((c) => [c.own, c.company])
    .filter((id): id is number => id !== null);
  const active = new Set(
    users.length === 0
      ? []
      : (
          await odoo.call<OdooRecord[]>("res.users", "search_read", {
            domain: [["id", "in", [...new Set(users)]]],
            fields: ["id"],
          })
        ).map((u) => u.id),
  );
  for (const c of candidates) {
    const user = [c.own, c.company].find((id) => id !== null && active.has(id));
    if (user != null) owners.set(c.partner, user);
  }
  return owners;
}
