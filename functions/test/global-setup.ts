import { writeFileSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openPg } from "../src/adapters/db/pg.ts";
import { openPglite } from "../src/adapters/db/pglite.ts";
import { startNeonWsProxy } from "./neon-ws-proxy.ts";
import { findPostgresBinDir, startPostgresServer } from "./postgres-server.ts";

export const TEMPLATE_DATABASE = "crm_template";

declare module "vitest" {
  export interface ProvidedContext {
    /** Migrated PGlite data directory tarball that each test clones. */
    pgliteTemplate: string;
    /** A running PostgreSQL with a migrated template database; null when its binaries are absent. */
    postgres: { baseUrl: string; templateDatabase: string } | null;
    /** host:port of the WebSocket proxy the Neon driver goes through to that server. */
    neonWsProxy: string | null;
  }
}

/**
 * Starts the real parts the data-layer tests need once for the whole run: a migrated PGlite
 * template, a PostgreSQL server with a migrated template database, and Neon's WebSocket proxy.
 */
export default async function setup(project: TestProject) {
  const teardown: Array<() => Promise<void> | void> = [];
  const dir = mkdtempSync(join(tmpdir(), "crm-reco-test-"));
  teardown.push(() => rmSync(dir, { recursive: true, force: true }));

  const pglite = await openPglite();
  await pglite.migrate();
  const tarball = await pglite.client.dumpDataDir("none");
  await pglite.close();
  const pgliteTemplate = join(dir, "pglite-template.tar");
  writeFileSync(pgliteTemplate, Buffer.from(await tarball.arrayBuffer()));
  project.provide("pgliteTemplate", pgliteTemplate);

  const binDir = findPostgresBinDir();
  if (!binDir) {
    const message =
      "PostgreSQL server binaries not found (apt-get install postgresql): PostgreSQL and Neon tests are SKIPPED.";
    if (process.env.CI) throw new Error(`${message} Under CI they must run.`);
    console.warn(`\n${"!".repeat(100)}\n!! ${message}\n${"!".repeat(100)}\n`);
    project.provide("postgres", null);
    project.provide("neonWsProxy", null);
  } else {
    const server = await startPostgresServer(binDir);
    teardown.push(() => server.stop());
    const admin = new pg.Client({ connectionString: server.url("postgres") });
    await admin.connect();
    await admin.query(`create database ${TEMPLATE_DATABASE}`);
    await admin.end();
    const template = await openPg({ connectionString: server.url(TEMPLATE_DATABASE) });
    await template.migrate();
    await template.close();
    const proxy = await startNeonWsProxy();
    teardown.push(() => proxy.close());
    project.provide("postgres", { baseUrl: server.url(""), templateDatabase: TEMPLATE_DATABASE });
    project.provide("neonWsProxy", proxy.address);
  }

  return async () => {
    for (const step of teardown.reverse()) await step();
  };
}
