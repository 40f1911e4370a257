import { prettyFactory } from "pino-pretty";
import { createLogger, type Logger } from "./log.ts";

/**
 * The same logs as short lines for a person at a terminal (`npm start`, `crm-reco serve` by hand):
 * "[17:02:06] INFO: GET /api/recommendations → 200 (4 ms)", and any other entry with its fields
 * ("… odoo sync finished {"status":"partial",…}"). Its own file, imported by the CLI's server
 * only, so the Lambdas (always JSON) do not bundle pino-pretty.
 */
export function createPrettyLogger(
  level: string,
  destination: { write(text: string): unknown } = process.stdout,
  colorize = Boolean(process.stdout.isTTY),
): Logger {
  const prettify = prettyFactory({
    colorize,
    singleLine: true,
    translateTime: "SYS:HH:MM:ss",
    ignore: "pid,hostname,service",
  });
  return createLogger(level, {
    write(line: string) {
      destination.write(prettify(asRequestLine(JSON.parse(line) as Record<string, unknown>)));
    },
  });
}

/**
 * A request's entry told in its message, its fields dropped: only a server error keeps its
 * request id, which the error page asks the person to quote.
 */
function asRequestLine(entry: Record<string, unknown>): Record<string, unknown> {
  if (entry.msg !== "request" || typeof entry.method !== "string") return entry;
  const { method, path, status, durationMs, requestId, ...rest } = entry;
  return {
    ...rest,
    msg: `${method} ${String(path)} → ${String(status)} (${String(durationMs)} ms)`,
    ...(Number(status) >= 500 ? { requestId } : {}),
  };
}
