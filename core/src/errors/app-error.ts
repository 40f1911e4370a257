/**
 * An expected failure: something the caller (a person, a file, a client) got wrong or a state the
 * system is in. It carries a dotted code (`area.reason`) that the HTTP layer maps to a status and
 * the UI translates; the message is plain language, never a stack or SQL.
 */
export class AppError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }
}

export const isAppError = (value: unknown): value is AppError => value instanceof AppError;

/** Small factories so call sites read as the failure they report. */
export const notFound = (what: string, id: string) =>
  new AppError(`${what}.not_found`, `No ${what} with id ${id}.`, { id });

export const invalidInput = (message: string, details?: Record<string, unknown>) =>
  new AppError("request.invalid", message, details);

export const configInvalid = (message: string, details?: Record<string, unknown>) =>
  new AppError("config.invalid", message, details);
