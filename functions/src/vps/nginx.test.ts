import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServices } from "../../test/services.ts";
import type { Services } from "../services.ts";
import { type RunningServer, startVpsServer } from "./server.ts";

// The shipped Nginx site, run by Debian's Nginx on loopback in front of the VPS server, with
// the certbot paths swapped for a self-signed pair and the ports for free ones.
const site = join(import.meta.dirname, "../../../stacks/vps/nginx/crm-reco.conf");
const nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));
if (!nginx && !process.env.CI)
  console.warn(
    "\n!!! Debian nginx not installed: the Nginx tests are SKIPPED (apt-get install nginx) !!!\n",
  );

const freePort = async () => {
  const { createServer } = await import("node:net");
  return new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
};

describe.runIf(nginx || process.env.CI)("the Nginx site in front of the VPS server", () => {
  let services: Services & { close(): Promise<void> };
  let server: RunningServer;
  let dir: string;
  let https: number;
  let http: number;

  beforeAll(async () => {
    if (!nginx) throw new Error("Debian's nginx is not installed (apt-get install nginx).");
    dir = mkdtempSync(join(tmpdir(), "crm-reco-nginx-"));
    const webDir = join(dir, "web");
    execFileSync("mkdir", ["-p", join(webDir, "assets")]);
    writeFileSync(
      join(webDir, "index.html"),
      "<!doctype html><title>CRM Reco</title><div id=app></div>",
    );
    writeFileSync(
      join(webDir, "assets", "index-abc123.js"),
      `console.log(${JSON.stringify("x".repeat(4000))})`,
    );
    services = await createTestServices("pglite");
    server = await startVpsServer({ services, port: 0, host: "127.0.0.1", webDistDir: webDir });
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    [https, http] = [await freePort(), await freePort()];
    const appPort = new URL(server.url).port;
    const config = readFileSync(site, "utf8")
      .replaceAll("/etc/letsencrypt/live/crm.example.fr/fullchain.pem", join(dir, "cert.pem"))
      .replaceAll("/etc/letsencrypt/live/crm.example.fr/privkey.pem", join(dir, "key.pem"))
      .replaceAll("server 127.0.0.1:3000;", `server 127.0.0.1:${appPort};`)
      .replaceAll("listen [::]:80;", "")
      .replaceAll("listen [::]:443 ssl http2;", "")
      .replaceAll("listen 443 ssl http2;", `listen 127.0.0.1:${https} ssl http2;`)
      .replaceAll("listen 80;", `listen 127.0.0.1:${http};`);
    writeFileSync(join(dir, "site.conf"), config);
    writeFileSync(
      join(dir, "nginx.conf"),
      `daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn; worker_processes 1;
       events { worker_connections 256; }
       http { access_log off; client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
              fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
              include ${dir}/site.conf; }`,
    );
    const check = spawnSync(nginx, ["-t", "-c", join(dir, "nginx.conf"), "-p", dir], {
      encoding: "utf8",
    });
    if (check.status !== 0) throw new Error(`nginx -t failed: ${check.stderr}`);
    const { spawn } = await import("node:child_process");
    const child = spawn(nginx, ["-c", join(dir, "nginx.conf"), "-p", dir], { stdio: "ignore" });
    writeFileSync(join(dir, "child.pid"), String(child.pid));
    // Ready when it accepts connections (its pid file alone came too early on a loaded machine).
    const { connect } = await import("node:net");
    const accepts = () =>
      new Promise<boolean>((resolve) => {
        const socket = connect(https, "127.0.0.1");
        socket.once("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
      });
    const errorLog = () =>
      existsSync(join(dir, "error.log")) ? readFileSync(join(dir, "error.log"), "utf8") : "";
    for (let i = 0; !(await accepts()); i++) {
      if (i === 400 || child.exitCode !== null)
        throw new Error(`nginx did not start: ${errorLog()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => {
    if (dir && existsSync(join(dir, "child.pid"))) {
      try {
        process.kill(Number(readFileSync(join(dir, "child.pid"), "utf8")), "SIGQUIT");
      } catch {
        // already gone
      }
    }
    await server?.close();
    await services?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** One HTTPS request through Nginx, trusting the test certificate. */
  const fetchTls = (
    path: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ) =>
    new Promise<{
      status: number;
      headers: Record<string, string | string[] | undefined>;
      body: string;
    }>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: https,
          path,
          method: init.method ?? "GET",
          headers: init.headers,
          ca: readFileSync(join(dir, "cert.pem")),
          servername: "localhost",
          rejectUnauthorized: false,
        },
        (res) => {
          let body = "";
          res.on("data", (c) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        },
      );
      req.on("error", reject);
      if (init.body) req.write(init.body);
      req.end();
    });

  it("serves the app and the API over TLS, with the app's security headers, compressed assets", async () => {
    const health = await fetchTls("/health");
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: "ok" });
    expect(health.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(health.headers["x-content-type-options"]).toBe("nosniff");
    expect(health.headers["strict-transport-security"]).toContain("max-age=");
    expect(health.headers.server).toBe("nginx");
    const page = await fetchTls("/recommendations");
    expect(page.body).toContain("<title>CRM Reco</title>");
    const asset = await fetchTls("/assets/index-abc123.js", {
      headers: { "accept-encoding": "gzip" },
    });
    expect(asset.headers["content-encoding"]).toBe("gzip");
    expect(asset.headers["cache-control"]).toContain("immutable");
  });

  it("redirects plain HTTP to HTTPS", async () => {
    const response = await fetch(`http://127.0.0.1:${http}/recommendations`, {
      redirect: "manual",
    });
    expect(response.status).toBe(301);
    expect(response.headers.get("location")).toMatch(
      /^https:\/\/127\.0\.0\.1(:\d+)?\/recommendations$/,
    );
  });

  it("answers 429 to a burst of sign-ins, and 413 to a body over the limit", async () => {
    const attempts = await Promise.all(
      Array.from({ length: 12 }, () =>
        fetchTls("/api/auth/sign-in", {
          method: "POST",
          body: JSON.stringify({ email: "x@y.fr", password: "nope" }),
          headers: { "content-type": "application/json" },
        }),
      ),
    );
    const statuses = attempts.map((a) => a.status);
    expect(statuses).toContain(401);
    expect(statuses).toContain(429);
    // Who is signed in is asked at every page load: not under the sign-in limit.
    const me = await Promise.all(Array.from({ length: 12 }, () => fetchTls("/api/auth/me")));
    expect(me.map((r) => r.status)).toEqual(Array(12).fill(401));
    const big = await fetchTls("/api/recommendations/bulk", {
      method: "POST",
      body: "x".repeat(3 * 1024 * 1024),
      headers: { "content-type": "application/json" },
    });
    expect(big.status).toBe(413);
  });
});
