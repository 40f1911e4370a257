import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { lockDataDir } from "./data-dir-lock.ts";
import { CHANGES_CHANNEL, type Db, type DbHandle, schema } from "./database.ts";
import { migrationsFolder } from "./migrations-folder.ts";

export interface PgliteOptions {
  /** Directory that persists the database; in memory when absent. */
  dataDir?: string;
  /** A tarball from `dumpDataDir()` to start from (tests clone one migrated database). */
  loadDataDir?: Blob;
}

/** The embedded default: PostgreSQL compiled to WASM, in-process, stored in a local folder. */
export async function openPglite(
  options: PgliteOptions = {},
): Promise<DbHandle & { client: PGlite }> {
  const release = options.dataDir ? lockDataDir(options.dataDir) : () => {};
  const client = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
  }).catch((error: unknown) => {
    release();
    throw error;
  });
  const db = drizzle({ client, schema, casing: "snake_case" }) as unknown as Db;
  return {
    db,
    client,
    driver: "pglite",
    migrate: () => migrate(drizzle({ client }), { migrationsFolder }),
    async close() {
      try {
        await client.close();
      } finally {
        release();
      }
    },
    // One process, one database: its notices never drop.
    async watchChanges(listener) {
      const unlisten = await client.listen(CHANGES_CHANNEL, () => listener.changed());
      listener.watching(true);
      return async () => {
        listener.watching(false);
        await unlisten();
      };
    },
  };
}
