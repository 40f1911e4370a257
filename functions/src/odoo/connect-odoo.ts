import { OdooError } from "@crm-reco/core";
import { connectJson2 } from "./json2-transport.ts";
import { connectJsonRpc } from "./jsonrpc-transport.ts";
import { defaultRetryPolicy, exchange, type RetryPolicy, withRetries } from "./odoo-http.ts";
import { majorVersion, type OdooConnection, type OdooTransport } from "./odoo-transport.ts";

export interface ConnectOptions {
  policy?: RetryPolicy;
  onRetry?: (error: OdooError, attempt: number, delayMs: number) => void;
}

/**
 * Opens a transport to an Odoo, choosing the protocol by probing unless the source sets it:
 * JSON-2 from 19.0 (the legacy API is deprecated there and gone in 20), the legacy JSON-RPC
 * before. The probe asks the version without credentials (`common.version`, then `/web/version`).
 */
export async function connectOdoo(
  connection: OdooConnection,
  options: ConnectOptions = {},
): Promise<OdooTransport> {
  const policy = options.policy ?? defaultRetryPolicy;
  checkUrl(connection.url);
  const wanted = connection.protocol ?? "auto";
  if (wanted === "jsonrpc") return connectJsonRpc(connection, policy, options.onRetry);
  const probe = await probeVersion(connection.url, policy, options.onRetry);
  if (wanted === "json2" || probe.json2)
    return connectJson2(connection, policy, probe.version, options.onRetry);
  return connectJsonRpc(connection, policy, options.onRetry);
}

interface Probe {
  version: string;
  /** `/jsonrpc` answered. */
  legacy: boolean;
  /** `/web/version` answered (19.0+ also serve JSON-2). */
  json2: boolean;
}

async function probeVersion(
  url: string,
  policy: RetryPolicy,
  onRetry: ConnectOptions["onRetry"],
): Promise<Probe> {
  const base = url.replace(/\/+$/, "");
  const legacy = await withRetries(
    policy,
    () =>
      exchange(
        `${base}/jsonrpc`,
        {
          method: "POST",
          body: {
            jsonrpc: "2.0",
            method: "call",
            params: { service: "common", method: "version", args: [] },
            id: 0,
          },
        },
        policy.timeoutMs,
      ).then(transientOnly),
    onRetry,
  );
  const legacyVersion = (legacy.body as { result?: { server_version?: string } } | undefined)
    ?.result?.server_version;
  const web = await withRetries(
    policy,
    () => exchange(`${base}/web/version`, { method: "GET" }, policy.timeoutMs).then(transientOnly),
    onRetry,
  );
  const webVersion = (web.body as { version?: string } | undefined)?.version;
  if (!legacyVersion && !webVersion)
    throw new OdooError(
      "odoo.bad_url",
      `This address does not answer as Odoo (HTTP ${legacy.status} on /jsonrpc, ${web.status} on /web/version): check the URL — the address you open Odoo with, without /odoo or /web.`,
      { url: base },
    );
  return {
    version: legacyVersion ?? webVersion ?? "?",
    legacy: Boolean(legacyVersion),
    json2: Boolean(webVersion) && majorVersion(webVersion ?? legacyVersion ?? "") >= 19,
  };
}

/** During the probe a 404 is an answer (that route does not exist); 429/5xx are worth retrying. */
function transientOnly<T extends { status: number; retryAfter: string | null }>(answer: T): T {
  if (answer.status === 429 || answer.status >= 500) {
    const retryAfter = answer.retryAfter === null ? undefined : Number(answer.retryAfter);
    throw new OdooError(
      answer.status === 429 ? "odoo.rate_limited" : "odoo.unavailable",
      `Odoo is not answering properly (HTTP ${answer.status}).`,
      { status: answer.status },
      Number.isFinite(retryAfter) ? retryAfter : undefined,
    );
  }
  return answer;
}

function checkUrl(url: string) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OdooError(
      "odoo.bad_url",
      `"${url}" is not a web address (e.g. https://estate.odoo.com).`,
    );
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    throw new OdooError("odoo.bad_url", `"${url}" is not an http(s) address.`);
}
