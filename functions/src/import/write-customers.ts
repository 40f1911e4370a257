import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { CanonicalRecord } from "@crm-reco/core";
import { queryRows, type Tx } from "../adapters/db/database.ts";
import type { BatchCounts } from "./batch.ts";
import { asText, type ColumnSpec, castList, columnList, specsFrom, unnestRows } from "./unnest.ts";

const consent: ColumnSpec["cast"] = (r) => sql`coalesce(${r}, 'unknown')`;

/** Canonical customer fields → columns of `customers` (same names). */
const specs = specsFrom({
  civility: asText,
  first_name: asText,
  last_name: asText,
  company: asText,
  email: asText,
  phone: asText,
  address_line1: asText,
  address_line2: asText,
  postal_code: asText,
  city: asText,
  country: asText,
  kind: (r) => sql`coalesce(${r}, 'private')`,
  trade_type: asText,
  language: asText,
  consent_email: consent,
  consent_post: consent,
  consent_phone: consent,
  quality_score: (r) => sql`${r}::real`,
});

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
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => k in specs);
  const columns = keys.map((k) => specs[k]!);

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

  const updates: CanonicalRecord[] = rows
    .filter((r) => existing.has(String(r.external_id)))
    .map((r) => ({ ...r, id: existing.get(String(r.external_id))! }));
  let updated = 0;
  if (updates.length > 0 && columns.length > 0) {
    const changed = await queryRows(
      tx,
      sql`update customers c set (${columnList(columns)}, updated_at) = (${castList(columns)}, now())
          from ${unnestRows(["id", ...columns.map((c) => c.column)], updates)}
          where c.id = u.id::uuid and c.tenant_id = ${tenantId}::uuid
            and (${columnList(columns, "c.")}) is distinct from (${castList(columns)})
          returning c.id`,
    );
    updated = changed.length;
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
    .filter((r) => !existing.has(String(r.external_id)))
    .map((r) => ({
      ...r,
      id: randomUUID(),
      customer_code: r.external_id,
      attributes: JSON.stringify(r),
    }));
  if (inserts.length > 0) {
    const insertColumns = [...columns, { column: "customer_code", cast: asText }];
    await tx.execute(
      sql`insert into customers (id, tenant_id, ${columnList(insertColumns)})
          select u.id::uuid, ${tenantId}::uuid, ${castList(insertColumns)} from ${unnestRows(["id", ...insertColumns.map((c) => c.column)], inserts)}`,
    );
    await tx.execute(
      sql`insert into customer_identities (tenant_id, customer_id, source_id, external_id, attributes)
          select ${tenantId}::uuid, u.id::uuid, ${sourceId}::uuid, u.external_id, u.attributes::jsonb
          from ${unnestRows(["id", "external_id", "attributes"], inserts)}`,
    );
  }
  return { inserted: inserts.length, updated, unchanged: updates.length - updated };
}
