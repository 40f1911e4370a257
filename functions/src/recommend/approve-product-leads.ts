import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { BACKTEST_K } from "@crm-reco/core";
import { arrayParam, type Db, queryRows } from "../adapters/db/database.ts";
import { recommendationRuns } from "../db/schema/index.ts";
import { type LeadBlock, productLeads } from "./product-leads.ts";
import type { ReadCache } from "../http/read-cache.ts";

export interface ApprovedLeads {
  /** Recommendations approved by this call (new ones, and pending ones now approved). */
  approved: string[];
  /** Customers whose recommendation of the wine was already approved (or exported). */
  alreadyApproved: number;
  /** Customers left out, and why: a campaign rule, or not among the wine's leads. */
  skipped: Array<{ customerId: string; reason: LeadBlock | "not_a_lead" }>;
  /** Of the approved, how many a mailing may not e-mail (no consent or no address). */
  withoutEmail: number;
}

/**
 * Approves the target list of a wine: each chosen customer must be one of the wine's current
 * leads (recomputed here, never trusted from the browser) and no campaign rule may keep them off
 * (`productLeads`). A customer without a recommendation of the wine gets one, stored approved with
 * the lead's confidence and explanation under a recorded run; a pending one is approved. Approving
 * again changes nothing. Consent is not a rule here: a mailing export leaves out who may not be
 * e-mailed, and the count is returned so staff know.
 */
export async function approveProductLeads(
  db: Db,
  tenantId: string,
  productId: string,
  customerIds: string[],
  decidedBy: string | null,
  now: () => Date,
  cache?: ReadCache,
): Promise<ApprovedLeads> {
  const started = now().getTime();
  const { history, trained, asOf, leads } = await productLeads(db, tenantId, productId, { cache });
  const byCustomer = new Map(leads.map((l) => [l.customerId, l]));
  const skipped: ApprovedLeads["skipped"] = [];
  const chosen = [...new Set(customerIds)].flatMap((id) => {
    const lead = byCustomer.get(id);
    if (!lead) skipped.push({ customerId: id, reason: "not_a_lead" });
    else if (lead.blockedBy) skipped.push({ customerId: id, reason: lead.blockedBy });
    else return [lead];
    return [];
  });
  const alreadyApproved = chosen.filter((l) =>
    ["approved", "exported"].includes(l.recommendation?.status ?? ""),
  );
  const toApprove = chosen.filter((l) => !alreadyApproved.includes(l));
  const withoutEmail = [...alreadyApproved, ...toApprove].filter((l) => l.emailRefusal).length;
  if (toApprove.length === 0 || !trained || !asOf)
    return { approved: [], alreadyApproved: alreadyApproved.length, skipped, withoutEmail };

  const decidedAt = now().toISOString();
  const pending = toApprove.filter((l) => l.recommendation?.status === "pending");
  const fresh = toApprove.filter((l) => !l.recommendation);
  const approved = await db.transaction(async (tx) => {
    // A pending recommendation keeps its run and wording; anything already decided is left alone.
    const updated = await queryRows<{ id: string }>(
      tx,
      sql`update recommendations set status = 'approved', decided_by = ${decidedBy}::uuid, decided_at = ${decidedAt}::timestamptz, updated_at = now()
          where tenant_id = ${tenantId}::uuid and status = 'pending'
            and id = any(${arrayParam(
              pending.map((l) => l.recommendation!.id),
              "uuid",
            )})
          returning id`,
    );
    if (fresh.length === 0) return updated;
    const [run] = await tx
      .insert(recommendationRuns)
      .values({
        tenantId,
        algorithm: "hybrid",
        parameters: {
          purpose: "customers_for_product",
          productId,
          customers: fresh.length,
          asOf,
          weights: trained.weights,
          rp3beta: { beta: trained.rp3betaBeta },
          weighting: { kind: "decay", halfLifeDays: 180 },
        },
        dataSnapshot: {
          customers: trained.data.customers.length,
          products: history.catalogue.size,
          purchases: history.purchases.length,
          asOf,
        },
        metrics: {
          splitDate: trained.splitDate,
          horizonDays: trained.horizonDays,
          k: BACKTEST_K,
          results: trained.backtest,
        },
        status: "succeeded",
        startedAt: new Date(started),
        finishedAt: now(),
        durationMs: now().getTime() - started,
      })
      .returning({ id: recommendationRuns.id });
    const col = (pick: (l: (typeof fresh)[number]) => unknown, type: string) =>
      arrayParam(fresh.map(pick), type);
    // Another request may have made the same recommendation meanwhile: approve it if pending.
    const inserted = await queryRows<{ id: string }>(
      tx,
      sql`insert into recommendations (id, tenant_id, run_id, customer_id, product_id, algorithm, score, confidence,
                                       customer_quality_score, rank, explanation, status, decided_by, decided_at)
          select u.id, ${tenantId}::uuid, ${run!.id}::uuid, u.customer_id, ${productId}::uuid, u.algorithm, u.score, u.confidence,
                 c.quality_score, u.rank, u.explanation::jsonb, 'approved', ${decidedBy}::uuid, ${decidedAt}::timestamptz
          from unnest(${col(() => randomUUID(), "uuid")}, ${col((l) => l.customerId, "uuid")}, ${col((l) => l.algorithm, "text")},
                      ${col((l) => l.score, "float8")}, ${col((l) => l.confidence, "float8")}, ${col((l) => l.rankForCustomer, "int")},
                      ${col((l) => JSON.stringify(l.explanation), "text")})
               as u(id, customer_id, algorithm, score, confidence, rank, explanation)
          join customers c on c.id = u.customer_id
          on conflict on constraint recommendations_campaign_customer_product_uq do update
            set status = 'approved', decided_by = excluded.decided_by, decided_at = excluded.decided_at, updated_at = now()
            where recommendations.status = 'pending'
          returning id`,
    );
    return [...updated, ...inserted];
  });
  return {
    approved: approved.map((r) => r.id),
    alreadyApproved: alreadyApproved.length + toApprove.length - approved.length,
    skipped,
    withoutEmail,
  };
}
