import { failureFromException, OdooError, type OdooException } from "@crm-reco/core";
import { exchange, httpFailure, type RetryPolicy, withRetries } from "./odoo-http.ts";
import type { OdooConnection, OdooParams, OdooTransport } from "./odoo-transport.ts";

/**
 * Odoo's JSON-2 API (19.0+): `POST /json/2/<model>/<method>` with the API key as a bearer token,
 * every parameter named in the body, one transaction per call; errors are HTTP statuses with a
 * JSON body `{name, message, arguments, context, debug}`. Passwords do not work here, only keys.
 */
export async function connectJson2(
  connection: OdooConnection,
  policy: RetryPolicy,
  serverVersion: string,
  onRetry?: (error: OdooError, attempt: number, delayMs: number) => void,
): Promise<OdooTransport> {
  const base = connection.url.replace(/\/+$/, "");
  const headers = {
    authorization: `bearer ${connection.secret}`,
    "x-odoo-database": connection.database,
  };
  return {
    protocol: "json2",
    serverVersion,
    call<T>(model: string, method: string, params: OdooParams = {}) {
      const context = { model, method, database: connection.database };
      return withRetries(
        policy,
        async () => {
          const answer = await exchange(
            `${base}/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`,
            { method: "POST", headers, body: params },
            policy.timeoutMs,
          );
          if (answer.status >= 200 && answer.status < 300) return answer.body as T;
          const exception = answer.body as OdooException | undefined;
          if (exception && typeof exception === "object" && typeof exception.name === "string") {
            // A Python exception is retried only when it is transient (a serialization failure):
            // an invalid field or domain would fail the same way every time.
            const failure = failureFromException(exception, context);
            if (answer.status === 404 && failure.code === "odoo.bad_url")
              throw unknownModelOrDatabase(exception, context);
            if (failure.code === "odoo.access_denied")
              throw new OdooError(
                "odoo.access_denied",
                "Odoo refused the API key: check it (JSON-2 takes an API key, not a password; keys expire).",
                failure.details ?? {},
              );
            throw failure;
          }
          // Odoo answers an unknown database (or a missing X-Odoo-Database when it serves several)
          // with its HTML 404 page; an unknown model or method gets a JSON 404.
          if (answer.status === 404 && answer.body === undefined)
            throw new OdooError(
              "odoo.unknown_database",
              `Odoo has no database named "${connection.database}" at this address: check the database name.`,
              context,
            );
          const failure = httpFailure(answer, context);
          if (failure.code === "odoo.access_denied")
            throw new OdooError(
              "odoo.access_denied",
              "Odoo refused the API key: check it (JSON-2 takes an API key, not a password; keys expire).",
              failure.details ?? {},
            );
          throw failure;
        },
        onRetry,
      );
    },
  };
}

/** JSON-2 answers 404 both for an unknown model or method and for an unknown database. */
function unknownModelOrDatabase(
  exception: OdooException,
  context: { model: string; method: string; database: string },
): OdooError {
  const said = exception.message ?? "";
  if (/database/i.test(said))
    return failureFromException(
      { ...exception, message: `database "${context.database}" does not exist` },
      context,
    );
  return new OdooError(
    "odoo.unknown_model",
    `This Odoo has no ${context.model}.${context.method}: the module that provides it (e.g. Sales) may not be installed.`,
    { exception: exception.name, odooMessage: said, ...context },
  );
}
