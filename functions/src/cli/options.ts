import { parseArgs, type ParseArgsConfig } from "node:util";
import { AppError } from "@crm-reco/core";
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
