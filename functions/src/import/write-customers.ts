import { randomUUID } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import type { CanonicalRecord } from "@crm-reco/core";
import { queryRows, type Tx } from "../adapters/db/database.ts";
import type { BatchCounts } from "./batch.ts";
import { erasedCustomers } from "./erased-identities.ts";
import { resolveUnknownAnomalies } from "./known-now.ts";
import { asText, castList, columnList, specsFrom, unnestRows } from "./unnest.ts";

/** Canonical customer fields → columns of `customers` (same names). */
const specs = specsFrom({
  civility: asText,
  first_name: asText,
  last_name: asText,
  company: asText,
  email: asText,
  phone: asText,
  mobile: asText,
  address_line1: asText,
  address_line2: asText,
  postal_code: asText,
  city: asText,
  country: asText,
  kind: (r) => sql`coalesce(${r}, 'private')`,
  trade_type: asText,
  language: asText,
  quality_score: (r) => sql`${r}::real`,
});

/** Marketing consent per channel, written by its own rules (`writeConsents`). */
const CONSENTS = ["consent_email", "consent_post", "consent_phone"] as const;

/**
 * Upserts customers of one source by their external id: a new id creates a customer and its
 * identity; a known one updates only the fields this file maps, and only when they changed.
 */
export async function writeCustomers(
  tx: Tx,
  tenantId: string,
  sourceId: string,
  records: CanonicalRecord[],
): Promise<BatchCounts> {
  const rows = records;
  const given = new Set(rows.flatMap((r) => Object.keys(r)));
  const columns = [...given].filter((k) => k in specs).map((k) => specs[k]!);
  const consents = CONSENTS.filter((k) => given.has(k));

  const externalIds = rows.map((r) => String(r.external_id));
  const existing = new Map(
    (
      await queryRows<{ external_id: string; customer_id: string }>(
        tx,
        sql`select i.external_id, i.customer_id from customer_identities i join ${unnestRows(
          ["external_id"],
          externalIds.map((external_id) => ({ external_id })),
        )} on i.external_id = u.external_id
            where i.tenant_id = ${tenantId}::uuid and i.source_id = ${sourceId}::uuid`,
      )
    ).map((r) => [r.external_id, r.customer_id]),
  );

  // A person erased at their request is not created again from an export that still names them.
  const erased = await erasedCustomers(
    tx,
    tenantId,
    sourceId,
    externalIds.filter((id) => !existing.has(id)),
  );
  const updates: CanonicalRecord[] = rows
    .filter((r) => existing.has(String(r.external_id)))
    .map((r) => ({ ...r, id: existing.get(String(r.external_id))! }));
  const updated = new Set<string>();
  // A row that does not say whether the customer buys privately or as a trade (an empty cell, or
  // no legal form to go by beside a row that has one) leaves what is known: 'private' is only
  // a new customer's default.
  const updateColumns = columns.map((c) =>
    c.column === "kind" ? { ...c, cast: (given: SQL) => sql`coalesce(${given}, c.kind)` } : c,
  );
  if (updates.length > 0 && columns.length > 0) {
    const changed = await queryRows<{ id: string }>(
      tx,
      sql`update customers c set (${columnList(updateColumns)}, updated_at) = (${castList(updateColumns)}, now())
          from ${unnestRows(["id", ...columns.map((c) => c.column)], updates)}
          where c.id = u.id::uuid and c.tenant_id = ${tenantId}::uuid
            and (${columnList(updateColumns, "c.")}) is distinct from (${castList(updateColumns)})
          returning c.id`,
    );
    for (const { id } of changed) updated.add(id);
  }
  if (updates.length > 0 && consents.length > 0) {
    const source = await sourceName(tx, sourceId);
    for (const consent of consents)
      for (const id of await writeConsents(tx, tenantId, source, consent, updates)) updated.add(id);
  }
  if (updates.length > 0 && (columns.length > 0 || consents.length > 0)) {
    await tx.execute(
      sql`update customer_identities i set attributes = u.attributes::jsonb, updated_at = now()
          from ${unnestRows(
            ["external_id", "attributes"],
            updates.map(({ id: _id, ...r }) => ({
              external_id: r.external_id,
              attributes: JSON.stringify(r),
            })),
          )}
          where i.tenant_id = ${tenantId}::uuid and i.source_id = ${sourceId}::uuid and i.external_id = u.external_id
            and i.attributes is distinct from u.attributes::jsonb`,
    );
  }

  const inserts = rows
    .filter((r) => !existing.has(String(r.external_id)) && !erased.has(String(r.external_id)))
    .map((r) => ({
      ...r,
      id: randomUUID(),
      customer_code: r.external_id,
      attributes: JSON.stringify(r),
    }));
  if (inserts.length > 0) {
    const insertColumns = [...columns, { column: "customer_code", cast: asText }];
    // A consent the file gives is dated and sourced; one it leaves empty is unknown.
    const source = consents.length > 0 ? await sourceName(tx, sourceId) : null;
    const consentNames = consents.flatMap((k) => [k, `${k}_at`, `${k}_source`]);
    const consentValues = consents.flatMap((k) => {
      const given = sql.raw(`u.${k}`);
      return [
        sql`coalesce(${given}, 'unknown')`,
        sql`case when ${given} is not null then now() end`,
        sql`case when ${given} is not null then ${source}::text end`,
      ];
    });
    await tx.execute(
      sql`insert into customers (id, tenant_id, ${columnList(insertColumns)}${sql.raw(consentNames.map((n) => `, "${n}"`).join(""))})
          select u.id::uuid, ${tenantId}::uuid, ${castList(insertColumns)}${sql.join(
            consentValues.map((v) => sql`, ${v}`),
            sql``,
          )}
          from ${unnestRows(["id", ...insertColumns.map((c) => c.column), ...consents], inserts)}`,
    );
    await tx.execute(
      sql`insert into customer_identities (tenant_id, customer_id, source_id, external_id, attributes)
          select ${tenantId}::uuid, u.id::uuid, ${sourceId}::uuid, u.external_id, u.attributes::jsonb
          from ${unnestRows(["id", "external_id", "attributes"], inserts)}`,
    );
  }
  await resolveUnknownAnomalies(tx, tenantId, "customer.unknown", externalIds, sourceId);
  return {
    inserted: inserts.length,
    updated: updated.size,
    unchanged: rows.length - inserts.length - updated.size, // an erased person's row too
  };
}

