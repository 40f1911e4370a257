import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";
import { type Db, queryRows } from "../adapters/db/database.ts";
import { openPglite } from "../adapters/db/pglite.ts";
import { checkPassword, openSession } from "../auth/users.ts";

// The command as a user runs it: a real process, real flags and environment, real exit codes.
const bin = fileURLToPath(new URL("../../../bin/crm-reco.js", import.meta.url));
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "crm-reco-cli-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const cleanEnv = (extra: Record<string, string> = {}) => {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn", ...extra };
  if (!("DATABASE_URL" in extra)) delete env.DATABASE_URL;
  if (!("DB_DRIVER" in extra)) delete env.DB_DRIVER;
  return env;
};

function runCli(
  args: string[],
  env = cleanEnv(),
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("crm-reco", () => {
  it("migrates the embedded database in --data-dir, and again without change", async () => {
    const dir = tempDir();
    const first = await runCli(["migrate", "--data-dir", dir]);
    expect(first).toMatchObject({
      code: 0,
      stdout: `Migrations applied (PGlite in ${join(dir, "pglite")}).\n`,
    });
    expect((await runCli(["migrate", "--data-dir", dir])).code).toBe(0);
  });

  it("refuses to serve a database that lacks this release's migrations, naming the command", async () => {
    const result = await runCli(["serve", "--data-dir", tempDir(), "--port", "0"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^Error \(db\.migrations_pending\): The database lacks \d+ migration\(s\) of this release \(0000_init, /,
    );
    expect(result.stderr).toContain("run `crm-reco migrate` first (or serve with --migrate).");
  });

  it.runIf(inject("postgres"))(
    "says why a database command failed, not only which query: the server's own reason",
    async () => {
      const url = new URL(`${inject("postgres")!.baseUrl}postgres`);
      url.username = "nobody_here";
      const result = await runCli(["migrate"], cleanEnv({ DATABASE_URL: url.toString() }));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/because: .*role "nobody_here" does not exist/);
      expect(result.stderr).toContain("(run again with --debug for details)");
    },
  );

  it.runIf(inject("postgres"))("migrates a PostgreSQL database named by DATABASE_URL", async () => {
    const url = `${inject("postgres")!.baseUrl}postgres`;
    const result = await runCli(["migrate"], cleanEnv({ DATABASE_URL: url }));
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(
      /^Migrations applied \(PostgreSQL at 127\.0\.0\.1:\d+\/postgres\)\.\n$/,
    );
  });

  it.each([
    [
      ["migrate"],
      { DB_DRIVER: "neon" },
      "Error (config.invalid): DB_DRIVER=neon needs DATABASE_URL",
    ],
    [
      ["serve", "--port", "http"],
      {},
      'Error (cli.invalid): --port must be a whole number from 0 to 65535, not "http".',
    ],
    [["serve", "--colour"], {}, "Error (cli.invalid): Unknown option '--colour'"],
    [
      ["serve", "--role", "cook"],
      {},
      "Error (cli.invalid): --role must be one of all, web, worker.",
    ],
    [
      ["serve", "--role", "worker"],
      {},
      "Error (config.invalid): --role worker needs PostgreSQL (DATABASE_URL)",
    ],
    [
      ["serve", "--role", "web"],
      { DATABASE_URL: "postgres://u@127.0.0.1:9/x", CRM_RECO_QUEUE: "inline" },
      "Error (config.invalid): --role web needs the pg-boss queue (CRM_RECO_QUEUE=pgboss)",
    ],
    [
      ["sync", "Odoo"],
      { DATABASE_URL: "postgres://u@127.0.0.1:9/x" },
      "Error (config.invalid): CRM_RECO_SECRET_KEY is not set: on PostgreSQL every process of the server needs the same key",
    ],
    [
      ["serve", "--role", "all"],
      { DATABASE_URL: "postgres://u@127.0.0.1:9/x" },
      "Error (config.invalid): CRM_RECO_SECRET_KEY is not set",
    ],
    [["frobnicate"], {}, 'Unknown command "frobnicate".'],
  ])("refuses %j %j with a clear message and no stack trace", async (args, env, message) => {
    const result = await runCli(args, cleanEnv(env));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("creates users with a role, printing a generated password once, and refuses duplicates", async () => {
    const dir = tempDir();
    const created = await runCli([
      "user",
      "create",
      "--email",
      "Cave@Domaine.fr",
      "--role",
      "editor",
      "--data-dir",
      dir,
    ]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(
      /^User cave@domaine\.fr \(editor\) created for estate "default"\.\nPassword: [\w-]{20}\n/,
    );
    const again = await runCli([
      "user",
      "create",
      "--email",
      "cave@domaine.fr",
      "--role",
      "viewer",
      "--data-dir",
      dir,
    ]);
    expect(again).toMatchObject({
      code: 1,
      stderr: "Error (user.conflict): A user cave@domaine.fr already exists.\n",
    });
    const badRole = await runCli([
      "user",
      "create",
      "--email",
      "x@y.fr",
      "--role",
      "boss",
      "--data-dir",
      dir,
    ]);
    expect(badRole.stderr).toContain("--role must be one of viewer, editor, admin");
  });

  it("gives a user who forgot their password a new one, printed once, and closes their sessions", async () => {
    const dir = tempDir();
    const user = (...args: string[]) => runCli(["user", ...args, "--data-dir", dir]);
    const old = "the old password 123";
    expect(
      (await user("create", "--email", "cave@domaine.fr", "--role", "admin", "--password", old))
        .code,
    ).toBe(0);
    const withDb = async <T>(run: (db: Db, tenantId: string) => Promise<T>) => {
      const handle = await openPglite({ dataDir: join(dir, "pglite") });
      try {
        const [tenant] = await queryRows<{ id: string }>(
          handle.db,
          sql`select id from tenants where slug = 'default'`,
        );
        return await run(handle.db, tenant!.id);
      } finally {
        await handle.close();
      }
    };
    await withDb(async (db, tenantId) =>
      openSession(db, (await checkPassword(db, tenantId, "cave@domaine.fr", old))!, new Date()),
    );

    const reset = await user("password", "--email", "Cave@Domaine.fr");
    expect(reset.code).toBe(0);
    const [, fresh] = /\nPassword: ([\w-]{20})\n\(shown once/.exec(reset.stdout)!;
    expect(reset.stdout).toMatch(
      /^New password set for cave@domaine\.fr \(admin, estate "default"\); their sessions are closed\./,
    );
    await withDb(async (db, tenantId) => {
      expect(await checkPassword(db, tenantId, "cave@domaine.fr", old)).toBeNull();
      expect((await checkPassword(db, tenantId, "cave@domaine.fr", fresh!))?.email).toBe(
        "cave@domaine.fr",
      );
      expect(await queryRows(db, sql`select 1 from sessions`)).toEqual([]);
    });
    expect(await user("password", "--email", "nobody@domaine.fr")).toMatchObject({
      code: 1,
      stderr: "Error (user.not_found): No user nobody@domaine.fr.\n",
    });
    expect(
      (await user("password", "--email", "cave@domaine.fr", "--password", "short")).stderr,
    ).toContain("A password needs at least 12 characters.");
  });

  it("refuses to replace an estate's own data with the demo unless told --yes", async () => {
    const dir = tempDir();
    const file = join(dir, "clients.csv");
    writeFileSync(file, "N° client;Nom\nC1;Martin\n");
    const imported = await runCli([
      "import",
      file,
      "--entity",
      "customers",
      "--source",
      "iSaVigne",
      "--data-dir",
      dir,
    ]);
    expect(imported.code).toBe(0);
    const reset = await runCli(["demo", "reset", "--data-dir", dir]);
    expect(reset.code).toBe(1);
    expect(reset.stderr).toContain(
      "Error (demo.conflict): This estate holds data of its own (sources: iSaVigne): `demo reset` would delete all of it",
    );
    const handle = await openPglite({ dataDir: join(dir, "pglite") });
    try {
      expect(await queryRows(handle.db, sql`select customer_code from customers`)).toEqual([
        { customer_code: "C1" },
      ]);
    } finally {
      await handle.close();
    }
  });

  it("serves the app with --migrate, prints its URL, answers /health, and stops on SIGTERM", async () => {
    const dir = tempDir();
    const child = spawn(
      process.execPath,
      [bin, "serve", "--migrate", "--data-dir", dir, "--port", "0"],
      { env: cleanEnv() },
    );
    try {
      const { url, output } = await firstUrl(child);
      // First run of the embedded edition: a one-time admin password, which signs in.
      const [, email, password] = /connectez-vous avec (\S+) et le mot de passe (\S+)/.exec(
        output,
      )!;
      const signIn = await fetch(`${url}/api/auth/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
      expect(signIn.status).toBe(200);
      expect(await signIn.json()).toMatchObject({ role: "admin", estate: { slug: "default" } });
      const response = await fetch(`${url}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        status: "ok",
        database: { ok: true, driver: "pglite" },
      });
    } finally {
      child.kill("SIGTERM");
    }
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
  });
});

function firstUrl(child: ChildProcess): Promise<{ url: string; output: string }> {
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      const match = /running at (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match) resolve({ url: match[1]!, output });
    });
    child.on("close", (code) =>
      reject(new Error(`server exited (${code}) before listening: ${output}`)),
    );
  });
}
