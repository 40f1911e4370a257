// CPU time read from /proc (Linux), to tell what a wrk run was bound by: the server's one Node
// process, the benchmark's PostgreSQL, wrk itself, or other work on the machine.
import { readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";

export interface CpuSnapshot {
  serverTicks: number;
  /** Per PostgreSQL process: backends come and go during a run. */
  postgresTicks: Map<number, number>;
  /** This process's finished children: wrk, once it has exited. */
  waitedChildrenTicks: number;
  machineBusyTicks: number;
  machineTotalTicks: number;
}

/** Cores kept busy on average (1.0 = one core fully used). */
export interface CpuShares {
  serverCores: number;
  postgresCores: number;
  wrkCores: number;
  /** Everything else busy on the machine: other people's work skews the figures. */
  otherCores: number;
}

/** The fields after the command name, which is in parentheses and may hold spaces. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined; // exited meanwhile
  }
}

/** utime + stime. */
function processTicks(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields && Number(fields[11]) + Number(fields[12]);
}

/**
 * The postmaster listening on this port and its children (backends, autovacuum, writers): other
 * PostgreSQL servers on the machine (test suites) are not ours to count.
 */
function postgresTicks(port: number): Map<number, number> {
  const pids = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
  const postmaster = pids.find((pid) => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      return argv[0]?.endsWith("/postgres") && argv.join(" ").includes(`-p ${port} `);
    } catch {
      return false;
    }
  });
  const ticks = new Map<number, number>();
  if (postmaster === undefined) return ticks;
  for (const pid of pids) {
    const fields = statFields(pid);
    if (pid === postmaster || fields?.[1] === String(postmaster))
      ticks.set(pid, Number(fields![11]) + Number(fields![12]));
  }
  return ticks;
}

/** cutime + cstime of this process. */
function waitedChildrenTicks(): number {
  const fields = statFields(process.pid)!;
  return Number(fields[13]) + Number(fields[14]);
}

export function takeCpuSnapshot(serverPid: number, postgresPort: number): CpuSnapshot {
  const [, ...counters] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/);
  const values = counters.map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are the idle time.
  const total = values.slice(0, 8).reduce((sum, n) => sum + n, 0);
  return {
    serverTicks: processTicks(serverPid) ?? 0,
    postgresTicks: postgresTicks(postgresPort),
    waitedChildrenTicks: waitedChildrenTicks(),
    machineBusyTicks: total - values[3]! - values[4]!,
    machineTotalTicks: total,
  };
}

export function cpuSharesBetween(before: CpuSnapshot, after: CpuSnapshot): CpuShares {
  const ticksPerCore = (after.machineTotalTicks - before.machineTotalTicks) / cpus().length;
  let postgres = 0;
  for (const [pid, ticks] of after.postgresTicks)
    postgres += ticks - (before.postgresTicks.get(pid) ?? 0);
  const server = after.serverTicks - before.serverTicks;
  const wrk = after.waitedChildrenTicks - before.waitedChildrenTicks;
  const busy = after.machineBusyTicks - before.machineBusyTicks;
  return {
    serverCores: server / ticksPerCore,
    postgresCores: postgres / ticksPerCore,
    wrkCores: wrk / ticksPerCore,
    otherCores: Math.max(0, busy - server - postgres - wrk) / ticksPerCore,
  };
}
