import { type SQL, sql } from "drizzle-orm";
import { queryRows, type Tx } from "../adapters/db/database.ts";
import { unnestRows } from "./unnest.ts";

/**
 * What an erased person's identity keeps of their id in a source: a digest, so that the next
 * export or sync that names them finds the anonymous record instead of creating the person again
 * (their erasure must outlive their data). A pseudonym, not an anonymisation: an unsalted digest
 * of a short id (an Odoo partner number, a customer code) can be found again by trying every id.
 */
export const erasedIdentity = (externalId: SQL) =>
  sql`'erased:' || encode(sha256(convert_to(${externalId}, 'UTF8')), 'hex')`;

/** Of these ids in a source, those of people erased, each with their anonymous record's id. */
export async function erasedCustomers(
  tx: Tx,
  tenantId: string,
  sourceId: string,
  externalIds: string[],
): Promise<Map<string, string>> {
  if (externalIds.length === 0) return new Map();
  const rows = await queryRows<{ external_id: string; customer_id: string }>(
    tx,
    sql`select u.external_id, i.customer_id from ${unnestRows(
      ["external_id"],
      externalIds.map((external_id) => ({ external_id })),
    )} join customer_identities i on i.external_id = ${erasedIdentity(sql`u.external_id`)}
        where i.tenant_id = ${tenantId}::uuid and i.source_id = ${sourceId}::uuid`,
  );
  return new Map(rows.map((r) => [r.external_id, r.customer_id]));
}
