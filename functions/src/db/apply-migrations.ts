import type { DbHandle } from "../adapters/db/database.ts";
import { reclassifyProducts } from "../repos/product-kinds.ts";

/**
 * The schema's migrations, then what SQL alone cannot bring up to date: the kinds of the
 * products, guessed by core from their names (those written before kinds existed, or before the
 * guess learnt a word). Run wherever migrations are: `crm-reco migrate`, `serve --migrate`, and
 * the embedded database each command opens.
 */
export async function applyMigrations(
  handle: Pick<DbHandle, "db" | "migrate">,
): Promise<{ productKindsChanged: number; pendingWithdrawn: number }> {
  await handle.migrate();
  const { products, withdrawn } = await reclassifyProducts(handle.db);
  return { productKindsChanged: products, pendingWithdrawn: withdrawn };
}