const sourceName = async (tx: Tx, sourceId: string) =>
  (
    await queryRows<{ name: string }>(
      tx,
      sql`select name from sources where id = ${sourceId}::uuid`,
    )
  )[0]?.name ?? null;

/**
 * One channel's consent from a file, for customers already known; returns those it changed. An
 * empty cell says nothing and leaves what another export or Odoo said. An objection stands until
 * the source that recorded it says otherwise: an old "Oui" in iSaVigne must not undo an
 * unsubscription in Odoo. That source lifts it by saying yes, or by no longer saying no: Odoo
 * only ever says "blacklisted" or nothing, so a partner taken off its blacklist becomes unknown
 * again. (An objection recorded before consents had their source, in 2026-12, has none, so no
 * file lifts it.)
 */
async function writeConsents(
  tx: Tx,
  tenantId: string,
  source: string | null,
  consent: (typeof CONSENTS)[number],
  updates: CanonicalRecord[],
): Promise<string[]> {
  const column = sql.raw(consent);
  const at = sql.raw(`${consent}_at`);
  const from = sql.raw(`${consent}_source`);
  const changed = await queryRows<{ id: string }>(
    tx,
    sql`update customers c set ${column} = coalesce(u.${column}, 'unknown'), ${at} = now(), ${from} = ${source}, updated_at = now()
        from ${unnestRows(["id", consent], updates)}
        where c.id = u.id::uuid and c.tenant_id = ${tenantId}::uuid
          and c.${column} is distinct from coalesce(u.${column}, 'unknown')
          and ((u.${column} is not null and (c.${column} <> 'opt_out' or c.${from} = ${source}))
               or (u.${column} is null and c.${column} = 'opt_out' and c.${from} = ${source}))
        returning c.id`,
  );
  return changed.map((r) => r.id);
}
