import { mkdir } from "node:fs/promises";
import { pino } from "pino";
import { createServices } from "../composition.ts";
import type { Config } from "../config.ts";
import { createLogger } from "../log.ts";

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
  if (config.database.driver === "pglite") await services.db.migrate();
  return services;
}
