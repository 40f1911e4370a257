import { failureFromHttpStatus, isOdooError, OdooError } from "@crm-reco/core";

/** How patient we are with Odoo: per-request timeout and retries of transient failures. */
export interface RetryPolicy {
  timeoutMs: number;
  /** Tries after the first one, for network errors, timeouts, 429 and 5xx only. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  timeoutMs: 30_000,
  retries: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

/**
 * Exponential backoff with full jitter (a random wait up to the exponential cap), so that several
 * workers hitting a restarting Odoo do not come back in step. A Retry-After from the server wins.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterSeconds: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterSeconds !== undefined) return Math.min(retryAfterSeconds * 1000, policy.maxDelayMs);
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * cap);
}

/** Runs `attempt` until it succeeds, a non-transient failure happens, or the retries are spent. */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: () => Promise<T>,
  onRetry?: (error: OdooError, attemptNumber: number, delayMs: number) => void,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isOdooError(error) || !error.retryable || n > policy.retries) throw error;
      const delay = retryDelayMs(policy, n, error.retryAfterSeconds);
      onRetry?.(error, n, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

export interface HttpAnswer {
  status: number;
  /** The parsed JSON body, or undefined when the body is not JSON (a proxy's HTML page). */
  body: unknown;
  retryAfter: string | null;
}

/**
 * One HTTP exchange with a timeout. Network failures and timeouts become retryable OdooErrors;
 * any answer, whatever its status, is returned for the protocol to read.
 */
export async function exchange(
  url: string,
  init: { method: "GET" | "POST"; headers?: Record<string, string>; body?: unknown },
  timeoutMs: number,
): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method,
      headers: {
        accept: "application/json",
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "follow",
    });
  } catch (error) {
    throw networkFailure(url, error, timeoutMs);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw networkFailure(url, error, timeoutMs);
  }
  let body: unknown;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, retryAfter: response.headers.get("retry-after") };
}

function networkFailure(url: string, error: unknown, timeoutMs: number): OdooError {
  const name = (error as { name?: string }).name;
  if (name === "TimeoutError" || name === "AbortError")
    return new OdooError(
      "odoo.timeout",
      `Odoo did not answer within ${Math.round(timeoutMs / 1000)} s.`,
      { url: redact(url) },
    );
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? "";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return new OdooError(
      "odoo.bad_url",
      `The address ${hostOf(url)} does not exist: check the Odoo URL.`,
      { url: redact(url), code },
    );
  return new OdooError(
    "odoo.unreachable",
    `Could not reach Odoo at ${hostOf(url)}${code ? ` (${code})` : ""}.`,
    { url: redact(url), code },
  );
}

/** Non-JSON answers: classified by their status alone. */
export const httpFailure = (
  answer: HttpAnswer,
  context: { model?: string; method?: string },
): OdooError => failureFromHttpStatus(answer.status, answer.retryAfter, context);

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** URLs never carry credentials here, but a user may paste one that does (`https://u:p@host`). */
const redact = (url: string) => url.replace(/\/\/[^@/]*@/, "//");
