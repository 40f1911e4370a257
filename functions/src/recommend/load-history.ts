import { sql } from "drizzle-orm";
import type { ItemAttributes, Purchase } from "@crm-reco/core";
import { type Db, queryRows } from "../adapters/db/database.ts";

export interface CatalogueItem extends ItemAttributes {
  id: string;
  sku: string;
  name: string;
  active: boolean;
}

export interface History {
  purchases: Purchase[];
  /** Every product of the estate, bought or not, by id. */
  catalogue: Map<string, CatalogueItem>;
  latestOrderDate: string | null;
}

/**
 * An estate's purchase history at the SKU level, read once for a recommendation run or an
 * evaluation (the math then runs in memory, never querying per customer). Merged-away and erased
 * customers are left out: their orders belong to the record they were merged into.
 */
export async function loadHistory(db: Db, tenantId: string): Promise<History> {
  const purchases = await queryRows<{
    customerId: string;
    itemId: string;
    date: string;
    quantity: number;
  }>(
    db,
    sql`select o.customer_id as "customerId", l.product_id as "itemId", o.order_date::text as date, sum(l.quantity)::float8 as quantity
        from order_lines l join orders o on o.id = l.order_id join customers c on c.id = o.customer_id
        where l.tenant_id = ${tenantId}::uuid and l.product_id is not null and c.merged_into is null and c.erased_at is null
        group by o.customer_id, l.product_id, o.order_date`,
  );
  const products = await queryRows<{
    id: string;
    sku: string;
    name: string;
    cuvee: string | null;
    color: string | null;
    appellation: string | null;
    grapes: string[] | string | null;
    vintage: number | null;
    size_ml: number | null;
    price: number | null;
    active: boolean;
  }>(
    db,
    sql`select id, sku, name, cuvee, color, appellation, grapes, vintage, size_ml, price_incl_tax::float8 as price, active from products where tenant_id = ${tenantId}::uuid`,
  );
  const catalogue = new Map(
    products.map((p) => [
      p.id,
      {
        id: p.id,
        sku: p.sku,
        name: p.name,
        active: p.active,
        cuvee: p.cuvee,
        color: p.color,
        appellation: p.appellation,
        grapes: Array.isArray(p.grapes)
          ? p.grapes
          : (p.grapes ?? "")
              .replace(/^\{|\}$/g, "")
              .split(",")
              .filter(Boolean),
        vintage: p.vintage,
        sizeMl: p.size_ml,
        priceInclTax: p.price,
      },
    ]),
  );
  const latestOrderDate = purchases.reduce<string | null>(
    (latest, p) => (latest === null || p.date > latest ? p.date : latest),
    null,
  );
  return { purchases, catalogue, latestOrderDate };
}

/** The products that can be sold today: those a run may propose, bought before or not. */
/**
 * Items numbered by their SKU, the estate's own code: a run's ties then fall the same way when the
 * same history is imported again (the database gives every import new ids).
 */
export const skuOf = (history: History) => (id: string) => history.catalogue.get(id)?.sku ?? id;

export const sellableIds = (history: History) =>
  [...history.catalogue.values()].filter((p) => p.active).map((p) => p.id);
