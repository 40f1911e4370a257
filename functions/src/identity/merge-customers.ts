import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { AppError, isUuid, notFound } from "@crm-reco/core";
import { type Db, queryRows, type Tx } from "../adapters/db/database.ts";
import {
  contacts,
  customerIdentities,
  customerMerges,
  customers,
  orders,
  recommendations,
} from "../db/schema/index.ts";

/** Fields the survivor takes from the merged record when it has none of its own. */
const FILLABLE = [
  "civility",
  "firstName",
  "lastName",
  "company",
  "email",
  "phone",
  "mobile",
  "addressLine1",
  "addressLine2",
  "postalCode",
  "city",
  "country",
  "language",
  "tradeType",
] as const;

type Customer = typeof customers.$inferSelect;

/** Each channel's consent, with when and where it was given, as the customers table holds it. */
const CONSENTS = [
  ["consentEmail", "consentEmailAt", "consentEmailSource"],
  ["consentPost", "consentPostAt", "consentPostSource"],
  ["consentPhone", "consentPhoneAt", "consentPhoneSource"],
] as const;

/**
 * Whether the survivor takes the merged record's consent for a channel: an objection from either
 * record stands (one person, one "no"), and a known answer beats an unknown one.
 */
const takesConsent = (survivor: string, merged: string) =>
  (merged === "opt_out" && survivor !== "opt_out") ||
  (survivor === "unknown" && merged !== "unknown");

interface MergeSnapshot {
  merged: Customer;
  survivorBefore: Partial<Customer>;
  identityIds: string[];
  orderIds: string[];
  /** Absent from merges made before 2026-12-04, which left the contacts behind. */
  contactIds?: string[];
  /** Records merged into the merged one before: they now point at the survivor. */
  repointedIds?: string[];
  /** The merged record's recommendations moved to the survivor (absent before 2026-12-04). */
  recommendationIds?: string[];
}

/**
 * Merges one customer into another: its identities, orders, contacts and recommendations move to the survivor, the
 * survivor's empty fields are filled from it, and it is marked `merged_into`. Everything needed to
 * undo it is kept in `customer_merges`.
 */
export async function mergeCustomers(
  tx: Tx,
  input: {
    tenantId: string;
    survivorId: string;
    mergedId: string;
    method: "exact" | "probabilistic" | "manual";
    score: number | null;
    mergedBy?: string;
  },
): Promise<string> {
  const rows = await tx
    .select()
    .from(customers)
    .where(
      and(
        eq(customers.tenantId, input.tenantId),
        inArray(customers.id, [input.survivorId, input.mergedId]),
        isNull(customers.mergedInto),
      ),
    );
  const survivor = rows.find((r) => r.id === input.survivorId);
  const merged = rows.find((r) => r.id === input.mergedId);
  if (!survivor || !merged)
    throw new AppError(
      "customer.conflict",
      "One of these customers no longer exists or was already merged.",
    );

  const identityIds = (
    await tx
      .select({ id: customerIdentities.id })
      .from(customerIdentities)
      .where(eq(customerIdentities.customerId, merged.id))
  ).map((r) => r.id);
  const orderIds = (
    await tx
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.tenantId, input.tenantId), eq(orders.customerId, merged.id)))
  ).map((r) => r.id);
  // When the estate last wrote to them, under either record: the gap between campaigns counts it.
  const contactIds = (
    await tx
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.tenantId, input.tenantId), eq(contacts.customerId, merged.id)))
  ).map((r) => r.id);
  const fill: Partial<Customer> = {};
  const survivorBefore: Partial<Customer> = {};
  const take = (field: keyof Customer) => {
    (fill as Record<string, unknown>)[field] = merged[field];
    (survivorBefore as Record<string, unknown>)[field] = survivor[field];
  };
  for (const field of FILLABLE)
    if ((survivor[field] === null || survivor[field] === "") && merged[field] !== null) take(field);
  for (const [consent, at, source] of CONSENTS)
    if (takesConsent(survivor[consent], merged[consent]))
      for (const f of [consent, at, source]) take(f);
  await tx
    .update(customerIdentities)
    .set({ customerId: survivor.id, updatedAt: sql`now()` })
    .where(eq(customerIdentities.customerId, merged.id));
  await tx
    .update(orders)
    .set({ customerId: survivor.id, updatedAt: sql`now()` })
    .where(and(eq(orders.tenantId, input.tenantId), eq(orders.customerId, merged.id)));
  if (contactIds.length > 0)
    await tx
      .update(contacts)
      .set({ customerId: survivor.id, updatedAt: sql`now()` })
      .where(inArray(contacts.id, contactIds));
  const recommendationIds = await moveRecommendations(tx, input.tenantId, survivor.id, merged.id);
  if (Object.keys(fill).length > 0)
    await tx
      .update(customers)
      .set({ ...fill, updatedAt: sql`now()` })
      .where(eq(customers.id, survivor.id));
  await tx
    .update(customers)
    .set({ mergedInto: survivor.id, updatedAt: sql`now()` })
    .where(eq(customers.id, merged.id));
  // A record merged into this one earlier follows it: `merged_into` always names a live customer,
  // which the export, the push and erasure reach in one step.
  const repointedIds = (
    await tx
      .update(customers)
      .set({ mergedInto: survivor.id, updatedAt: sql`now()` })
      .where(and(eq(customers.tenantId, input.tenantId), eq(customers.mergedInto, merged.id)))
      .returning({ id: customers.id })
  ).map((r) => r.id);
  const snapshot: MergeSnapshot = {
    merged,
    survivorBefore,
    identityIds,
    orderIds,
    contactIds,
    repointedIds,
    recommendationIds,
  };
  const [record] = await tx
    .insert(customerMerges)
    .values({
      tenantId: input.tenantId,
      survivorId: survivor.id,
      mergedId: merged.id,
      method: input.method,
      score: Number.isFinite(input.score) ? input.score : null,
      snapshot,
      mergedBy: input.mergedBy,
    })
    .returning({ id: customerMerges.id });
  return record!.id;
}

