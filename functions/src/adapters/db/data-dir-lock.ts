import {
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { AppError } from "@crm-reco/core";

/**
 * The embedded database lives in one process: PGlite has no server to share it, and two processes
 * writing one data folder corrupt it for good (found by running `crm-reco import` beside
 * `npm start`: every later command failed with "Aborted()"). So a process that opens a data
 * folder holds a lock file beside it, `<folder>.lock`, holding its pid; another process is refused
 * with a plain message while that pid is alive. A lock left by a process that died (kill -9, a
 * crash) is taken over: its pid is gone, or is our own (a restarted container gets pid 1 again).
 *
 * The lock appears whole or not at all (written aside, then hard-linked into place, which fails
 * if it exists), so no process can read a half-written one; a stale one is moved aside before it
 * is replaced, so two processes cannot both take it over.
 */
const held = new Set<string>(); // lock paths this process holds

export function lockDataDir(dataDir: string): () => void {
  const path = `${resolve(dataDir)}.lock`;
  // A second PGlite on the same folder in one process corrupts it just as well.
  if (held.has(path))
    throw new AppError(
      "database.in_use",
      `The data folder ${resolve(dataDir)} is already open in this process: close it first.`,
      { dataDir: resolve(dataDir), pid: process.pid },
    );
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    if (create(path)) {
      held.add(path);
      return once(() => release(path));
    }
    const holder = readHolder(path);
    if (holder && holder.pid !== process.pid && isAlive(holder.pid))
      throw inUse(dataDir, path, holder);
    moveAsideIfStill(path, holder);
  }
  throw inUse(dataDir, path, readHolder(path) ?? { pid: 0, since: "?" });
}

interface LockRecord {
  pid: number;
  since: string;
  /** The command, without its options' values (an API key or a password must not land here). */
  command?: string;
}

/** Creates the lock whole, or answers false when it exists. */
function create(path: string): boolean {
  const aside = `${path}.${process.pid}`;
  writeFileSync(aside, `${JSON.stringify(lockRecord())}\n`);
  try {
    linkSync(aside, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    unlinkSync(aside);
  }
}

/**
 * Moves a stale lock aside, if it is still the one read (another process may have taken it over
 * meanwhile: then it is put back, and the next attempt reads its new holder).
 */
function moveAsideIfStill(path: string, read: LockRecord | undefined) {
  const stale = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, stale);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return; // someone else moved it
    throw error;
  }
  const moved = readHolder(stale);
  if (moved && read && (moved.pid !== read.pid || moved.since !== read.since)) {
    try {
      linkSync(stale, path); // not the stale lock we read: give it back
    } catch {
      // a third process locked meanwhile: the next attempt reads it
    }
  }
  rmSync(stale, { force: true });
}

/** Removes the lock, if it is still ours. */
function release(path: string) {
  held.delete(path);
  if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
}

function lockRecord(): LockRecord {
  // The program and its subcommand words (`crm-reco.js serve`), never an option or its value.
  const words = process.argv.slice(2);
  const end = words.findIndex((word) => word.startsWith("-"));
  const command = [basename(process.argv[1] ?? "node"), ...words.slice(0, end < 0 ? 2 : end)]
    .slice(0, 3)
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
    return undefined; // gone, or not a lock we wrote: no live holder can be named
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

function inUse(dataDir: string, path: string, holder: LockRecord) {
  return new AppError(
    "database.in_use",
    `The data folder ${resolve(dataDir)} is in use by another process (pid ${holder.pid}` +
      `${holder.command ? `: ${holder.command}` : ""}, since ${holder.since}). ` +
      "The embedded database serves one process at a time: stop it first (or use the web app, " +
      `which that process may be serving). If no such process is running, delete ${path}.`,
    { dataDir: resolve(dataDir), pid: holder.pid },
  );
}

function once(action: () => void): () => void {
  let done = false;
  return () => {
    if (!done) action();
    done = true;
  };
}
