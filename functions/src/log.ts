import { pino, type Logger } from "pino";

export type { Logger };

/**
 * Structured JSON logs. Personal data and secrets are never logged: log ids and counts, not rows.
 * The redact list is a safety net for fields that might slip into a logged object.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "crm-reco" },
      redact: {
        paths: [
          "*.password",
          "*.apiKey",
          "*.key",
          "*.email",
          "*.phone",
          "*.mobile",
          "*.authorization",
          "*.cookie",
          "headers.cookie",
          "headers.authorization",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}

type Level = "debug" | "info" | "warn" | "error";

/**
 * The same log, letting through only warnings and errors (or less, if it already did): for work
 * whose progress a command prints in its own words, such as loading the demo estate on first
 * start, where every import's "started" and "finished" lines would repeat them.
 */
export function onlyWarnings(log: Logger): Logger {
  return log.child({}, { level: log.levelVal > log.levels.values.warn! ? log.level : "warn" });
}

/** What a request logs with; each line carries the request's id. */
export interface RequestLog {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * A request's logger, whose pino child is made on its first line written: most requests write
 * none at the production level, and making a child serialises its bindings through the redact
 * list (about 5 % of a cached answer's time).
 */
export class LazyRequestLog implements RequestLog {
  #child: Logger | undefined;
  readonly #base: Logger;
  readonly #bindings: Record<string, unknown>;

  constructor(base: Logger, bindings: Record<string, unknown>) {
    this.#base = base;
    this.#bindings = bindings;
  }

  debug(fields: object, message: string) {
    this.#write("debug", fields, message);
  }
  info(fields: object, message: string) {
    this.#write("info", fields, message);
  }
  warn(fields: object, message: string) {
    this.#write("warn", fields, message);
  }
  error(fields: object, message: string) {
    this.#write("error", fields, message);
  }

  #write(level: Level, fields: object, message: string) {
    if (!this.#base.isLevelEnabled(level)) return;
    this.#child ??= this.#base.child(this.#bindings);
    this.#child[level](fields, message);
  }
}
