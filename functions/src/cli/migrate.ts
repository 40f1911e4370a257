import { openDatabase } from "../adapters/db/open-database.ts";
import { applyMigrations } from "../db/apply-migrations.ts";
import { mkdir } from "node:fs/promises";
import { configFromFlags, parseCommand } from "./options.ts";

export async function runMigrate(args: string[]): Promise<number> {
  const { values } = parseCommand(args, {});
  const config = configFromFlags(values);
  if (config.database.driver === "pglite")
    await mkdir(config.database.dataDir, { recursive: true });
  const db = await openDatabase(config.database);
  let applied: Awaited<ReturnType<typeof applyMigrations>>;
  try {
    applied = await applyMigrations(db);
  } finally {
    await db.close();
  }
  process.stdout.write(`Migrations applied (${describeDatabase(config.database)}).\n`);
  if (applied.productKindsChanged > 0)
    process.stdout.write(
      `${applied.productKindsChanged} products' kinds guessed again from their names; ${applied.pendingWithdrawn} pending recommendations of products that are no wines withdrawn.\n`,
    );
  return 0;
}

export function describeDatabase(database: ReturnType<typeof configFromFlags>["database"]): string {
  if (database.driver === "pglite") return `PGlite in ${database.dataDir}`;
  const url = new URL(database.url);
  return `${database.driver === "neon" ? "Neon" : "PostgreSQL"} at ${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname}`;
}
