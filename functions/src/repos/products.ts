import { type SQL, sql } from "drizzle-orm";
import { AppError, type ProductKind } from "@crm-reco/core";
import { type Db, queryRows } from "../adapters/db/database.ts";
import { pageWithTotal } from "../adapters/db/page-with-total.ts";
import { matchesQuery } from "./text-search.ts";
import type { wineColors } from "../db/schema/index.ts";

export interface ProductFilter {
  /** Part of the name, sku or cuvée, any case. */
  q?: string;
  color?: (typeof wineColors)[number];
  vintage?: number;
  active?: boolean;
  kind?: ProductKind;
}

export interface ProductSummary {
  id: string;
  sku: string;
  name: string;
  cuvee: string | null;
  vintage: number | null;
  sizeMl: number | null;
  color: (typeof wineColors)[number] | null;
  appellation: string | null;
  priceInclTax: number | null;
  active: boolean;
  /** The estate's family for it (a file's "Famille", Odoo's category), as written. */
  category: string | null;
  /** A wine, or what else a sales line sells (shipping, a discount…): only wines are proposed. */
  kind: ProductKind;
  /** Set by the staff, where imports keep it; otherwise guessed from its family or name. */
  kindByStaff: boolean;
  /** Distinct customers who bought it (merged-away and erased records left out). */
  buyers: number;
  /** Its live recommendations: pending review, and approved (exported ones included). */
  recommendations: { pending: number; approved: number };
}

interface Row {
  id: string;
  sku: string;
  name: string;
  cuvee: string | null;
  vintage: number | null;
  size_ml: number | null;
  color: ProductSummary["color"];
  appellation: string | null;
  price: number | null;
  active: boolean;
  category: string | null;
  kind: ProductKind;
  kind_by_staff: boolean;
  buyers: number;
  pending: number;
  approved: number;
}

const select = (condition: SQL, tail: SQL = sql``, extra: SQL = sql``) => sql`
  select ${extra} p.id, p.sku, p.name, p.cuvee, p.vintage, p.size_ml, p.color, p.appellation,
         p.price_incl_tax::float8 as price, p.active, p.category, p.kind, p.kind_by_staff,
         (select count(distinct o.customer_id)::int from order_lines l join orders o on o.id = l.order_id
            join customers c on c.id = o.customer_id
          where l.tenant_id = p.tenant_id and l.product_id = p.id and c.merged_into is null and c.erased_at is null) as buyers,
         (select count(*)::int from recommendations r where r.tenant_id = p.tenant_id and r.product_id = p.id and r.status = 'pending') as pending,
         (select count(*)::int from recommendations r where r.tenant_id = p.tenant_id and r.product_id = p.id and r.status in ('approved', 'exported')) as approved
  from products p where ${condition} ${tail}`;

const view = (r: Row): ProductSummary => ({
  id: r.id,
  sku: r.sku,
  name: r.name,
  cuvee: r.cuvee,
  vintage: r.vintage,
  sizeMl: r.size_ml,
  color: r.color,
  appellation: r.appellation,
  priceInclTax: r.price,
  active: r.active,
  category: r.category,
  kind: r.kind,
  kindByStaff: r.kind_by_staff,
  buyers: r.buyers,
  recommendations: { pending: r.pending, approved: r.approved },
});

/** What a search for a wine reads: "gewurztraminer 2023", "cremant", a code. */
export const PRODUCT_TEXT = [
  sql`p.name`,
  sql`p.sku`,
  sql`p.cuvee`,
  sql`p.appellation`,
  sql`p.vintage::text`,
];

function where(tenantId: string, f: ProductFilter): SQL {
  const parts: SQL[] = [sql`p.tenant_id = ${tenantId}::uuid`];
  const search = f.q ? matchesQuery(f.q, PRODUCT_TEXT) : null;
  if (search) parts.push(search);
  if (f.color) parts.push(sql`p.color = ${f.color}`);
  if (f.vintage !== undefined) parts.push(sql`p.vintage = ${f.vintage}`);
  if (f.active !== undefined) parts.push(sql`p.active = ${f.active}`);
  if (f.kind) parts.push(sql`p.kind = ${f.kind}`);
  return sql.join(parts, sql` and `);
}

/** The estate's wines, newest vintages first (then by name), with what was sold and proposed. */
export async function listProducts(
  db: Db,
  tenantId: string,
  filter: ProductFilter,
  page: { limit: number; offset: number },
): Promise<{ items: ProductSummary[]; total: number }> {
  const condition = where(tenantId, filter);
  const { rows, total } = await pageWithTotal<Row>(
    db,
    sql`select count(*)::int from products p where ${condition}`,
    (total) =>
      select(
        condition,
        sql`order by p.vintage desc nulls last, p.name, p.sku, p.id limit ${page.limit} offset ${page.offset}`,
        sql`${total},`,
      ),
  );
  return { items: rows.map(view), total };
}

export async function findProduct(db: Db, tenantId: string, id: string): Promise<ProductSummary> {
  const [row] = await queryRows<Row>(
    db,
    select(sql`p.tenant_id = ${tenantId}::uuid and p.id = ${id}::uuid`),
  );
  if (!row) throw new AppError("product.not_found", "No such product.");
  return view(row);
}
