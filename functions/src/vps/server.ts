import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { sql } from "drizzle-orm";
import { queryRows } from "../adapters/db/database.ts";
import { createApp } from "../http/app.ts";
import { ReadCache } from "../http/read-cache.ts";
import { securityHeaders } from "../http/security-headers.ts";
import type { Services } from "../services.ts";

export interface VpsServerOptions {
  services: Services;
  port: number;
  host: string;
  /** The built SPA (`web/dist`); when missing, only the API is served and a warning is logged. */
  webDistDir: string;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The VPS adapter's HTTP side: the very app the Lambda handler serves, plus the built web app as
 * static files with a fallback to index.html for client-side routes.
 */
export async function startVpsServer(options: VpsServerOptions): Promise<RunningServer> {
  const { readCache, stopWatching } = await startReadCache(options.services);
  const app = createApp({ ...options.services, readCache });
  const indexPath = join(options.webDistDir, "index.html");
  if (existsSync(indexPath)) {
    app.use("/assets/*", async (c, next) => {
      await next();
      if (c.res.ok) c.res.headers.set("Cache-Control", "public, max-age=31536000, immutable");
    });
    app.use("/*", serveStatic({ root: options.webDistDir }));
    const indexHtml = await readFile(indexPath, "utf8");
    app.get("*", (c) => c.html(indexHtml, 200, { "Cache-Control": "no-cache" }));
  } else {
    options.services.log.warn(
      { webDistDir: options.webDistDir },
      "web app not built: serving the API only (run npm run build:web)",
    );
  }

  const answer = getRequestListener(app.fetch, { hostname: options.host });
  const headers = Object.entries(securityHeaders);
  // Set on Node's response first: the app's own headers, written with writeHead, add to them.
  const server = createServer((request, response) => {
    for (const [name, value] of headers) response.setHeader(name, value);
    return answer(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
    server.listen(options.port, options.host);
  }).catch(async (error: unknown) => {
    await stopWatching(); // its listening connection would keep the process alive
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host === "0.0.0.0" ? "127.0.0.1" : options.host}:${port}`,
    async close() {
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      await stopWatching();
    },
  };
}

/**
 * The read cache needs the database's change notices (migration 0003): without them, another
 * process's writes would go unseen for as long as an entry lives, so a database not migrated that
 * far is served uncached.
 */
async function startReadCache({ db, clock, log }: Services) {
  const off = { readCache: undefined, stopWatching: async () => {} };
  if (!db.watchChanges) return off;
  const [notifies] = await queryRows(
    db.db,
    sql`select 1 from pg_proc where proname = 'crm_reco_notify_change'`,
  );
  if (!notifies) {
    log.warn("database not migrated to 0003: every request reads it afresh (crm-reco migrate)");
    return off;
  }
  const readCache = new ReadCache({
    maxBytes: 32 * 1024 * 1024,
    // Notices arrive within a millisecond of the commit, but a page that learnt of a write some
    // other way (a job's status) could still ask first: a minute bounds that rare staleness.
    // Shorter costs a busy server: 1,000 recommendations viewed in turn are 1,000 entries to read
    // again (with 15-30 s lifetimes, those reads were 1 % of bench:api's detail requests, its p99).
    maxAgeMs: 60_000,
    now: () => clock.now().getTime(),
  });
  return { readCache, stopWatching: await db.watchChanges(readCache) };
}
