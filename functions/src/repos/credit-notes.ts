import { type SQL, sql } from "drizzle-orm";

// A credit note is an order whose lines give back at least as many bottles (or items) as they
// sell. Its amount counts (it lowers what the customer spent); it is never a purchase: not in
// the number of orders, a customer's purchase days or their last purchase. An order without
// lines (a source with totals only) is a purchase. Decided here once, in SQL and in TypeScript.

/** True when the order of id `orderId` is a credit note. */
export const isCreditNoteSql = (orderId: SQL): SQL =>
  sql`exists (select 1 from order_lines l where l.order_id = ${orderId} having sum(l.quantity) <= 0)`;

/** The same from the sum of an order's line quantities, `null` when it has no line. */
export const isCreditNoteBySumSql = (quantitySum: SQL): SQL =>
  sql`coalesce(${quantitySum}, 1) <= 0`;

/** The same from an order's lines as read. */
export const isCreditNote = (lines: readonly { quantity: number }[]): boolean =>
  lines.length > 0 && lines.reduce((sum, l) => sum + l.quantity, 0) <= 0;
