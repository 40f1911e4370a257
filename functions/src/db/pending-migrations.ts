import { sql } from "drizzle-orm";
import journal from "../../../migrations/meta/_journal.json" with { type: "json" };
import { type Db, queryRows } from "../adapters/db/database.ts";

/**
 * The migrations of this release the database has not had: drizzle records each one applied with
 * its journal time, and applies those newer than the latest recorded (as here). A backup restored
 * from before an upgrade, or a release started before `crm-reco migrate`, runs on an older schema
 * whose queries fail page by page; this says so at once.
 */
export async function pendingMigrations(db: Db): Promise<string[]> {
  let applied: number | null = null;
  try {
    const [row] = await queryRows<{ at: string | null }>(
      db,
      sql`select max(created_at)::text as at from drizzle.__drizzle_migrations`,
    );
    applied = row?.at ? Number(row.at) : null;
  } catch (error) {
    if (!neverMigrated(error)) throw error;
  }
  return journal.entries
    .filter((entry) => applied === null || entry.when > applied)
    .map((entry) => entry.tag);
}

/** No drizzle schema or table (42P01 undefined_table, 3F000 invalid_schema_name): an empty database. */
function neverMigrated(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (code === "42P01" || code === "3F000") return true;
  }
  return false;
}
