import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isAppError } from "@crm-reco/core";
import { z } from "@hono/zod-openapi";

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "request.invalid" }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi("Error");

/** Error codes are `area.reason`; the reason decides the HTTP status. */
const statusByReason: Record<string, ContentfulStatusCode> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

export function statusForCode(code: string): ContentfulStatusCode {
  const reason = code.slice(code.lastIndexOf(".") + 1);
  return statusByReason[reason] ?? 422;
}

export const errorJson = (
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details?: Record<string, unknown>,
) => c.json({ error: { code, message, ...(details ? { details } : {}) } }, status);

/**
 * What Hono itself refuses before a handler runs (a body that is not JSON, or not valid JSON),
 * in our words: the client sent something wrong, so a 4xx, never a 500.
 */
const httpRefusals: Partial<Record<number, { code: string; message: string }>> = {
  400: { code: "request.invalid", message: "The request could not be read." },
  413: { code: "request.too_large", message: "The request body is too large." },
  415: {
    code: "request.unsupported_type",
    message: "Send the body as JSON, with Content-Type: application/json.",
  },
};

/** Expected failures keep their code; anything else is a 500 whose cause stays in the log. */
export function respondToError(c: Context, error: unknown) {
  if (isAppError(error))
    return errorJson(c, statusForCode(error.code), error.code, error.message, error.details);
  if (error instanceof HTTPException && error.status < 500) {
    const known = httpRefusals[error.status];
    return errorJson(
      c,
      error.status,
      known?.code ?? "request.refused",
      // Hono's own words ("Malformed JSON in request body") say which part was wrong.
      error.message || known?.message || "The request was refused.",
    );
  }
  const requestId = c.get("requestId") as string | undefined;
  c.get("log")?.error({ err: error, requestId }, "unhandled error");
  return errorJson(
    c,
    500,
    "internal",
    `Something went wrong on our side. Quote request id ${requestId ?? "?"} when reporting it.`,
    { requestId },
  );
}
