import { sql } from "drizzle-orm";
import { AppError, guessProductKind, type ProductKind } from "@crm-reco/core";
import { type Db, queryRows } from "../adapters/db/database.ts";
import { unnestRows } from "../import/unnest.ts";

/**
 * Guesses again the kind of every product the staff did not set, and stores the ones that
 * changed. Every write guesses it already; this reaches the products written before kinds existed
 * (2026-12-04), and those written before the guess learnt a word. A few thousand names at most:
 * one read, and one write when something changed.
 */
export async function reclassifyProducts(db: Db, tenantId: string): Promise<number> {
  const products = await queryRows<{ id: string; sku: string; name: string; kind: ProductKind }>(
    db,
    sql`select id, sku, name, kind from products where tenant_id = ${tenantId}::uuid and not kind_by_staff`,
  );
  const changed = products.flatMap((p) => {
    const kind = guessProductKind(p.name, p.sku).kind;
    return kind === p.kind ? [] : [{ id: p.id, kind }];
  });
  if (changed.length === 0) return 0;
  await db.execute(
    sql`update products p set kind = u.kind, updated_at = now() from ${unnestRows(["id", "kind"], changed)}
        where p.id = u.id::uuid and p.tenant_id = ${tenantId}::uuid and not p.kind_by_staff`,
  );
  return changed.length;
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
