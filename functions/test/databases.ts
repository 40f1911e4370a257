import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { describe, inject } from "vitest";
import type { DbDriver, DbHandle } from "../src/adapters/db/database.ts";
import { openNeon } from "../src/adapters/db/neon.ts";
import { openPg } from "../src/adapters/db/pg.ts";
import { openPglite } from "../src/adapters/db/pglite.ts";

export const allDrivers: DbDriver[] = ["pglite", "pg", "neon"];

/** Drivers whose server is available in this run (all three under CI; see global-setup). */
export const availableDrivers: DbDriver[] = inject("postgres") ? allDrivers : ["pglite"];

/**
 * A fresh, migrated, private database for one test file or test: a clone of the PGlite template,
 * or a new PostgreSQL database made from the migrated template (used directly or through Neon).
 * `close()` also drops it.
 */
export async function openTestDatabase(driver: DbDriver): Promise<DbHandle> {
  if (driver === "pglite") {
    return openPglite({ loadDataDir: new Blob([readFileSync(inject("pgliteTemplate"))]) });
  }
  const server = inject("postgres");
  if (!server)
    throw new Error(`The ${driver} driver needs the test PostgreSQL server, which is not running.`);
  const name = `t_${randomUUID().replaceAll("-", "")}`;
  const admin = new pg.Client({ connectionString: `${server.baseUrl}postgres` });
  await admin.connect();
  await admin.query(`create database ${name} template ${server.templateDatabase}`);
  await admin.end();
  const url = `${server.baseUrl}${name}`;
  const handle =
    driver === "pg"
      ? await openPg({ connectionString: url })
      : await openNeon({ connectionString: url, wsProxy: inject("neonWsProxy")! });
  return {
    ...handle,
    async close() {
      await handle.close();
      const dropper = new pg.Client({ connectionString: `${server.baseUrl}postgres` });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** `describe` once per database driver, loudly noting the ones this run cannot exercise. */
export function describeEachDriver(title: string, body: (driver: DbDriver) => void) {
  for (const driver of allDrivers) {
    if (availableDrivers.includes(driver)) describe(`${title} [${driver}]`, () => body(driver));
    else
      describe.skip(`${title} [${driver}] (SKIPPED: no PostgreSQL server binaries)`, () =>
        body(driver));
  }
}
