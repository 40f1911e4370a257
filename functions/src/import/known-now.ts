import { sql } from "drizzle-orm";
import { arrayParam, type Tx } from "../adapters/db/database.ts";

/**
 * A sales file names customers and wines before their own files come: the anomalies that said
 * so (`customer.unknown` for a source's customer code, `product.unknown` for a sku) are resolved
 * once those files bring them, instead of staying open against records that are now complete.
 */
export async function resolveUnknownAnomalies(
  tx: Tx,
  tenantId: string,
  code: "customer.unknown" | "product.unknown",
  keys: string[],
  sourceId?: string,
): Promise<void> {
  if (keys.length === 0) return;
  await tx.execute(
    sql`update anomalies set status = 'resolved', updated_at = now()
        where tenant_id = ${tenantId}::uuid and code = ${code} and status = 'open'
          and record_key = any(${arrayParam(keys, "text")})
          ${sourceId ? sql`and source_id = ${sourceId}::uuid` : sql``}`,
  );
}
