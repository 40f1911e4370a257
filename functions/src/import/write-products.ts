import { type SQL, sql } from "drizzle-orm";
import { type CanonicalRecord, guessProductKind } from "@crm-reco/core";
import { queryRows, type Tx } from "../adapters/db/database.ts";
import { reguessProducts } from "../repos/product-kinds.ts";
import type { BatchCounts } from "./batch.ts";
import { resolveUnknownAnomalies } from "./known-now.ts";
import { asInt, asText, specsFrom, unnestRows } from "./unnest.ts";

/** Canonical product fields → columns of `products` (same names; the sku is the key). */
const specs = specsFrom({
  category: asText,
  cuvee: asText,
  color: asText,
  appellation: asText,
  grapes: (r) => sql`regexp_split_to_array(${r}, '\\s*[,;/+]\\s*')`,
  vintage: asInt,
  size_ml: asInt,
  // As stored, so that 14.005 read again compares equal to the 14.01 kept, not as a change.
  price_incl_tax: (r) => sql`${r}::numeric(12, 2)`,
  price_excl_tax: (r) => sql`${r}::numeric(12, 2)`,
  active: (r) => sql`${r}::boolean`,
  stock: asInt,
});

/** What a new product gets where its row leaves a field empty. */
const whenNew: Record<string, SQL> = { grapes: sql`'{}'::text[]`, active: sql`true` };

/**
 * Updates the products of the batch the estate has, then creates the others, changing only the
 * fields the file maps and only when they differ. An empty cell changes nothing (a price list
 * with codes only keeps the names, a catalogue without vintages keeps those another file gave),
 * unless the records come whole from a system where empty means cleared (`WriteTarget.fromSystem`: Odoo);
 * a new product without a name is named after its sku until a file names it. Its kind follows
 * its family and name, unless the staff set it.
 */
export async function writeProducts(
  tx: Tx,
  tenantId: string,
  records: CanonicalRecord[],
  emptyClears = false,
): Promise<BatchCounts> {
  const rows = records.map((r) => {
    const named = r.name !== null && r.name !== undefined && String(r.name).trim() !== "";
    const name = named ? String(r.name) : String(r.sku);
    return {
      ...r,
      name: named ? name : null,
      kind: guessProductKind(name, String(r.sku), (r.category as string | null) ?? null).kind,
    };
  });
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))]
    .filter((k) => k in specs)
    .map((k) => specs[k]!);
  const batch = () => unnestRows(["sku", "name", "kind", ...columns.map((c) => c.column)], rows);
  const list = (parts: SQL[]) => sql.join(parts, sql`, `);
  const targets = [...columns.map((c) => c.column), "name"];
  const current = targets.map((t) => sql.raw(`p."${t}"`));
  const given = columns.map((c) => c.cast(sql.raw(`u.${c.column}`)));
  const next = [
    ...given.map((value, i) => (emptyClears ? value : sql`coalesce(${value}, ${current[i]})`)),
    sql`coalesce(u.name, p.name)`,
  ];
  const fresh = given.map((value, i) => {
    const fallback = whenNew[columns[i]!.column];
    return fallback ? sql`coalesce(${value}, ${fallback})` : value;
  });
  const updated = await queryRows<{ sku: string }>(
    tx,
    sql`update products p set ${list(targets.map((t, i) => sql`${sql.raw(`"${t}"`)} = ${next[i]}`))}, updated_at = now()
        from ${batch()}
        where p.tenant_id = ${tenantId}::uuid and p.sku = u.sku and (${list(current)}) is distinct from (${list(next)})
        returning p.sku`,
  );
  // What changed may change the kind, read from the product as it now is (a row may give the
  // family and not the name, or the name and not the family).
  await reguessProducts(
    tx,
    tenantId,
    updated.map((p) => p.sku),
  );
  const inserted = await queryRows<{ id: string }>(
    tx,
    sql`insert into products (tenant_id, sku, kind, ${sql.raw(targets.map((t) => `"${t}"`).join(", "))})
        select ${tenantId}::uuid, u.sku, u.kind, ${list([...fresh, sql`coalesce(u.name, u.sku)`])}
        from ${batch()}
        on conflict (tenant_id, sku) do nothing
        returning id`,
  );
  await resolveUnknownAnomalies(
    tx,
    tenantId,
    "product.unknown",
    records.map((r) => String(r.sku)),
  );
  return {
    inserted: inserted.length,
    updated: updated.length,
    unchanged: rows.length - inserted.length - updated.length,
  };
}
