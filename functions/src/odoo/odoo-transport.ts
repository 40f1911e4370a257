/**
 * One way of calling Odoo's model methods. Callers name every parameter (`domain`, `fields`,
 * `ids`, `vals_list`, `context`), which is what JSON-2 takes as is and what the legacy
 * `execute_kw` takes as keyword arguments (with the ids as its one positional argument), so the
 * sync does not know which generation of the API it talks to.
 */
export interface OdooTransport {
  readonly protocol: "json2" | "jsonrpc";
  /** As the server reports it, e.g. "17.0" or "saas~18.2". */
  readonly serverVersion: string;
  call<T>(model: string, method: string, params?: OdooParams): Promise<T>;
}

export type OdooParams = { ids?: number[]; context?: Record<string, unknown> } & Record<
  string,
  unknown
>;

/** Where and as whom; the secret is an API key (JSON-2, or legacy) or a password (legacy only). */
export interface OdooConnection {
  url: string;
  database: string;
  login: string;
  secret: string;
  protocol?: "auto" | "json2" | "jsonrpc";
}

/** The major version number of "17.0", "saas~17.4", "19.0+e". */
export function majorVersion(version: string): number {
  const match = /(\d+)/.exec(version);
  return match ? Number(match[1]) : 0;
}
