import pretty from "pino-pretty";
import { createLogger, type Logger } from "./log.ts";

/** What a request line carries besides its message: shown as "GET /api/x → 200 (3 ms)". */
const REQUEST_FIELDS = "method,path,status,durationMs,requestId";

/**
 * The same logs as short lines for a person at a terminal (`npm start`, `crm-reco serve` by hand):
 * "[17:02:06] INFO: GET /api/recommendations → 200 (4 ms)". Its own file, imported by the CLI's
 * server only, so the Lambdas (always JSON) do not bundle pino-pretty.
 */
export function createPrettyLogger(
  level: string,
  destination: number | NodeJS.WritableStream = 1,
  colorize?: boolean,
): Logger {
  return createLogger(
    level,
    pretty({
      destination,
      sync: true,
      colorize,
      singleLine: true,
      translateTime: "SYS:HH:MM:ss",
      ignore: `pid,hostname,service,${REQUEST_FIELDS}`,
      messageFormat: (log, messageKey) =>
        log.method && log.path
          ? `${String(log.method)} ${String(log.path)} → ${String(log.status)} (${String(log.durationMs)} ms)`
          : String(log[messageKey] ?? ""),
    }),
  );
}