/**
 * The merged record's recommendations follow the person, with their decisions and feedback: what
 * staff approved, rejected or exported for either record is the survivor's now (the review list
 * showed one person twice, and a wine rejected for the merged record could be offered again).
 * Where both records have one for the same wine and campaign, a decided one wins over a pending
 * one, and the survivor's when both are pending or both decided (the other stays with the merged
 * record, as its history; a pending one is removed: the next run makes it again if it still
 * holds).
 */
async function moveRecommendations(
  tx: Tx,
  tenantId: string,
  survivorId: string,
  mergedId: string,
): Promise<string[]> {
  await tx.execute(
    sql`delete from recommendations s using recommendations m
        where s.tenant_id = ${tenantId}::uuid and s.customer_id = ${survivorId}::uuid
          and m.tenant_id = ${tenantId}::uuid and m.customer_id = ${mergedId}::uuid
          and s.product_id = m.product_id and s.campaign_id is not distinct from m.campaign_id
          and s.status = 'pending' and m.status <> 'pending'`,
  );
  const moved = await queryRows<{ id: string }>(
    tx,
    sql`update recommendations m set customer_id = ${survivorId}::uuid, updated_at = now()
        where m.tenant_id = ${tenantId}::uuid and m.customer_id = ${mergedId}::uuid
          and not exists (select 1 from recommendations s
            where s.tenant_id = m.tenant_id and s.customer_id = ${survivorId}::uuid
              and s.product_id = m.product_id and s.campaign_id is not distinct from m.campaign_id)
        returning m.id`,
  );
  await tx.execute(
    sql`delete from recommendations where tenant_id = ${tenantId}::uuid
          and customer_id = ${mergedId}::uuid and status = 'pending'`,
  );
  return moved.map((r) => r.id);
}

/** Undoes a merge: the merged customer comes back with its identities and orders, the survivor as it was. */
export async function undoMerge(db: Db, tenantId: string, mergeId: string): Promise<void> {
  if (!isUuid(mergeId)) throw notFound("merge", mergeId);
  await db.transaction(async (tx) => {
    const [merge] = await tx
      .select()
      .from(customerMerges)
      .where(
        and(
          eq(customerMerges.tenantId, tenantId),
          eq(customerMerges.id, mergeId),
          isNull(customerMerges.undoneAt),
        ),
      );
    if (!merge) throw notFound("merge", mergeId);
    const snapshot = merge.snapshot as MergeSnapshot;
    if (snapshot.identityIds.length > 0)
      await tx
        .update(customerIdentities)
        .set({ customerId: merge.mergedId })
        .where(inArray(customerIdentities.id, snapshot.identityIds));
    if (snapshot.orderIds.length > 0)
      await tx
        .update(orders)
        .set({ customerId: merge.mergedId })
        .where(inArray(orders.id, snapshot.orderIds));
    if (snapshot.contactIds?.length)
      await tx
        .update(contacts)
        .set({ customerId: merge.mergedId })
        .where(inArray(contacts.id, snapshot.contactIds));
    if (snapshot.recommendationIds?.length)
      await tx
        .update(recommendations)
        .set({ customerId: merge.mergedId })
        .where(inArray(recommendations.id, snapshot.recommendationIds));
    if (snapshot.repointedIds?.length)
      await tx
        .update(customers)
        .set({ mergedInto: merge.mergedId })
        .where(inArray(customers.id, snapshot.repointedIds));
    const before = await consentsKept(tx, merge.survivorId, snapshot);
    if (Object.keys(before).length > 0)
      await tx.update(customers).set(before).where(eq(customers.id, merge.survivorId));
    await tx
      .update(customers)
      .set({ mergedInto: null, updatedAt: sql`now()` })
      .where(eq(customers.id, merge.mergedId));
    await tx
      .update(customerMerges)
      .set({ undoneAt: sql`now()` })
      .where(eq(customerMerges.id, merge.id));
  });
}

/**
 * The survivor's fields as they were before the merge, as the table takes them (the snapshot's
 * dates were written to JSON as text), but for a consent changed since: a newer answer (an
 * unsubscription after the merge) is not undone with the merge.
 */
async function consentsKept(
  tx: Tx,
  survivorId: string,
  snapshot: MergeSnapshot,
): Promise<Partial<Customer>> {
  const [now] = await tx.select().from(customers).where(eq(customers.id, survivorId));
  const changedSince = new Set<string>(
    CONSENTS.filter(([consent]) => now && now[consent] !== snapshot.merged[consent]).flat(),
  );
  const stored = Object.fromEntries(
    Object.entries(snapshot.survivorBefore).filter(([field]) => !changedSince.has(field)),
  );
  for (const [, at] of CONSENTS)
    if (typeof stored[at] === "string") stored[at] = new Date(stored[at] as string);
  return stored as Partial<Customer>;
}
