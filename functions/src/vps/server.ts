import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { createApp } from "../http/app.ts";
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
  const app = createApp(options.services);
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

  const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host === "0.0.0.0" ? "127.0.0.1" : options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
}
