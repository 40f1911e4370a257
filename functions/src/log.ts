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
