import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { type Db, type DbHandle, schema } from "./database.ts";
import { migrationsFolder } from "./migrations-folder.ts";
import { watchPgChanges } from "./pg-change-watch.ts";

export interface PgOptions {
  connectionString: string;
  maxConnections?: number;
}

/** A real PostgreSQL server through node-postgres: the VPS target. */
export async function openPg(options: PgOptions): Promise<DbHandle> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
  });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  const db = drizzle({ client: pool, schema, casing: "snake_case" }) as unknown as Db;
  return {
    db,
    driver: "pg",
    migrate: () => migrate(drizzle({ client: pool }), { migrationsFolder }),
    close: () => pool.end(),
    watchChanges: (listener) => watchPgChanges(options.connectionString, listener),
  };
}
