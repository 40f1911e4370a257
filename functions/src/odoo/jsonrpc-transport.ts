import { failureFromException, OdooError, type OdooException } from "@crm-reco/core";
import { exchange, httpFailure, type RetryPolicy, withRetries } from "./odoo-http.ts";
import type { OdooConnection, OdooParams, OdooTransport } from "./odoo-transport.ts";

/**
 * The classic external API (`/jsonrpc`, Odoo ≤ 19; removed in 20): `common.authenticate` once
 * for the uid, then `object.execute_kw(db, uid, secret, model, method, args, kwargs)`, which
 * checks the credentials on every call. The uid is cached: Odoo slows down repeated logins.
 */
export async function connectJsonRpc(
  connection: OdooConnection,
  policy: RetryPolicy,
  onRetry?: (error: OdooError, attempt: number, delayMs: number) => void,
): Promise<OdooTransport> {
  const endpoint = `${connection.url.replace(/\/+$/, "")}/jsonrpc`;
  let requestId = 0;
  const rpc = <T>(
    service: string,
    method: string,
    args: unknown[],
    context: { model?: string; method?: string } = {},
  ) =>
    withRetries(
      policy,
      async () => {
        const answer = await exchange(
          endpoint,
          {
            method: "POST",
            body: {
              jsonrpc: "2.0",
              method: "call",
              params: { service, method, args },
              id: ++requestId,
            },
          },
          policy.timeoutMs,
        );
        const envelope = answer.body as
          | { result?: unknown; error?: { code?: number; message?: string; data?: OdooException } }
          | undefined;
        if (answer.status !== 200 || !envelope || typeof envelope !== "object")
          throw httpFailure(answer, context);
        if (envelope.error)
          throw rpcFailure(envelope.error, { ...context, database: connection.database });
        return envelope.result as T;
      },
      onRetry,
    );

  const version = await rpc<{ server_version?: string }>("common", "version", []);
  const uid = await rpc<number | false>("common", "authenticate", [
    connection.database,
    connection.login,
    connection.secret,
    {},
  ]);
  if (typeof uid !== "number" || uid <= 0)
    throw new OdooError(
      "odoo.access_denied",
      "Odoo refused the login or API key: check the user and the key (an API key can expire or be revoked).",
      { login: connection.login },
    );

  return {
    protocol: "jsonrpc",
    serverVersion: version.server_version ?? "?",
    call<T>(model: string, method: string, params: OdooParams = {}) {
      const { ids, ...kwargs } = params;
      const args: unknown[] = ids ? [ids] : [];
      // search and search_count named their domain `args` until 16.0 and `domain` from 17.0:
      // given first and unnamed, it is understood by every version.
      if (DOMAIN_FIRST.has(method) && "domain" in kwargs) {
        args.push(kwargs.domain);
        delete kwargs.domain;
      }
      return rpc<T>(
        "object",
        "execute_kw",
        [connection.database, uid, connection.secret, model, method, args, kwargs],
        { model, method },
      );
    },
  };
}

const DOMAIN_FIRST = new Set(["search", "search_count"]);

/** A JSON-RPC error envelope: session expiry and "not found" by code, the rest by exception name. */
function rpcFailure(
  error: { code?: number; message?: string; data?: OdooException },
  context: { model?: string; method?: string; database?: string },
): OdooError {
  if (error.code === 100)
    return failureFromException(
      { name: "odoo.http.SessionExpiredException", message: error.message },
      context,
    );
  if (error.code === 404 && !error.data?.name)
    return failureFromException(
      { name: "werkzeug.exceptions.NotFound", message: error.message },
      context,
    );
  return failureFromException(error.data ?? { message: error.message }, context);
}
