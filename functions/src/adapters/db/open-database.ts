import type { PGlite } from "@electric-sql/pglite";
import type { DbHandle } from "./database.ts";

export type DatabaseConfig =
  | { driver: "pglite"; dataDir: string }
  | { driver: "pg"; url: string }
  | { driver: "neon"; url: string; wsProxy?: string };

/**
 * Opens the configured database. Drivers are imported on demand so a Lambda bundle for Neon does
 * not carry PGlite's WASM, and the embedded mode does not load node-postgres.
 */
export async function openDatabase(
  config: DatabaseConfig,
): Promise<DbHandle & { pglite?: PGlite }> {
  switch (config.driver) {
    case "pglite": {
      const { openPglite } = await import("./pglite.ts");
      const handle = await openPglite({ dataDir: config.dataDir });
      // The job queue shares the one in-process database (pg-boss has a PGlite backend).
      return { ...handle, pglite: handle.client };
    }
    case "pg": {
      const { openPg } = await import("./pg.ts");
      return openPg({ connectionString: config.url });
    }
    case "neon": {
      const { openNeon } = await import("./neon.ts");
      return openNeon({ connectionString: config.url, wsProxy: config.wsProxy });
    }
  }
}
