import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";

describe("loadConfig", () => {
  it("defaults to PGlite in ./.data on port 3000", () => {
    const config = loadConfig({}, {});
    expect(config.database).toMatchObject({ driver: "pglite" });
    expect(config.database.driver === "pglite" && config.database.dataDir).toMatch(
      /\.data\/pglite$/,
    );
    expect(config.port).toBe(3000);
    expect(config.logFormat).toBeUndefined(); // the server then looks at its terminal
  });

  it.each(["json", "pretty"] as const)("reads LOG_FORMAT=%s", (format) => {
    expect(loadConfig({ LOG_FORMAT: format }).logFormat).toBe(format);
  });

  it.each([
    [
      { DATABASE_URL: "postgres://u:p@db:5432/crm" },
      { driver: "pg", url: "postgres://u:p@db:5432/crm" },
    ],
    [
      { DATABASE_URL: "postgresql://u@db/crm", DB_DRIVER: "neon" },
      { driver: "neon", url: "postgresql://u@db/crm" },
    ],
    [
      { DATABASE_URL: "postgres://u@db/crm", DB_DRIVER: "pglite", CRM_RECO_DATA_DIR: "/srv/crm" },
      { driver: "pglite", dataDir: "/srv/crm/pglite" },
    ],
  ])("chooses the driver from %j", (env, expected) => {
    expect(loadConfig(env).database).toEqual(expect.objectContaining(expected));
  });

  it.each([
    [{}, { kind: "pgboss", heartbeatSeconds: 60, pollingIntervalSeconds: 2 }],
    [{ DATABASE_URL: "postgres://u@db/crm" }, { kind: "pgboss" }],
    [{ DATABASE_URL: "postgres://u@db/crm", DB_DRIVER: "neon" }, { kind: "inline" }],
    [{ CRM_RECO_QUEUE: "inline" }, { kind: "inline" }],
    [
      { CRM_RECO_QUEUE: "pgboss", CRM_RECO_QUEUE_HEARTBEAT_SECONDS: "10" },
      { kind: "pgboss", heartbeatSeconds: 10 },
    ],
  ])("chooses the job queue from %j", (env, expected) => {
    expect(loadConfig(env).queue).toMatchObject(expected);
  });

  it("reads the AWS target's bucket and queues, and names what is missing", () => {
    const queues = {
      QUEUE_URL_IMPORT: "https://sqs.eu-west-3.amazonaws.com/123456789012/import",
      QUEUE_URL_SYNC: "https://sqs.eu-west-3.amazonaws.com/123456789012/sync",
      QUEUE_URL_REGENERATE: "https://sqs.eu-west-3.amazonaws.com/123456789012/regenerate",
      QUEUE_URL_WEBHOOK: "https://sqs.eu-west-3.amazonaws.com/123456789012/webhook",
    };
    const config = loadConfig({
      DB_DRIVER: "neon",
      DATABASE_URL: "postgres://u:p@db.example/estate",
      CRM_RECO_QUEUE: "sqs",
      BLOB_STORE: "s3",
      UPLOADS_BUCKET: "crm-reco-uploads",
      ...queues,
    });
    expect(config.queue).toEqual({
      kind: "sqs",
      queueUrls: {
        import: queues.QUEUE_URL_IMPORT,
        sync: queues.QUEUE_URL_SYNC,
        regenerate: queues.QUEUE_URL_REGENERATE,
        webhook: queues.QUEUE_URL_WEBHOOK,
      },
    });
    expect(config.blobs).toEqual({ kind: "s3", bucket: "crm-reco-uploads" });
    expect(config.aws).toEqual({ region: "eu-west-3", endpoint: undefined });
    expect(() =>
      loadConfig({ CRM_RECO_QUEUE: "sqs", QUEUE_URL_IMPORT: queues.QUEUE_URL_IMPORT }),
    ).toThrow(/QUEUE_URL_SYNC, QUEUE_URL_REGENERATE, QUEUE_URL_WEBHOOK/);
    expect(() => loadConfig({ BLOB_STORE: "s3" })).toThrow(/UPLOADS_BUCKET/);
  });

  it("lets flags win over the environment", () => {
    const config = loadConfig(
      { PORT: "4000", CRM_RECO_DATA_DIR: "/env" },
      { port: 5000, dataDir: "/flag" },
    );
    expect(config.port).toBe(5000);
    expect(config.dataDir).toBe("/flag");
  });

  it.each([
    [{ PORT: "eighty" }, /PORT/],
    [{ DB_DRIVER: "mysql" }, /DB_DRIVER/],
    [{ DATABASE_URL: "mysql://x/y" }, /DATABASE_URL: must be a postgres/],
    [{ DB_DRIVER: "neon" }, /DB_DRIVER=neon needs DATABASE_URL/],
    [{ CRM_RECO_QUEUE: "sqs" }, /CRM_RECO_QUEUE/],
    [{ CRM_RECO_QUEUE_HEARTBEAT_SECONDS: "5" }, /CRM_RECO_QUEUE_HEARTBEAT_SECONDS/],
    [{ LOG_FORMAT: "xml" }, /LOG_FORMAT/],
  ])("fails fast with a clear message on %j", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toMatchObject({ code: "config.invalid" });
    }
  });
});
