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
  /** JSON lines (for journald, CloudWatch) or short lines for a person; default: pretty on a terminal. */
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  /** Which job queue: pg-boss in the database (default on PostgreSQL and PGlite) or in-process. */
  CRM_RECO_QUEUE: z.enum(["inline", "pgboss", "sqs"]).optional(),
  /** Amazon SQS (the AWS target): one queue per kind of job. */
  QUEUE_URL_IMPORT: z.url().optional(),
  QUEUE_URL_SYNC: z.url().optional(),
  QUEUE_URL_REGENERATE: z.url().optional(),
  QUEUE_URL_WEBHOOK: z.url().optional(),
  /** Where uploaded files live: a local folder (default) or an S3 bucket (the AWS target). */
  BLOB_STORE: z.enum(["fs", "s3"]).default("fs"),
  UPLOADS_BUCKET: z.string().min(3).optional(),
  /** An S3/SQS-compatible endpoint instead of AWS's (an emulator in tests, MinIO…). */
  AWS_ENDPOINT_URL: z.url().optional(),
  AWS_REGION: z.string().min(1).default("eu-west-3"),
  AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** A running job silent this long belonged to a dead process and is retried (pg-boss). */
  CRM_RECO_QUEUE_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).max(3600).default(60),
  /** How often an idle worker looks for jobs (pg-boss). */
  CRM_RECO_QUEUE_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
  NODE_ENV: z.string().optional(),
});

/**
 * pg-boss keeps jobs in the app's own database, so they survive restarts and several processes
 * share them. The in-process queue runs them in the process that sent them, and is what Neon
 * (Lambda) uses until SQS lands.
 */
export type QueueConfig =
  | { kind: "inline" }
  | { kind: "pgboss"; heartbeatSeconds: number; pollingIntervalSeconds: number }
  | { kind: "sqs"; queueUrls: Record<"import" | "sync" | "regenerate" | "webhook", string> };

export type BlobConfig = { kind: "fs"; dir: string } | { kind: "s3"; bucket: string };

export interface Config {
  database: DatabaseConfig;
  queue: QueueConfig;
  blobs: BlobConfig;
  /** The AWS SDK clients' region and (for emulators) endpoint. */
  aws: {
    region: string;
    endpoint: string | undefined;
    /** Only with an endpoint (an emulator): on AWS the SDK finds the function's own credentials. */
    credentials?: { accessKeyId: string; secretAccessKey: string };
  };
  dataDir: string;
  blobDir: string;
  webDistDir: string;
  port: number;
  host: string;
  logLevel: z.infer<typeof Env>["LOG_LEVEL"];
  /** Undefined: a server picks pretty lines when its output is a terminal, JSON lines otherwise. */
  logFormat: "json" | "pretty" | undefined;
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
  const queueKind = e.CRM_RECO_QUEUE ?? (driver === "neon" ? "inline" : "pgboss");
  const blobDir = resolve(e.BLOB_DIR ?? resolve(dataDir, "blobs"));
  if (e.BLOB_STORE === "s3" && !e.UPLOADS_BUCKET)
    throw configInvalid("BLOB_STORE=s3 needs UPLOADS_BUCKET (the bucket's name).");
  return {
    database,
    queue: queueOf(queueKind, e),
    blobs:
      e.BLOB_STORE === "s3"
        ? { kind: "s3", bucket: e.UPLOADS_BUCKET! }
        : { kind: "fs", dir: blobDir },
    aws: {
      region: e.AWS_REGION,
      endpoint: e.AWS_ENDPOINT_URL,
      ...(e.AWS_ENDPOINT_URL && e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY
        ? {
            credentials: {
              accessKeyId: e.AWS_ACCESS_KEY_ID,
              secretAccessKey: e.AWS_SECRET_ACCESS_KEY,
            },
          }
        : {}),
    },
    dataDir,
    blobDir,
    webDistDir: resolve(e.WEB_DIST_DIR ?? new URL("../../web/dist", import.meta.url).pathname),
    port: overrides.port ?? e.PORT,
    host: overrides.host ?? e.HOST,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    secretKey: e.CRM_RECO_SECRET_KEY
      ? new Uint8Array(Buffer.from(e.CRM_RECO_SECRET_KEY, "base64"))
      : null,
  };
}

function queueOf(kind: "inline" | "pgboss" | "sqs", e: z.infer<typeof Env>): QueueConfig {
  if (kind === "inline") return { kind };
  if (kind === "pgboss")
    return {
      kind,
      heartbeatSeconds: e.CRM_RECO_QUEUE_HEARTBEAT_SECONDS,
      pollingIntervalSeconds: e.CRM_RECO_QUEUE_POLL_SECONDS,
    };
  const urls = {
    import: e.QUEUE_URL_IMPORT,
    sync: e.QUEUE_URL_SYNC,
    regenerate: e.QUEUE_URL_REGENERATE,
    webhook: e.QUEUE_URL_WEBHOOK,
  };
  const missing = Object.entries(urls)
    .filter(([, url]) => !url)
    .map(([k]) => `QUEUE_URL_${k.toUpperCase()}`);
  if (missing.length > 0)
    throw configInvalid(
      `CRM_RECO_QUEUE=sqs needs ${missing.join(", ")} (one queue per kind of job).`,
    );
  return { kind, queueUrls: urls as Record<keyof typeof urls, string> };
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The configuration of a Lambda function: its environment, plus the secrets SST binds to it
 * (read from SSM on the first invocation), which win over the environment when present.
 */
export async function loadConfigWithSecrets(
  readSecrets: (env: Environment) => Promise<Record<string, string | undefined>>,
): Promise<Config> {
  const secrets = await readSecrets(process.env);
  const bound = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== undefined));
  return loadConfig({ ...process.env, ...bound });
}
