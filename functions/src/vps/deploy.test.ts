import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createTestServices } from "../../test/services.ts";
import type { Services } from "../services.ts";
import { type RunningServer, startVpsServer } from "./server.ts";

// deploy.sh's parts that need no root, for real, in a temporary prefix: a release copied from this
// checkout (its node_modules and web/dist as built, hard-linked), migrations on a real and empty
// PostgreSQL, the configuration files rendered, current switched, the health check, the rollback
// when the health check fails, and old releases pruned. Packages, users, systemd, Nginx, TLS
// and the firewall are the root parts (--skip-system).
const repo = join(import.meta.dirname, "../../..");
const script = join(repo, "stacks/vps/deploy.sh");
const postgres = inject("postgres");
const webBuilt = existsSync(join(repo, "web/dist/index.html"));

describe.runIf(postgres && webBuilt)(
  `deploy.sh --skip-system in a temporary prefix${webBuilt ? "" : " (SKIPPED: run npm run build:web)"}`,
  () => {
    const root = mkdtempSync(join(tmpdir(), "crm-reco-deploy-"));
    const envFile = join(root, "etc/crm-reco/crm-reco.env");
    const releases = join(root, "opt/crm-reco/releases");
    const current = () => readlinkSync(join(root, "opt/crm-reco/current"));
    const name = `deploy_${randomUUID().replaceAll("-", "")}`;
    const databaseUrl = `${postgres?.baseUrl}${name}`;
    let services: Services & { close(): Promise<void> };
    let server: RunningServer;
    let front: Server;
    // Stands in for systemd restarting the services: the release current points at "runs", and
    // answers the health check on PORT with the real app's /health, or 503 if it is a bad one.
    let releaseStarts = (_release: string) => true;
    const cleanups: Array<() => Promise<void> | void> = [
      () => rmSync(root, { recursive: true, force: true }),
    ];
    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    const startApp = async (): Promise<string> => {
      server = await startVpsServer({ services, port: 0, host: "127.0.0.1", webDistDir: root });
      cleanups.push(() => server.close());
      front = createServer((request, response) => {
        if (!releaseStarts(basename(current()))) {
          response.writeHead(503, { "content-type": "application/json" });
          response.end('{"status":"degraded"}');
          return;
        }
        void fetch(`${server.url}${request.url}`).then(async (answer) => {
          response.writeHead(answer.status, { "content-type": "application/json" });
          response.end(await answer.text());
        });
      });
      await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
      cleanups.push(() => new Promise<void>((resolve) => front.close(() => resolve())));
      return String((front.address() as AddressInfo).port);
    };
    const writeSettings = (port: string) =>
      writeFileSync(
        envFile,
        [
          `DATABASE_URL=${databaseUrl}`,
          `CRM_RECO_SECRET_KEY=${randomBytes(32).toString("base64")}`,
          `CRM_RECO_DATA_DIR=${join(root, "var/lib/crm-reco")}`,
          `BLOB_DIR=${join(root, "var/lib/crm-reco/blobs")}`,
          `PORT=${port}`,
          "HOST=127.0.0.1",
          "LOG_LEVEL=warn",
          "",
        ].join("\n"),
      );
    /** Runs deploy.sh; asynchronous, so this process's server can answer its health check. */
    const deploy = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          "bash",
          [
            script,
            "--skip-system",
            "--skip-build",
            "--no-backup",
            "--domain",
            "crm.test.fr",
            ...args,
          ],
          {
            env: {
              ...process.env,
              CRM_RECO_ROOT: root,
              HEALTH_WAIT: "2",
              PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
            },
          },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("close", (status) => resolve({ status, stdout, stderr }));
      });

    it("installs a first release, migrated, with its configuration rendered, and checks its health", async () => {
      const admin = new pg.Client({ connectionString: `${postgres!.baseUrl}postgres` });
      await admin.connect();
      await admin.query(`create database ${name}`); // empty: every migration runs
      cleanups.push(async () => {
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      });
      services = await createTestServices("pglite");
      cleanups.push(() => services.close());
      mkdirSync(dirname(envFile), { recursive: true });
      writeSettings(await startApp());
      const settings = readFileSync(envFile, "utf8");

      const first = await deploy();
      expect(first.stderr).toBe("");
      expect(first.status).toBe(0);
      expect(first.stdout).toMatch(/is live at https:\/\/crm\.test\.fr/);
      const release = current();
      expect(release).toMatch(/^releases\/\d{8}T\d{6}Z$/);
      const dir = join(root, "opt/crm-reco", release);
      for (const file of [
        "bin/crm-reco.js",
        "node_modules/pg-boss/package.json",
        "web/dist/index.html",
      ])
        expect(existsSync(join(dir, file)), file).toBe(true);
      expect(existsSync(join(dir, ".git"))).toBe(false);
      expect(readFileSync(envFile, "utf8")).toBe(settings); // settings are never rewritten

      const site = readFileSync(join(root, "etc/nginx/sites-available/crm-reco"), "utf8");
      expect(site).toContain("server_name crm.test.fr;");
      expect(site).toContain("/etc/letsencrypt/live/crm.test.fr/fullchain.pem");
      expect(site).not.toContain("example.fr");
      expect(readFileSync(join(root, "etc/systemd/system/crm-reco.service"), "utf8")).toContain(
        "serve --role web",
      );
      for (const file of [
        "etc/systemd/system/crm-reco-worker.service",
        "etc/systemd/system/crm-reco-backup.timer",
        "etc/fail2ban/filter.d/crm-reco-sign-in.conf",
        "etc/fail2ban/jail.d/crm-reco.conf",
      ])
        expect(existsSync(join(root, file)), file).toBe(true);

      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      const { rows } = await client.query(
        "select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name in ('jobs', 'sources', 'order_lines')",
      );
      await client.end();
      expect(rows[0].n).toBe(3);
    });

    it("rolls back to the previous release when the new one fails its health check", async () => {
      const before = current();
      releaseStarts = (release) => `releases/${release}` === before; // the new one does not
      const failed = await deploy();
      expect(failed.status).toBe(1);
      expect(failed.stdout).toContain(`Rolling back to ${before.slice("releases/".length)}`);
      expect(failed.stderr).toMatch(/failed its health check: back on \d{8}T\d{6}Z/);
      expect(current()).toBe(before);
      expect(readdirSync(releases)).toEqual([before.slice("releases/".length)]);
    });

    it("upgrades again once healthy, keeping the previous release and pruning older ones", async () => {
      const before = current().slice("releases/".length);
      releaseStarts = () => true;
      mkdirSync(join(releases, "20200101T000000Z")); // an old release, to be pruned
      const upgraded = await deploy("--keep", "2");
      expect(upgraded.status).toBe(0);
      const live = current().slice("releases/".length);
      expect(live).not.toBe(before);
      expect(readdirSync(releases).sort()).toEqual([before, live].sort());
    });
  },
);
