import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { lockDataDir } from "./data-dir-lock.ts";

const dir = mkdtempSync(join(tmpdir(), "crm-reco-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let sleeper: ChildProcess | undefined;
afterEach(() => sleeper?.kill("SIGKILL"));

/** A live process that is not this one, to stand in the lock as its holder. */
const liveProcess = () => (sleeper = spawn("sleep", ["60"])).pid!;
const writeLock = (dataDir: string, pid: number) =>
  writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid, since: "2026-12-03T10:00:00Z" }));

describe("lockDataDir", () => {
  it("holds a lock file naming this process until released", () => {
    const dataDir = join(dir, "a");
    const release = lockDataDir(dataDir);
    expect(JSON.parse(readFileSync(`${dataDir}.lock`, "utf8")).pid).toBe(process.pid);
    release();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it("refuses a folder another live process holds, naming it", () => {
    const dataDir = join(dir, "b");
    const pid = liveProcess();
    writeLock(dataDir, pid);
    expect(() => lockDataDir(dataDir)).toThrow(
      expect.objectContaining({
        code: "database.in_use",
        message: expect.stringContaining(`in use by another process (pid ${pid}`),
      }),
    );
    expect(JSON.parse(readFileSync(`${dataDir}.lock`, "utf8")).pid).toBe(pid); // left alone
  });

  it.each([
    ["a process that died", () => 2 ** 22 + 1], // above Linux's pid_max: no such process
    ["this very pid, from an earlier life (a restarted container)", () => process.pid],
    ["a half-written record", () => Number.NaN],
  ])("takes over a lock left by %s", (_why, pid) => {
    const dataDir = join(dir, `c${_why.length}`);
    writeLock(dataDir, pid());
    const release = lockDataDir(dataDir);
    expect(JSON.parse(readFileSync(`${dataDir}.lock`, "utf8")).pid).toBe(process.pid);
    release();
  });

  it("refuses a second handle in this process, and releases only once", () => {
    const dataDir = join(dir, "d");
    const release = lockDataDir(dataDir);
    expect(() => lockDataDir(dataDir)).toThrow(/already open in this process/);
    release();
    release(); // releasing twice counts once
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    lockDataDir(dataDir)(); // free again
  });

  it("never writes an option's value (an API key, a password) into the lock", () => {
    const argv = process.argv;
    process.argv = [argv[0]!, "/app/bin/crm-reco.js", "source", "add", "odoo", "--key", "s3cret"];
    try {
      const dataDir = join(dir, "e");
      const release = lockDataDir(dataDir);
      const record = readFileSync(`${dataDir}.lock`, "utf8");
      expect(JSON.parse(record).command).toBe("crm-reco.js source add");
      expect(record).not.toContain("s3cret");
      release();
    } finally {
      process.argv = argv;
    }
  });

  it("does not remove a lock another process has taken over since", () => {
    const dataDir = join(dir, "f");
    const release = lockDataDir(dataDir);
    const pid = liveProcess();
    writeLock(dataDir, pid); // as if our lock had been judged stale and replaced
    release();
    expect(JSON.parse(readFileSync(`${dataDir}.lock`, "utf8")).pid).toBe(pid);
  });

  it("leaves no file behind but the lock itself", () => {
    const dataDir = join(dir, "g");
    writeLock(dataDir, 2 ** 22 + 1); // stale: taken over through a file moved aside
    const release = lockDataDir(dataDir);
    expect(readdirSync(dir).filter((f) => f.startsWith("g."))).toEqual(["g.lock"]);
    release();
    expect(readdirSync(dir).filter((f) => f.startsWith("g"))).toEqual([]);
  });
});
