import { sql } from "drizzle-orm";
import { type CanonicalRecord, guessProductKind } from "@crm-reco/core";
import { queryRows, type Tx } from "../adapters/db/database.ts";
import type { BatchCounts } from "./batch.ts";
import { asInt, asNumeric, asText, castList, columnList, specsFrom, unnestRows } from "./unnest.ts";

/** Canonical product fields → columns of `products` (same names; the sku is the key). */
const specs = specsFrom({
  name: asText,
  cuvee: asText,
  color: asText,
  appellation: asText,
  grapes: (r) => sql`coalesce(regexp_split_to_array(${r}, '\\s*[,;/+]\\s*'), '{}')`,
  vintage: asInt,
  size_ml: asInt,
  price_incl_tax: asNumeric,
  price_excl_tax: asNumeric,
  active: (r) => sql`coalesce(${r}::boolean, true)`,
  stock: asInt,
});

/**
 * Upserts products on (tenant, sku), changing only the fields the file maps and only when they
 * differ. A product without a name is named after its sku until a file names it.
 */
export async function writeProducts(
  tx: Tx,
  tenantId: string,
  records: CanonicalRecord[],
): Promise<BatchCounts> {
  const rows = records.map((r) => {
    const name = String(r.name ?? r.sku);
    return { ...r, name, kind: guessProductKind(name, String(r.sku)).kind };
  });
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))]
    .filter((k) => k in specs)
    .map((k) => specs[k]!);
  const set = sql.join(
    columns.map((c) => sql`${sql.raw(`"${c.column}"`)} = excluded.${sql.raw(`"${c.column}"`)}`),
    sql`, `,
  );
  // What the staff said a product is stays; otherwise its kind follows its name.
  const kind = sql`case when products.kind_by_staff then products.kind else excluded.kind end`;
  const result = await queryRows<{ inserted: boolean }>(
    tx,
    sql`insert into products (tenant_id, sku, kind, ${columnList(columns)})
        select ${tenantId}::uuid, u.sku, u.kind, ${castList(columns)} from ${unnestRows(["sku", "kind", ...columns.map((c) => c.column)], rows)}
        on conflict (tenant_id, sku) do update set ${set}, kind = ${kind}, updated_at = now()
          where (${columnList(columns, "products.")}, products.kind) is distinct from (${columnList(columns, "excluded.")}, ${kind})
        returning (xmax = 0) as inserted`,
  );
  const inserted = result.filter((r) => r.inserted).length;
  const updated = result.length - inserted;
  return { inserted, updated, unchanged: rows.length - result.length };
}
