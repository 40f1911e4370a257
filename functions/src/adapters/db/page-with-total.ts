import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "./database.ts";

/**
 * One page of a list and the list's total in one round trip: `page(total)` is the page's query
 * with `total` among its columns, where `count` (a `select count(*)::int …`) is an uncorrelated
 * subquery, which PostgreSQL computes once for the whole page. Only a page with no row to carry
 * the total (past the end, or an empty list) asks for it on its own. The column is `list_total`,
 * a name no table of ours has (order lines have a `total`).
 */
export async function pageWithTotal<T>(
  db: Db,
  count: SQL,
  page: (total: SQL) => SQL,
): Promise<{ rows: T[]; total: number }> {
  const total = sql`(${count}) as list_total`;
  const rows = await queryRows<T & { list_total: number }>(db, page(total));
  if (rows.length > 0) return { rows, total: rows[0]!.list_total };
  const [alone] = await queryRows<{ list_total: number }>(db, sql`select ${total}`);
  return { rows, total: alone!.list_total };
}
