import { sql } from "drizzle-orm";
import { AppError, guessProductKind, type ProductKind } from "@crm-reco/core";
import { arrayParam, type Db, queryRows, type Tx } from "../adapters/db/database.ts";
import { unnestRows } from "../import/unnest.ts";

type Stored = {
  id: string;
  tenant_id: string;
  sku: string;
  name: string;
  category: string | null;
  kind: ProductKind;
};

/** The products whose stored kind is not what their family, name and code now say. */
const misguessed = (products: Stored[]) =>
  products.flatMap((p) => {
    const kind = guessProductKind(p.name, p.sku, p.category).kind;
    return kind === p.kind ? [] : [{ ...p, kind }];
  });

/** Stores the new guesses, unless the product was renamed or set by the staff meanwhile. */
const storeGuesses = (db: Db | Tx, changed: Stored[]) =>
  queryRows<{ id: string; tenant_id: string }>(
    db,
    sql`update products p set kind = u.kind, updated_at = now()
        from ${unnestRows(["id", "name", "kind"], changed)}
        where p.id = u.id::uuid and p.name = u.name and p.kind is distinct from u.kind and not p.kind_by_staff
        returning p.id, p.tenant_id`,
  );

/** The pending recommendations of those products that are no wines now leave the review list. */
async function withdrawNotWines(tx: Db | Tx, updated: Array<{ id: string; tenant_id: string }>) {
  if (updated.length === 0) return 0;
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
  return withdrawn.length;
}

/**
 * Guesses again the kinds of some products of an estate after a write changed them (a new name
 * or family); one that is no wine now leaves the review list.
 */
export async function reguessProducts(tx: Tx, tenantId: string, skus: string[]): Promise<void> {
  if (skus.length === 0) return;
  const products = await queryRows<Stored>(
    tx,
    sql`select id, tenant_id, sku, name, category, kind from products
        where tenant_id = ${tenantId}::uuid and sku = any(${arrayParam(skus, "text")}) and not kind_by_staff`,
  );
  const changed = misguessed(products);
  if (changed.length > 0) await withdrawNotWines(tx, await storeGuesses(tx, changed));
}

/**
 * Guesses again the kind of every product the staff did not set, in every estate, and stores
 * the ones that changed; a product that is no longer a wine leaves the review list (its pending
 * recommendations go, in the same transaction). Every write guesses the kind already: this
 * reaches the products written before kinds existed (2026-12-04), or before the guess learnt a
 * word, when the migrations are applied. One read of names and codes: a few thousand rows an
 * estate.
 */
export async function reclassifyProducts(db: Db): Promise<{ products: number; withdrawn: number }> {
  const changed = misguessed(
    await queryRows<Stored>(
      db,
      sql`select id, tenant_id, sku, name, category, kind from products where not kind_by_staff`,
    ),
  );
  if (changed.length === 0) return { products: 0, withdrawn: 0 };
  return db.transaction(async (tx) => {
    const updated = await storeGuesses(tx, changed);
    return { products: updated.length, withdrawn: await withdrawNotWines(tx, updated) };
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
  const [product] = await queryRows<Omit<Stored, "id" | "tenant_id">>(
    db,
    sql`select name, sku, category, kind from products where tenant_id = ${tenantId}::uuid and id = ${id}::uuid`,
  );
  if (!product) throw new AppError("product.not_found", "No such product.");
  const after = kind ?? guessProductKind(product.name, product.sku, product.category).kind;
  await db.execute(
    sql`update products set kind = ${after}, kind_by_staff = ${kind !== null}, updated_at = now()
        where tenant_id = ${tenantId}::uuid and id = ${id}::uuid`,
  );
  const withdrawn = await withdrawNotWines(db, [{ id, tenant_id: tenantId }]);
  return { before: product.kind, after, withdrawn };
}

/**
 * Why a product the recommendations do not know (they read wines only) has no customers: it does
 * not exist (`missing`), or it sells no wine.
 */
export async function refuseOutsideCatalogue(
  db: Db,
  tenantId: string,
  product: { id: string } | { sku: string },
  missing: AppError,
): Promise<never> {
  const [found] = await queryRows<{ name: string; sku: string; kind: string }>(
    db,
    sql`select name, sku, kind from products where tenant_id = ${tenantId}::uuid
        and ${"id" in product ? sql`id = ${product.id}::uuid` : sql`sku = ${product.sku}`}`,
  );
  if (!found) throw missing;
  throw new AppError(
    "product.not_a_wine",
    `"${found.name}" (${found.sku}) is not a wine (${found.kind}): no customers are proposed for it. Mark it as a wine on its page if it is one.`,
    { kind: found.kind },
  );
}
