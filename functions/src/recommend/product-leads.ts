import { sql } from "drizzle-orm";
import { AppError, applyRules, refusalReason, type Tier, type Trained } from "@crm-reco/core";
import { arrayParam, type Db, queryRows } from "../adapters/db/database.ts";
import {
  customersForProduct,
  type ProspectCustomer,
  trainForLeads,
} from "./customers-for-product.ts";
import { loadCampaignRules } from "./campaign-rules.ts";
import { ruleContext } from "./generate.ts";
import { type History, loadHistory } from "./load-history.ts";
import { customerName } from "../repos/customer-profile.ts";
import { refuseOutsideCatalogue } from "../repos/product-kinds.ts";
import type { ReadCache } from "../http/read-cache.ts";

/** A campaign rule that keeps a lead off the approved list (the same rules a run applies). */
export type LeadBlock = "inactive" | "recent_purchase" | "rejected_before" | "contacted_recently";

export interface ProductLead extends ProspectCustomer {
  customer: {
    id: string;
    name: string;
    code: string | null;
    kind: "private" | "trade" | null;
    tier: string | null;
  };
  /** Why an e-mail to this customer would be left out of a mailing (null: they may be e-mailed). */
  emailRefusal: string | null;
  blockedBy: LeadBlock | null;
  /** The customer's live recommendation of this wine, if a run or a person already made one. */
  recommendation: { id: string; status: "pending" | "approved" | "rejected" | "exported" } | null;
}

export interface ProductLeads {
  history: History;
  trained: Trained | null;
  asOf: string | null;
  leads: ProductLead[];
}

const ALL = Number.MAX_SAFE_INTEGER;

/**
 * The estate's history and the models its wines' leads were ranked with. A wine on sale is ranked
 * by the same model as every other (training takes seconds on a real estate), so staff going
 * from wine to wine, or approving the list they are looking at, wait for one training while
 * nothing is written (kept by the web process's read cache, `latest`). A wine off sale gets a
 * model of its own, ranked as if it were on sale: the last one is kept beside.
 */
async function leadsWorkspace(db: Db, tenantId: string) {
  const history = await loadHistory(db, tenantId);
  const models = new Map<string, Trained>();
  const trainedFor = (productId: string, asOf: string): Trained => {
    const onSale = history.catalogue.get(productId)?.active === true;
    const key = onSale ? "on sale" : productId;
    let trained = models.get(key);
    if (!trained) {
      trained = trainForLeads(history, asOf, productId);
      for (const other of models.keys()) if (other !== "on sale") models.delete(other);
      models.set(key, trained);
    }
    return trained;
  };
  return { history, trainedFor };
}

/**
 * "Customers for this wine", ready for review: the most likely buyers (`customersForProduct`) with
 * who they are (segment, kind), whether a mailing may e-mail them (the export's consent rule),
 * which campaign rule would keep them off a list (inactive wine, bought it recently, rejected it
 * before, contacted recently: the estate's rules, applied as a run applies them) and their
 * existing recommendation of the wine. Marked, not hidden, so staff see why someone cannot be
 * approved.
 */
export async function productLeads(
  db: Db,
  tenantId: string,
  productId: string,
  options: { k?: number; kind?: "private" | "trade"; tier?: Tier; cache?: ReadCache } = {},
): Promise<ProductLeads> {
  const { history, trainedFor } = await (options.cache
    ? options.cache.latest(`product leads ${tenantId}`, () => leadsWorkspace(db, tenantId))
    : leadsWorkspace(db, tenantId));
  if (!history.catalogue.has(productId))
    await refuseOutsideCatalogue(
      db,
      tenantId,
      { id: productId },
      new AppError("product.not_found", "No such product."),
    );
  const asOf = history.latestOrderDate;
  if (!asOf) return { history, trained: null, asOf, leads: [] };
  const trained = trainedFor(productId, asOf);
  const targeted = await customersOf(db, tenantId, options);
  const prospects = customersForProduct(history, productId, {
    asOf,
    k: options.k ?? ALL,
    trained,
    only: targeted && ((id) => targeted.has(id)),
  });
  if (prospects.length === 0) return { history, trained, asOf, leads: [] };

  const today = new Date().toISOString().slice(0, 10);
  const context = await ruleContext(db, tenantId, trained.data, history, asOf, today);
  const rules = { ...(await loadCampaignRules(db, tenantId)), perCustomer: 1 };
  const item = trained.data.itemIndex.get(productId)!;
  const blockOf = (customerId: string): LeadBlock | null => {
    const u = trained.data.customerIndex.get(customerId)!;
    const rule = applyRules(u, [{ item }], rules, context).dropped[0]?.rule;
    // Staff chose this very wine: an older vintage than the customer's is theirs to offer.
    return rule === undefined ||
      rule === "over_limit" ||
      rule === "older_vintage" ||
      rule === "same_wine"
      ? null
      : rule;
  };

  const ids = arrayParam(
    prospects.map((p) => p.customerId),
    "uuid",
  );
  const people = await queryRows<{
    id: string;
    name: string;
    code: string | null;
    kind: "private" | "trade" | null;
    tier: string | null;
    email: string | null;
    consent: "opt_in" | "soft_opt_in" | "opt_out" | "unknown";
    recommendation_id: string | null;
    status: "pending" | "approved" | "rejected" | "exported" | null;
  }>(
    db,
    sql`select c.id, ${customerName("c")} as name,
               c.customer_code as code, c.kind, s.tier, c.email, c.consent_email as consent,
               r.id as recommendation_id, r.status
        from customers c
        left join customer_segments s on s.customer_id = c.id
        left join recommendations r on r.tenant_id = c.tenant_id and r.customer_id = c.id
             and r.product_id = ${productId}::uuid and r.campaign_id is null
        where c.tenant_id = ${tenantId}::uuid and c.id = any(${ids})`,
  );
  const who = new Map(people.map((p) => [p.id, p]));
  const leads = prospects.map((p): ProductLead => {
    const person = who.get(p.customerId);
    return {
      ...p,
      customer: {
        id: p.customerId,
        name: person?.name ?? "",
        code: person?.code ?? null,
        kind: person?.kind ?? null,
        tier: person?.tier ?? null,
      },
      emailRefusal: refusalReason(
        {
          kind: person?.kind ?? null,
          consent: person?.consent ?? "unknown",
          email: person?.email ?? null,
          phone: null,
          address: null,
        },
        "email",
      ),
      blockedBy: blockOf(p.customerId),
      recommendation:
        person?.recommendation_id && person.status
          ? { id: person.recommendation_id, status: person.status }
          : null,
    };
  });
  return { history, trained, asOf, leads };
}

/**
 * The customers of one kind and/or RFM tier ("dormant trade customers"), or undefined for
 * everyone: a campaign's target, chosen before the list is cut to its length.
 */
async function customersOf(
  db: Db,
  tenantId: string,
  target: { kind?: "private" | "trade"; tier?: Tier },
): Promise<Set<string> | undefined> {
  if (!target.kind && !target.tier) return undefined;
  const parts = [sql`c.tenant_id = ${tenantId}::uuid`];
  if (target.kind) parts.push(sql`c.kind = ${target.kind}`);
  if (target.tier) parts.push(sql`s.tier = ${target.tier}`);
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select c.id from customers c left join customer_segments s on s.customer_id = c.id
        where ${sql.join(parts, sql` and `)}`,
  );
  return new Set(rows.map((r) => r.id));
}
