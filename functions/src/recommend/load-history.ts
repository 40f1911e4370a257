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
  /** Purchases of wines: the carrier's charge, a discount or a case bought beside them are not. */
  purchases: Purchase[];
  /** Every wine of the estate, bought or not, by id. */
  catalogue: Map<string, CatalogueItem>;
  latestOrderDate: string | null;
  /** Each customer's own code (the estate's, or the first source id), by id. */
  customerCodes: Map<string, string>;
}

/**
 * An estate's purchase history at the SKU level, read once for a recommendation run or an
 * evaluation (the math then runs in memory, never querying per customer). Merged-away and erased
 * customers are left out: their orders belong to the record they were merged into. So are the
 * lines that sell no wine (`products.kind`): on every invoice, "Frais de port" would be every
 * customer's favourite and the best-seller of them all.
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
          join products p on p.id = l.product_id and p.kind = 'wine'
        where l.tenant_id = ${tenantId}::uuid and c.merged_into is null and c.erased_at is null
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
    sql`select id, sku, name, cuvee, color, appellation, grapes, vintage, size_ml, price_incl_tax::float8 as price, active from products where tenant_id = ${tenantId}::uuid and kind = 'wine'`,
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
  const codes = await queryRows<{ id: string; code: string | null }>(
    db,
    sql`select c.id, coalesce(c.customer_code, min(i.external_id)) as code
        from customers c left join customer_identities i on i.customer_id = c.id
        where c.tenant_id = ${tenantId}::uuid and c.merged_into is null and c.erased_at is null
        group by c.id, c.customer_code`,
  );
  const customerCodes = new Map(codes.map((c) => [c.id, c.code ?? c.id]));
  return { purchases, catalogue, latestOrderDate, customerCodes };
}

/**
 * Items numbered by their SKU and customers by their code, the estate's own: a run's ties, and the
 * customers its backtest samples, then fall the same way when the same history is imported again
 * (the database gives every import new ids).
 */
export const keysOf = (history: History) => ({
  itemKey: skuOf(history),
  customerKey: (id: string) => history.customerCodes.get(id) ?? id,
});

export const skuOf = (history: History) => (id: string) => history.catalogue.get(id)?.sku ?? id;

/** The products that can be sold today: those a run may propose, bought before or not. */

export const sellableIds = (history: History) =>
  [...history.catalogue.values()].filter((p) => p.active).map((p) => p.id);
