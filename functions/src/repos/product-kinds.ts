import { sql } from "drizzle-orm";
import { AppError, guessProductKind, type ProductKind } from "@crm-reco/core";
import { arrayParam, type Db, queryRows } from "../adapters/db/database.ts";
import { unnestRows } from "../import/unnest.ts";

/**
 * Guesses again the kind of every product the staff did not set, in every estate, and stores
 * the ones that changed; a product that is no longer a wine leaves the review list (its pending
 * recommendations go, in the same transaction). Every write guesses the kind already: this
 * reaches the products written before kinds existed (2026-12-04), or before the guess learnt a
 * word, when the migrations are applied. A product renamed meanwhile keeps the kind its new name
 * was given. One read of names and codes: a few thousand rows an estate.
 */
export async function reclassifyProducts(db: Db): Promise<{ products: number; withdrawn: number }> {
  const products = await queryRows<{ id: string; sku: string; name: string; kind: ProductKind }>(
    db,
    sql`select id, sku, name, kind from products where not kind_by_staff`,
  );
  const changed = products.flatMap((p) => {
    const kind = guessProductKind(p.name, p.sku).kind;
    return kind === p.kind ? [] : [{ ...p, kind }];
  });
  if (changed.length === 0) return { products: 0, withdrawn: 0 };
  return db.transaction(async (tx) => {
    const updated = await queryRows<{ id: string; tenant_id: string }>(
      tx,
      sql`update products p set kind = u.kind, updated_at = now()
          from ${unnestRows(["id", "name", "kind"], changed)}
          where p.id = u.id::uuid and p.name = u.name and p.kind is distinct from u.kind and not p.kind_by_staff
          returning p.id, p.tenant_id`,
    );
    if (updated.length === 0) return { products: 0, withdrawn: 0 };
    const withdrawn = await queryRows<{ id: string }>(
      tx,
      sql`delete from recommendations r using products p
          where p.id = r.product_id and p.tenant_id = r.tenant_id and p.kind <> 'wine' and r.status = 'pending'
            and r.tenant_id = any(${arrayParam([...new Set(updated.map((p) => p.tenant_id))], "uuid")})
            and r.product_id = any(${arrayParam(
              updated.map((p) => p.id),
              "uuid",
            )})
          returning r.id`,
    );
    return { products: updated.length, withdrawn: withdrawn.length };
  });
}

/**
 * The staff's word on what a product is, kept over every later guess; `null` hands it back to
 * the guess from its name. A product that is no wine leaves the review list at once (its pending
 * recommendations go; what was approved or rejected stays, with its feedback); one that becomes
 * a wine is proposed from the next run.
 */
export async function setProductKind(
  db: Db,
  tenantId: string,
  id: string,
  kind: ProductKind | null,
): Promise<{ before: ProductKind; after: ProductKind; withdrawn: number }> {
  const [product] = await queryRows<{ name: string; sku: string; kind: ProductKind }>(
    db,
    sql`select name, sku, kind from products where tenant_id = ${tenantId}::uuid and id = ${id}::uuid`,
  );
  if (!product) throw new AppError("product.not_found", "No such product.");
  const after = kind ?? guessProductKind(product.name, product.sku).kind;
  await db.execute(
    sql`update products set kind = ${after}, kind_by_staff = ${kind !== null}, updated_at = now()
        where tenant_id = ${tenantId}::uuid and id = ${id}::uuid`,
  );
  const withdrawn =
    after === "wine"
      ? []
      : await queryRows<{ id: string }>(
          db,
          sql`delete from recommendations where tenant_id = ${tenantId}::uuid and product_id = ${id}::uuid
              and status = 'pending' returning id`,
        );
  return { before: product.kind, after, withdrawn: withdrawn.length };
}
