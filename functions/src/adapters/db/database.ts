import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { type SQL, sql } from "drizzle-orm";
import * as schema from "../../db/schema/index.ts";

export { schema };

/** The drizzle database every driver gives us; code above the adapters sees only this. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** What a transaction callback receives: the same query surface as `Db`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export type DbDriver = "pglite" | "pg" | "neon";

export interface DbHandle {
  db: Db;
  driver: DbDriver;
  /** Applies the drizzle-kit migrations in `migrations/`; safe to run again. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /**
   * Tells `listener` of every write committed to the estate's tables, by any process (migration
   * 0003's triggers), until the returned function is called. Absent where a process cannot
   * listen (Neon's HTTP queries on Lambda): nothing is then kept between requests.
   */
  watchChanges?(listener: ChangeListener): Promise<() => Promise<void>>;
}

/** The PostgreSQL channel migration 0003's triggers notify on every committed write. */
export const CHANGES_CHANNEL = "crm_reco_changes";

export interface ChangeListener {
  /** Something was written: what was read before may be out of date. */
  changed(): void;
  /** Whether writes are being watched now; while not, none would be reported. */
  watching(live: boolean): void;
}

/** Runs raw SQL and returns its rows, whatever the driver's result shape. */
export async function queryRows<T = Record<string, unknown>>(
  db: Db | Tx,
  query: SQL,
): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * Brings the query planner's statistics of `tables` up to date after a bulk write. PostgreSQL's
 * autovacuum would in time; PGlite, the embedded default, has no autovacuum, so its planner took
 * every table for the empty one it was created as: the wines list of a 540,000-line history took
 * 23 s instead of 1 s. ANALYZE samples each table (a few tens of thousands of rows): about two
 * seconds for that history, milliseconds for an estate's. Never fails: not outside a transaction
 * that an error would abort (callers run it after their writes, on the database itself).
 */
export async function refreshPlannerStatistics(
  db: Db | Tx,
  tables: readonly string[],
): Promise<void> {
  try {
    await db.execute(sql.raw(`analyze ${tables.join(", ")}`));
  } catch {
    // Statistics only speed later reads up: the import or run they follow has succeeded.
  }
}

/** What an import or a sync writes to. */
export const IMPORTED_TABLES = [
  "customers",
  "customer_identities",
  "products",
  "product_identities",
  "orders",
  "order_lines",
  "anomalies",
] as const;

/**
 * One array parameter, for bulk writes as `insert … select … from unnest($1::text[], …)`: a
 * single round trip whatever the batch size, the same SQL on every driver.
 */
export const arrayParam = (values: readonly unknown[], pgType: string): SQL =>
  sql`${sql.param(values)}::${sql.raw(pgType)}[]`;
