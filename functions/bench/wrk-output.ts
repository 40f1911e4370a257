// Reads the figures bench:api reports out of wrk's text output (wrk 4.1, run with --latency).

export interface WrkResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** connect + read + write + timeout, as wrk counts them. */
  socketErrors: number;
  /** Answers with a status outside 2xx and 3xx. */
  non2xx: number;
}

const MS_PER_UNIT: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function latencyMs(output: string, percentile: string): number {
  const match = output.match(new RegExp(`^\\s*${percentile}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, "m"));
  if (!match) throw new Error(`wrk output has no ${percentile}% latency:\n${output}`);
  return Number(match[1]) * MS_PER_UNIT[match[2]!]!;
}

export function parseWrkOutput(output: string): WrkResult {
  const rate = output.match(/^Requests\/sec:\s+([\d.]+)/m);
  const total = output.match(/^\s*(\d+) requests in /m);
  if (!rate || !total) throw new Error(`wrk output not understood:\n${output}`);
  // Both lines are printed only when there is something to count.
  const socket = output.match(
    /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/,
  );
  const non2xx = output.match(/Non-2xx or 3xx responses: (\d+)/);
  return {
    requestsPerSecond: Number(rate[1]),
    p50Ms: latencyMs(output, "50"),
    p99Ms: latencyMs(output, "99"),
    requests: Number(total[1]),
    socketErrors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    non2xx: non2xx ? Number(non2xx[1]) : 0,
  };
}
