import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { AppError } from "@crm-reco/core";

/**
 * The embedded database lives in one process: PGlite has no server to share it, and two processes
 * writing one data folder corrupt it for good (found by running `crm-reco import` beside
 * `npm start`: every later command failed with "Aborted()"). So a process that opens a data
 * folder holds a lock file beside it, `<folder>.lock`, holding its pid; another process is refused
 * with a plain message while that pid is alive. A lock left by a process that died (kill -9, a
 * crash) is taken over: its pid is gone, or is our own (a restarted container gets pid 1 again).
 */
const held = new Map<string, number>(); // lock path → handles open in this process

export function lockDataDir(dataDir: string): () => void {
  const path = `${resolve(dataDir)}.lock`;
  const release = () => {
    const count = (held.get(path) ?? 1) - 1;
    if (count > 0) held.set(path, count);
    else {
      held.delete(path);
      rmSync(path, { force: true });
    }
  };
  if (held.has(path)) {
    held.set(path, held.get(path)! + 1); // opened again by this process: one database, one lock
    return once(release);
  }
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, `${JSON.stringify(lockRecord())}\n`, { flag: "wx" });
      held.set(path, 1);
      return once(release);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
    }
    const holder = readHolder(path);
    if (holder && holder.pid !== process.pid && isAlive(holder.pid))
      throw new AppError(
        "database.in_use",
        `The data folder ${resolve(dataDir)} is in use by another process (pid ${holder.pid}` +
          `${holder.command ? `: ${holder.command}` : ""}, since ${holder.since}). ` +
          "The embedded database serves one process at a time: stop it first (or use the web app, " +
          `which that process may be serving). If no such process is running, delete ${path}.`,
        { dataDir: resolve(dataDir), pid: holder.pid },
      );
    rmSync(path, { force: true }); // its process is gone: take it over
  }
}

interface LockRecord {
  pid: number;
  since: string;
  command?: string;
}

function lockRecord(): LockRecord {
  const command = process.argv
    .slice(1)
    .map((arg) => arg.split("/").at(-1))
    .join(" ");
  return { pid: process.pid, since: new Date().toISOString(), command };
}

function readHolder(path: string): LockRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(path, "utf8")) as Partial<LockRecord>;
    return typeof record.pid === "number"
      ? { pid: record.pid, since: String(record.since), command: record.command }
      : undefined;
  } catch {
    return undefined; // unreadable or half written: no live holder can be named
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

function once(release: () => void): () => void {
  let done = false;
  return () => {
    if (!done) release();
    done = true;
  };
}
