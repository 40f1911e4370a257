import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import {
  AUTO_MERGE_SCORE,
  AppError,
  isUuid,
  type MatchCandidate,
  matchCustomers,
  notFound,
} from "@crm-reco/core";
import { arrayParam, type Db, queryRows } from "../adapters/db/database.ts";
import { customers, mergeCandidates } from "../db/schema/index.ts";
import { mergeCustomers } from "./merge-customers.ts";

export interface ResolutionSummary {
  compared: number;
  merged: number;
  queued: number;
}

/**
 * One customer across sources: finds the records that are one person (core `matchCustomers`),
 * merges those above the automatic threshold (the most complete record survives), and queues the
 * unsure pairs for staff, except the pairs staff already rejected. Safe to run after every import.
 */
export async function resolveIdentities(
  db: Db,
  tenantId: string,
  mergedBy?: string,
): Promise<ResolutionSummary> {
  const candidates = await loadCandidates(db, tenantId);
  const rejected = new Set(
    (
      await db
        .select()
        .from(mergeCandidates)
        .where(and(eq(mergeCandidates.tenantId, tenantId), eq(mergeCandidates.status, "rejected")))
    ).map((c) => `${c.customerA}|${c.customerB}`),
  );
  const pairs = matchCustomers(candidates).filter((p) => !rejected.has(`${p.a}|${p.b}`));
  const byId = new Map(candidates.map((c) => [c.id, c]));

  // Clusters of automatic merges (union-find), each merged into its most complete record.
  const parent = new Map<string, string>();
  const find = (id: string): string =>
    parent.get(id) === undefined || parent.get(id) === id ? id : find(parent.get(id)!);
  for (const pair of pairs.filter((p) => p.score >= AUTO_MERGE_SCORE))
    parent.set(find(pair.b), find(pair.a));
  const clusters = new Map<string, string[]>();
  for (const id of new Set(
    pairs.filter((p) => p.score >= AUTO_MERGE_SCORE).flatMap((p) => [p.a, p.b]),
  ))
    clusters.set(find(id), [...(clusters.get(find(id)) ?? []), id]);
  const scoreOf = new Map(pairs.map((p) => [`${p.a}|${p.b}`, p]));

  const mergedAway = new Set<string>();
  for (const members of clusters.values()) {
    const [survivor, ...others] = members.sort((x, y) => survivorFirst(byId.get(x)!, byId.get(y)!));
    await db.transaction(async (tx) => {
      for (const other of others) {
        const pair = scoreOf.get(
          survivor! < other ? `${survivor}|${other}` : `${other}|${survivor}`,
        );
        await mergeCustomers(tx, {
          tenantId,
          survivorId: survivor!,
          mergedId: other,
          method: pair?.method ?? "exact",
          score: pair?.score ?? null,
          mergedBy,
        });
        mergedAway.add(other);
      }
    });
  }

  const review = pairs.filter(
    (p) => p.score < AUTO_MERGE_SCORE && !mergedAway.has(p.a) && !mergedAway.has(p.b),
  );
  for (const pair of review) {
    await db
      .insert(mergeCandidates)
      .values({
        tenantId,
        customerA: pair.a,
        customerB: pair.b,
        score: pair.score,
        reasons: pair.reasons,
      })
      .onConflictDoUpdate({
        target: [mergeCandidates.tenantId, mergeCandidates.customerA, mergeCandidates.customerB],
        set: { score: pair.score, reasons: pair.reasons, updatedAt: sql`now()` },
      });
  }
  return { compared: candidates.length, merged: mergedAway.size, queued: review.length };
}

