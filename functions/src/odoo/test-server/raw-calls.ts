/**
 * Raw HTTP calls to a (fake) Odoo, for the fake's own tests: nothing is interpreted, so the tests
 * see exactly the statuses, headers and bodies a client would.
 */
export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON (an HTML page). */
  json: unknown;
}

export async function rawFetch(url: string, init: RequestInit = {}): Promise<RawAnswer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export const jsonRpc = (
  base: string,
  service: string,
  method: string,
  args: unknown[],
  path = "/jsonrpc",
) =>
  rawFetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      method: "call",
      params: { service, method, args },
      id: 7,
    }),
  });

export interface Credentials {
  db: string;
  uid: number;
  secret: string;
}

export const executeKw = (
  base: string,
  credentials: Credentials,
  model: string,
  method: string,
  args: unknown[] = [],
  kwargs: Record<string, unknown> = {},
) =>
  jsonRpc(base, "object", "execute_kw", [
    credentials.db,
    credentials.uid,
    credentials.secret,
    model,
    method,
    args,
    kwargs,
  ]);

export const json2 = (
  base: string,
  model: string,
  method: string,
  body: unknown,
  options: { key?: string; db?: string; method?: string; contentType?: string } = {},
) =>
  rawFetch(`${base}/json/2/${model}/${method}`, {
    method: options.method ?? "POST",
    headers: {
      "content-type": options.contentType ?? "application/json",
      ...(options.key === undefined ? {} : { authorization: `bearer ${options.key}` }),
      ...(options.db === undefined ? {} : { "x-odoo-database": options.db }),
    },
    body:
      options.method === "GET" ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });

/** The `result` of a JSON-RPC answer, or a thrown error showing the whole answer. */
export function resultOf(answer: RawAnswer): unknown {
  const body = answer.json as { result?: unknown; error?: unknown } | undefined;
  if (answer.status !== 200 || !body || "error" in body)
    throw new Error(`expected a result, got ${answer.status} ${answer.text}`);
  return body.result;
}
