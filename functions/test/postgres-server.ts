import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A throwaway PostgreSQL server for the test suite: initdb + pg_ctl on a loopback port, in a
 * temporary directory, torn down after. As root (CI), it runs as the `postgres` system user,
 * since PostgreSQL refuses to run as root.
 */
export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  url(database: string): string;
  stop(): void;
}

/** Debian keeps the server binaries out of PATH, under its versioned lib directory. */
export function findPostgresBinDir(): string | undefined {
  const candidates = [process.env.PG_BIN_DIR];
  const debianRoot = "/usr/lib/postgresql";
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => join(debianRoot, version, "bin")));
  }
  const onPath = spawnSync("sh", ["-c", "command -v pg_ctl"], { encoding: "utf8" }).stdout.trim();
  if (onPath) candidates.push(join(onPath, ".."));
  return candidates.find(
    (dir) => dir && existsSync(join(dir, "pg_ctl")) && existsSync(join(dir, "initdb")),
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgresServer(binDir: string): Promise<PostgresServer> {
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "crm-reco-pg-"));
  const dataDir = join(dir, "data");
  const user = asRoot ? "postgres" : (process.env.USER ?? "postgres");
  if (asRoot) chownSync(dir, uidOf("postgres"), gidOf("postgres"));
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot
      ? ["runuser", ["-u", "postgres", "--", join(binDir, command), ...args]]
      : [join(binDir, command), args];
    execFileSync(file, argv, { stdio: "pipe" });
  };
  const port = await freePort();
  run("initdb", [
    "-D",
    dataDir,
    "--auth=trust",
    "-E",
    "UTF8",
    "--locale=C",
    "--no-sync",
    "-U",
    user,
  ]);
  run("pg_ctl", [
    "-D",
    dataDir,
    "-w",
    "-l",
    join(dir, "server.log"),
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    "start",
  ]);
  return {
    host: "127.0.0.1",
    port,
    user,
    url: (database) => `postgres://${user}@127.0.0.1:${port}/${database}`,
    stop() {
      try {
        run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

const idOf = (flag: "-u" | "-g", name: string) =>
  Number(execFileSync("id", [flag, name], { encoding: "utf8" }).trim());
const uidOf = (name: string) => idOf("-u", name);
const gidOf = (name: string) => idOf("-g", name);
