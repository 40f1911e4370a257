import { resolve } from "node:path";
import { z } from "zod";
import { configInvalid } from "@crm-reco/core";
import type { DatabaseConfig } from "./adapters/db/open-database.ts";

/**
 * The one place that reads the environment. Everything else receives a validated `Config`.
 * Flags given on the command line win over the environment.
 */
const Env = z.object({
  CRM_RECO_DATA_DIR: z.string().min(1).default("./.data"),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, message: "must be a postgres:// or postgresql:// URL" })
    .optional(),
  DB_DRIVER: z.enum(["pglite", "pg", "neon"]).optional(),
  NEON_WS_PROXY: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  BLOB_DIR: z.string().min(1).optional(),
  WEB_DIST_DIR: z.string().min(1).optional(),
  /** 32 random bytes, base64: encrypts stored secrets (webhook signing keys). */
  CRM_RECO_SECRET_KEY: z
    .base64()
    .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded")
    .optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  NODE_ENV: z.string().optional(),
});

export interface Config {
  database: DatabaseConfig;
  dataDir: string;
  blobDir: string;
  webDistDir: string;
  port: number;
  host: string;
  logLevel: z.infer<typeof Env>["LOG_LEVEL"];
  /** Null: the embedded edition keeps a generated key in the data folder (secret.key). */
  secretKey: Uint8Array | null;
}

export interface ConfigOverrides {
  dataDir?: string;
  port?: number;
  host?: string;
}

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: ConfigOverrides = {},
): Config {
  const parsed = Env.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== "")),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".")}: ${issue.message}`,
    );
    throw configInvalid(`Invalid configuration: ${problems.join("; ")}`, { problems });
  }
  const e = parsed.data;
  const dataDir = resolve(overrides.dataDir ?? e.CRM_RECO_DATA_DIR);
  const driver = e.DB_DRIVER ?? (e.DATABASE_URL ? "pg" : "pglite");
  if (driver !== "pglite" && !e.DATABASE_URL) {
    throw configInvalid(
      `DB_DRIVER=${driver} needs DATABASE_URL (postgres://user:password@host:5432/database).`,
    );
  }
  const database: DatabaseConfig =
    driver === "pglite"
      ? { driver, dataDir: resolve(dataDir, "pglite") }
      : driver === "pg"
        ? { driver, url: e.DATABASE_URL! }
        : { driver, url: e.DATABASE_URL!, wsProxy: e.NEON_WS_PROXY };
  return {
    database,
    dataDir,
    blobDir: resolve(e.BLOB_DIR ?? resolve(dataDir, "blobs")),
    webDistDir: resolve(e.WEB_DIST_DIR ?? new URL("../../web/dist", import.meta.url).pathname),
    port: overrides.port ?? e.PORT,
    host: overrides.host ?? e.HOST,
    logLevel: e.LOG_LEVEL,
    secretKey: e.CRM_RECO_SECRET_KEY
      ? new Uint8Array(Buffer.from(e.CRM_RECO_SECRET_KEY, "base64"))
      : null,
  };
}
