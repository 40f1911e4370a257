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
  ])("fails fast with a clear message on %j", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toMatchObject({ code: "config.invalid" });
    }
  });
});
