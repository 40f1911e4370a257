import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { findPostgresBinDir } from "../../test/postgres-server.ts";
import { createFsBlobStore } from "../adapters/blob/fs.ts";
import { openPg } from "../adapters/db/pg.ts";
import { createInlineQueue } from "../adapters/queue/inline.ts";
import { createPgBossQueue } from "../adapters/queue/pg-boss.ts";
import { loadDemoEstate } from "../demo/load-demo.ts";
import { createLogger } from "../log.ts";
import { ensureTenant } from "../repos/tenants.ts";

const scripts = join(import.meta.dirname, "../../../stacks/vps");
const server = inject("postgres");

/** Row count and a checksum of every row of every table: equal means the same data. */
async function fingerprint(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname in ('public', 'pgboss') order by 1",
    );
    const out: Record<string, string> = {};
    for (const { name } of tables.rows) {
      const { rows } = await client.query(
        `select count(*)::int as n, coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as sum from ${name} t`,
      );
      out[name] = `${rows[0].n}:${rows[0].sum}`;
    }
    return out;
  } finally {
    await client.end();
  }
}

describe.runIf(server)("backup.sh and restore.sh on a real PostgreSQL", () => {
  const dir = mkdtempSync(join(tmpdir(), "crm-reco-backup-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("brings back every row of every table and every uploaded file, over the live database or into an empty one", async () => {
    const admin = new pg.Client({ connectionString: `${server!.baseUrl}postgres` });
    await admin.connect();
    const name = `backup_${Date.now()}`;
    await admin.query(`create database ${name} template ${server!.templateDatabase}`);
    const url = `${server!.baseUrl}${name}`;
    const blobDir = join(dir, "blobs");
    const db = await openPg({ connectionString: url });
    const services = {
      db,
      blobs: createFsBlobStore(blobDir),
      queue: createInlineQueue(),
      clock: { now: () => new Date("2026-11-30T10:00:00Z") },
      log: createLogger("silent"),
      version: "test",
      secretKey: new Uint8Array(32),
    };
    const tenant = await ensureTenant(db.db, { slug: "default", name: "Domaine" });
    await loadDemoEstate(services, tenant.id, () => {}, {
      privateCustomers: 60,
      tradeCustomers: 6,
    });
    await services.queue.stop();
    await db.close();
    // pg-boss's schema as a server has it: its partitioned tables are what a plain
    // `pg_restore --clean` over a live database cannot drop.
    const boss = await createPgBossQueue({ database: { connectionString: url } });
    await boss.send({
      id: "11111111-1111-4111-8111-111111111111",
      kind: "regenerate",
      tenantId: tenant.id,
      payload: {},
    });
    await boss.stop();
    const live = new pg.Client({ connectionString: url });
    await live.connect();
    const partitions = await live.query(
      `select 1 from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'pgboss'`,
    );
    expect(partitions.rowCount).toBeGreaterThan(0);
    const before = await fingerprint(url);
    expect(Number(before["public.order_lines"]!.split(":")[0])).toBeGreaterThan(0);
    expect(Number(before["pgboss.job"]!.split(":")[0])).toBeGreaterThan(0);
    const filesBefore = readdirSync(blobDir, { recursive: true }).map(String).sort();

    const env = {
      ...process.env,
      PATH: `${findPostgresBinDir()}:${process.env.PATH}`,
      DATABASE_URL: url,
      BLOB_DIR: blobDir,
      BACKUP_DIR: join(dir, "backups"),
    };
    const stamp = execFileSync("bash", [join(scripts, "backup.sh")], {
      env,
      encoding: "utf8",
    }).trim();
    expect(stamp).toMatch(/^\d{8}T\d{6}Z$/);

    const restore = () => {
      const restored = execFileSync("bash", [join(scripts, "restore.sh"), "latest"], {
        env,
        encoding: "utf8",
      });
      expect(restored).toContain(`Restored ${stamp}`);
    };

    // A bad day on the live server: data lost, a stray table, uploaded files gone.
    await live.query("truncate order_lines cascade");
    await live.query("create table stray (id int)");
    await live.end();
    rmSync(blobDir, { recursive: true, force: true });
    restore();
    expect(await fingerprint(url)).toEqual(before);
    expect(readdirSync(blobDir, { recursive: true }).map(String).sort()).toEqual(filesBefore);

    // A dump this server's pg_restore cannot read (cut short, or from a newer pg_dump), its
    // checksums made again: refused before the database is touched.
    const cut = join(dir, "backups", "20990101T000000Z");
    mkdirSync(cut);
    const dump = readFileSync(join(dir, "backups", stamp, "database.dump"));
    writeFileSync(join(cut, "database.dump"), dump.subarray(0, dump.length >> 1));
    copyFileSync(join(dir, "backups", stamp, "blobs.tar.gz"), join(cut, "blobs.tar.gz"));
    writeFileSync(
      join(cut, "SHA256SUMS"),
      execFileSync("sha256sum", ["database.dump", "blobs.tar.gz"], { cwd: cut, encoding: "utf8" }),
    );
    // Given as tab completion writes it, from inside the backups' folder.
    const failed = spawnSync("bash", [join(scripts, "restore.sh"), "20990101T000000Z/"], {
      env,
      cwd: join(dir, "backups"),
      encoding: "utf8",
    });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("cannot be read by this server's pg_restore");
    expect(failed.stderr).toContain("nothing was changed");
    expect(await fingerprint(url)).toEqual(before);
    rmSync(cut, { recursive: true });
    // A time that is no backup: the ones there are.
    const wrong = spawnSync("bash", [join(scripts, "restore.sh"), "20261204"], {
      env,
      encoding: "utf8",
    });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain(
      `No backup 20261204 in ${join(dir, "backups")}. The latest ones:\n  ${stamp}`,
    );

    // A new server with no backups yet: said so, not a failed checksum.
    const none = spawnSync("bash", [join(scripts, "restore.sh"), "latest"], {
      env: { ...env, BACKUP_DIR: join(dir, "no-backups-here") },
      encoding: "utf8",
    });
    expect(none.status).toBe(1);
    expect(none.stderr).toBe(`No backups in ${join(dir, "no-backups-here")}\n`);

    // A new server: an empty database.
    await admin.query(`drop database ${name} with (force)`);
    await admin.query(`create database ${name}`);
    rmSync(blobDir, { recursive: true, force: true });
    restore();
    expect(await fingerprint(url)).toEqual(before);
    expect(readdirSync(blobDir, { recursive: true }).map(String).sort()).toEqual(filesBefore);
    const sums = readFileSync(join(dir, "backups", stamp, "SHA256SUMS"), "utf8");
    expect(sums).toMatch(/database\.dump/);
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  });
});