/** A person's decision on a queued pair: accepted pairs are merged, rejected ones never proposed again. */
export async function decideMergeCandidate(
  db: Db,
  tenantId: string,
  candidateId: string,
  decision: "accept" | "reject",
  userId?: string,
): Promise<void> {
  if (!isUuid(candidateId)) throw notFound("merge_candidate", candidateId);
  await db.transaction(async (tx) => {
    const [candidate] = await tx
      .select()
      .from(mergeCandidates)
      .where(and(eq(mergeCandidates.tenantId, tenantId), eq(mergeCandidates.id, candidateId)));
    if (!candidate) throw notFound("merge_candidate", candidateId);
    if (candidate.status !== "pending")
      throw new AppError("merge_candidate.conflict", `This pair was already ${candidate.status}.`);
    if (decision === "accept") {
      const pair = await tx
        .select()
        .from(customers)
        .where(
          and(
            inArray(customers.id, [candidate.customerA, candidate.customerB]),
            isNull(customers.mergedInto),
          ),
        );
      const history = await historyOf(
        tx,
        pair.map((c) => c.id),
      );
      const [survivor, other] = pair
        .map((c) => ({
          ...c,
          orders: history.get(c.id) ?? 0,
          createdAt: c.createdAt.toISOString(),
        }))
        .sort(survivorFirst);
      if (!survivor || !other)
        throw new AppError(
          "merge_candidate.conflict",
          "One of these customers was merged elsewhere meanwhile.",
        );
      await mergeCustomers(tx, {
        tenantId,
        survivorId: survivor.id,
        mergedId: other.id,
        method: "manual",
        score: candidate.score,
        mergedBy: userId,
      });
    }
    await tx
      .update(mergeCandidates)
      .set({
        status: decision === "accept" ? "accepted" : "rejected",
        decidedBy: userId,
        decidedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(eq(mergeCandidates.id, candidate.id));
  });
}

/** A record to compare, with what decides which of two records is kept. */
type Candidate = MatchCandidate & { orders: number; createdAt: string };

async function loadCandidates(db: Db, tenantId: string): Promise<Candidate[]> {
  const rows = await queryRows<Omit<Candidate, "sourceIds"> & { source_ids: string[] | string }>(
    db,
    sql`select c.id, c.customer_code as "customerCode", c.first_name as "firstName", c.last_name as "lastName", c.company, c.email, c.phone,
               c.address_line1 as "addressLine1", c.postal_code as "postalCode", c.city, c.kind,
               (select count(*)::int from orders o where o.customer_id = c.id) as orders,
               to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as "createdAt",
               coalesce(array_agg(i.source_id::text) filter (where i.source_id is not null), '{}') as source_ids
        from customers c left join customer_identities i on i.customer_id = c.id
        where c.tenant_id = ${tenantId}::uuid and c.merged_into is null and c.erased_at is null
        group by c.id order by c.id`,
  );
  // Drivers return text[] as an array; PGlite may return it as its text form.
  return rows.map(({ source_ids, ...c }) => ({
    ...c,
    sourceIds: Array.isArray(source_ids)
      ? source_ids
      : source_ids
          .replace(/^\{|\}$/g, "")
          .split(",")
          .filter(Boolean),
  }));
}

/**
 * Which of two records of one person is kept: the one that tells most about them, then the one
 * with the longer history, then the older (a new record with a typo, "Frederic", does not replace
 * four years of "Frédéric"), then, for two imported together, the earlier customer code (C00041
 * was the customer before C00905 was typed), then a fixed order.
 */
type Kept = Parameters<typeof completeness>[0] & {
  id: string;
  customerCode: string | null;
  orders: number;
  createdAt: string;
};
const survivorFirst = (x: Kept, y: Kept) =>
  completeness(y) - completeness(x) ||
  y.orders - x.orders ||
  (x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : 0) ||
  earlierCode(x.customerCode, y.customerCode) ||
  (x.id < y.id ? -1 : 1);

/** Codes compared as numbers within text; a record with a code before one without. */
const earlierCode = (x: string | null, y: string | null) =>
  x && y ? x.localeCompare(y, "fr", { numeric: true }) : x ? -1 : y ? 1 : 0;

/** How many orders each record holds. */
async function historyOf(db: Db, ids: string[]): Promise<Map<string, number>> {
  const rows = await queryRows<{ id: string; orders: number }>(
    db,
    sql`select o.customer_id as id, count(*)::int as orders from orders o
        where o.customer_id = any(${arrayParam(ids, "uuid")}) group by 1`,
  );
  return new Map(rows.map((r) => [r.id, r.orders]));
}

/** How much a record tells about the person: the survivor of a merge is the one that tells most. */
const completeness = (
  c: Pick<
    MatchCandidate,
    | "firstName"
    | "lastName"
    | "company"
    | "email"
    | "phone"
    | "addressLine1"
    | "postalCode"
    | "city"
  >,
) =>
  [
    c.firstName,
    c.lastName,
    c.company,
    c.email,
    c.phone,
    c.addressLine1,
    c.postalCode,
    c.city,
  ].filter(Boolean).length;
