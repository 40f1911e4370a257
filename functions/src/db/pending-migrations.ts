import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../adapters/db/database.ts";
import { migrationsFolder } from "../adapters/db/migrations-folder.ts";

interface JournalEntry {
  tag: string;
  when: number;
}
let journal: JournalEntry[] | null | undefined;

/**
 * This release's migrations (drizzle-kit's journal), or null where they are not shipped: a
 * Lambda bundle, whose deployment migrates before the code goes live (docs/deploy-aws.md).
 */
function releaseMigrations(): JournalEntry[] | null {
  if (journal !== undefined) return journal;
  try {
    const text = readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8");
    journal = (JSON.parse(text) as { entries: JournalEntry[] }).entries;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    journal = null;
  }
  return journal;
}

/**
 * The migrations of this release the database has not had: drizzle records each one applied with
 * its journal time, and applies those newer than the latest recorded (as here). A backup restored
 * from before an upgrade, or a release started before `crm-reco migrate`, runs on an older schema
 * whose queries fail page by page; this says so at once. Null where the release's migrations
 * are not shipped.
 */
export async function pendingMigrations(db: Db): Promise<string[] | null> {
  const entries = releaseMigrations();
  if (entries === null) return null;
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
  return entries
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
