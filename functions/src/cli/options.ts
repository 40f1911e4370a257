import { parseArgs, type ParseArgsConfig } from "node:util";
import { AppError, dayNumber, isoDay } from "@crm-reco/core";
import { loadConfig, type Config } from "../config.ts";

/** Flags every command accepts, on top of its own. */
export const commonOptions = {
  "data-dir": { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  debug: { type: "boolean" },
} satisfies ParseArgsConfig["options"];

export function parseCommand<O extends ParseArgsConfig["options"]>(args: string[], options: O) {
  try {
    return parseArgs({
      args,
      options: { ...commonOptions, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new AppError("cli.invalid", (error as Error).message);
  }
}

export function configFromFlags(values: {
  "data-dir"?: unknown;
  port?: unknown;
  host?: unknown;
}): Config {
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new AppError(
      "cli.invalid",
      `--port must be a whole number from 0 to 65535, not "${String(values.port)}".`,
    );
  }
  return loadConfig(undefined, {
    dataDir: values["data-dir"] as string | undefined,
    port,
    host: values.host as string | undefined,
  });
}

/** A real calendar day written `YYYY-MM-DD` (not 2024-13-01, nor 2026-02-30). */
export function isDay(value: string): boolean {
  const day = dayNumber(value); // NaN for 2024-13-01
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && Number.isFinite(day) && isoDay(day) === value;
}
