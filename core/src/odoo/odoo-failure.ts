import { AppError, isAppError } from "../errors/app-error.ts";

/**
 * What went wrong talking to Odoo, in the terms a person can act on. Odoo reports an exception by
 * the dotted name of its Python class (`data.name` in a JSON-RPC error, `name` in a JSON-2 error
 * body): we branch on that name, never on the message, whose wording changes between versions.
 */
export type OdooFailureCode =
  | "odoo.unreachable"
  | "odoo.timeout"
  | "odoo.rate_limited"
  | "odoo.unavailable"
  | "odoo.bad_url"
  | "odoo.unknown_database"
  | "odoo.access_denied"
  | "odoo.access_error"
  | "odoo.unknown_model"
  | "odoo.session_expired"
  | "odoo.server_error";

/** Only these are tried again: the network, the server busy or overloaded. Never credentials. */
const RETRYABLE = new Set<OdooFailureCode>([
  "odoo.unreachable",
  "odoo.timeout",
  "odoo.rate_limited",
  "odoo.unavailable",
]);

export class OdooError extends AppError {
  declare readonly code: OdooFailureCode;
  readonly retryable: boolean;
  /** Seconds the server asked us to wait (HTTP Retry-After), when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: OdooFailureCode,
    message: string,
    details: Record<string, unknown> = {},
    retryAfterSeconds?: number,
  ) {
    super(code, message, details);
    this.name = "OdooError";
    this.retryable = RETRYABLE.has(code);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export const isOdooError = (value: unknown): value is OdooError => value instanceof OdooError;

/** The part of an Odoo exception we read: JSON-RPC `error.data`, or a JSON-2 error body. */
export interface OdooException {
  name?: string;
  message?: string;
  arguments?: unknown[];
}

/**
 * Classifies an exception Odoo serialized. `context` names what we were doing ("res.partner /
 * search_read") so the message says where it failed.
 */
export function failureFromException(
  exception: OdooException,
  context: { model?: string; method?: string; database?: string } = {},
): OdooError {
  const name = exception.name ?? "";
  const said = (exception.message ?? "").trim();
  const details = { exception: name, odooMessage: said, ...context };
  const where = context.model
    ? ` (${context.model}${context.method ? `.${context.method}` : ""})`
    : "";
  if (name.endsWith("AccessDenied") || name.endsWith("Unauthorized"))
    return new OdooError(
      "odoo.access_denied",
      "Odoo refused the login or API key: check the user and the key (an API key can expire or be revoked).",
      details,
    );
  if (name.endsWith("AccessError"))
    return new OdooError(
      "odoo.access_error",
      `The Odoo user may not read this data${where}: give it the rights (e.g. the Sales "User" group) or use another user. Odoo said: ${said}`,
      details,
    );
  if (name.endsWith("SessionExpiredException"))
    return new OdooError(
      "odoo.session_expired",
      "The Odoo session expired: sign in again.",
      details,
    );
  if (isUnknownDatabase(name, said))
    return new OdooError(
      "odoo.unknown_database",
      `Odoo has no database named "${context.database ?? "?"}": check the database name.`,
      details,
    );
  if (isUnknownModel(name, said))
    return new OdooError(
      "odoo.unknown_model",
      `This Odoo has no such model${where}: the module that provides it (e.g. Sales) may not be installed.`,
      details,
    );
  if (name.endsWith("NotFound"))
    return new OdooError(
      "odoo.bad_url",
      "This address does not answer as Odoo's API: check the URL (the address you open Odoo with, without /odoo or /web).",
      details,
    );
  // A generic server failure (werkzeug's 500/502/503), a serialization failure or a lock the
  // server gave up on: the same call later will work. A Python error in the call itself will not.
  if (/InternalServerError|ServiceUnavailable|BadGateway|GatewayTimeout/.test(name))
    return new OdooError("odoo.unavailable", `Odoo failed to answer${where}; try again.`, details);
  if (
    /SerializationFailure|TransactionRollbackError|LockNotAvailable|concurrent update/i.test(
      `${name} ${said}`,
    )
  )
    return new OdooError("odoo.unavailable", `Odoo was busy${where}; try again.`, details);
  return new OdooError(
    "odoo.server_error",
    `Odoo reported an error${where}: ${said || name}`,
    details,
  );
}

function isUnknownDatabase(name: string, message: string): boolean {
  return (
    /database ".*" does not exist/i.test(message) ||
    (name.endsWith("OperationalError") && /database/i.test(message)) ||
    /no database|database not found|database .* not found/i.test(message)
  );
}

function isUnknownModel(name: string, message: string): boolean {
  return (
    /Object .* doesn't exist/i.test(message) ||
    /model .* (does not|doesn't) exist/i.test(message) ||
    /Unknown model/i.test(message) ||
    (name.endsWith("KeyError") && /^'?[a-z_]+\.[a-z_.]+'?$/.test(message))
  );
}

/** A response that is not an Odoo answer at all: a proxy, a wrong address, a server down. */
export function failureFromHttpStatus(
  status: number,
  retryAfter: string | null,
  context: { model?: string; method?: string } = {},
): OdooError {
  const details = { status, ...context };
  if (status === 429)
    return new OdooError(
      "odoo.rate_limited",
      "Odoo asked us to slow down (too many requests).",
      details,
      parseRetryAfter(retryAfter),
    );
  if (status >= 500)
    return new OdooError(
      "odoo.unavailable",
      `Odoo is not answering properly (HTTP ${status}); it may be restarting or overloaded.`,
      details,
      parseRetryAfter(retryAfter),
    );
  if (status === 401 || status === 403)
    return new OdooError(
      "odoo.access_denied",
      "Odoo refused the login or API key: check the user and the key.",
      details,
    );
  return new OdooError(
    "odoo.bad_url",
    `This address does not answer as Odoo's API (HTTP ${status}): check the URL.`,
    details,
  );
}

/** Retry-After in seconds (delta-seconds only; an HTTP date is rare enough to ignore). */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value.trim());
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/**
 * A model this Odoo does not have (a module not installed) or this user may not read: it says
 * nothing about the other models, which a sync or a check goes on with.
 */
export const isModelUnavailableCode = (code: string): boolean =>
  code === "odoo.unknown_model" || code === "odoo.access_error";

export const isModelUnavailable = (error: unknown): error is AppError =>
  isAppError(error) && isModelUnavailableCode(error.code);
