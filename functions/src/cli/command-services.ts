import { mkdir } from "node:fs/promises";
import { pino } from "pino";
import { createServices } from "../composition.ts";
import type { Config } from "../config.ts";
import { createLogger } from "../log.ts";
import { ensureTenant, type Tenant } from "../repos/tenants.ts";
import { configFromFlags } from "./options.ts";
import { applyMigrations } from "../db/apply-migrations.ts";

/**
 * Services for a one-shot command: logs go to stderr (stdout is the command's answer, e.g. JSON),
 * quiet unless --debug, and the embedded database is migrated on the way (it is the user's own).
 */
export async function openCommandServices(config: Config, debug: boolean) {
  if (config.database.driver === "pglite")
    await mkdir(config.database.dataDir, { recursive: true });
  const services = await createServices(
    config,
    createLogger(debug ? "debug" : "warn", pino.destination(2)),
  );
  if (config.database.driver === "pglite") await applyMigrations(services.db);
  return services;
}

type CommandFlags = Parameters<typeof configFromFlags>[0] & { debug?: boolean; tenant?: string };

/**
 * Runs a command against one estate (`--tenant`, the default estate otherwise, created on first
 * use) and closes the database whatever happens.
 */
export async function withEstate<T>(
  values: CommandFlags,
  run: (services: Awaited<ReturnType<typeof openCommandServices>>, tenant: Tenant) => Promise<T>,
): Promise<T> {
  const services = await openCommandServices(configFromFlags(values), Boolean(values.debug));
  try {
    const tenant = await ensureTenant(services.db.db, {
      slug: values.tenant ?? "default",
      name: "Mon domaine",
    });
    return await run(services, tenant);
  } finally {
    await services.close();
  }
}
