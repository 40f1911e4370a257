import type { IncomingMessage, ServerResponse } from "node:http";
import {
  answerJson,
  answerText,
  answerWerkzeugPage,
  INTERNAL_ERROR_DESCRIPTION,
} from "./http-answers.ts";
import {
  accessDenied,
  PythonError,
  serializeException,
  sessionExpired,
  typeError,
} from "./python-errors.ts";
import { dispatchRpc } from "./rpc-services.ts";
import { applyTransportFault, type CallRecord, type ServerState } from "./server-state.ts";
import { rpcVersion } from "./versions.ts";

const JSON_MIMETYPES = ["application/json", "application/json-rpc"];

/**
 * `POST /jsonrpc` (odoo/addons/base/controllers/rpc.py, addons/rpc in 19.0) and the web client's
 * `/web/webclient/version_info`, both `type='json'` routes served by JsonRPCDispatcher
 * (odoo/http.py): errors are HTTP 200 with an `error` member, bad JSON a bare HTTP 400.
 */
export function handleJsonRpc(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
  raw: string,
) {
  const path = (req.url ?? "/").split("?")[0]!;
  const record: CallRecord = { protocol: "jsonrpc", method: path, status: 0 };
  state.calls.push(record);
  const mimetype = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (!JSON_MIMETYPES.includes(mimetype)) {
    const routeType = state.traits.major >= 19 ? "jsonrpc" : "json";
    const description = `Request inferred type is compatible with ['http'] but '${path}' is type='${routeType}'.`;
    record.status =
      state.traits.wrongContentTypeStatus === 415
        ? answerWerkzeugPage(res, 415, "Unsupported Media Type", description, {
            Accept: JSON_MIMETYPES.join(", "),
          })
        : answerWerkzeugPage(res, 400, "Bad Request", description);
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    record.status = answerText(res, 400, "Invalid JSON data");
    return;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    record.status = answerText(res, 400, "Invalid JSON-RPC data");
    return;
  }
  const envelope = body as { id?: unknown; params?: Record<string, unknown> };
  const id = envelope.id ?? null;
  const params = envelope.params ?? {};
  Object.assign(record, describeCall(path, params));

  const reply = (result: unknown) =>
    (record.status = answerJson(res, 200, { jsonrpc: "2.0", id, result }));
  const fail = (error: PythonError) =>
    (record.status = answerJson(res, 200, {
      jsonrpc: "2.0",
      id,
      error: errorMember(state, error),
    }));

  const fault = state.faults.take({ model: record.model, method: record.method });
  if (fault && applyTransportFault(state, res, fault, record)) return;
  if (fault?.kind === "http") {
    record.status = answerWerkzeugPage(
      res,
      500,
      "Internal Server Error",
      INTERNAL_ERROR_DESCRIPTION,
    );
    return;
  }
  if (fault?.kind === "access_denied") return fail(accessDenied());
  if (fault?.kind === "session_expired") return fail(sessionExpired());
  if (fault?.kind === "server_error")
    return fail(new PythonError(fault.name ?? "builtins.Exception", [fault.message]));

  try {
    if (path !== "/jsonrpc") return reply(rpcVersion(state.traits));
    for (const name of ["service", "method", "args"])
      if (!(name in params))
        throw typeError(`RPC.jsonrpc() missing 1 required positional argument: '${name}'`);
    const args = Array.isArray(params.args) ? params.args : [];
    reply(dispatchRpc(state, String(params.service), String(params.method), args));
  } catch (error) {
    if (error instanceof PythonError) fail(error);
    else throw error;
  }
}

/** `JsonRPCDispatcher.handle_error`. */
function errorMember(state: ServerState, error: PythonError) {
  if (error.pythonName === "odoo.http.SessionExpiredException")
    return { code: 100, message: "Odoo Session Expired", data: serializeException(error) };
  if (error.pythonName === "werkzeug.exceptions.NotFound")
    return { code: 404, message: "404: Not Found", data: serializeException(error) };
  return {
    code: state.traits.jsonRpcErrorCode,
    message: "Odoo Server Error",
    data: serializeException(error),
  };
}

/** What the calls log shows of a JSON-RPC request: the ORM call for `object`, else the service's. */
function describeCall(path: string, params: Record<string, unknown>): Partial<CallRecord> {
  if (path !== "/jsonrpc") return { method: "version_info" };
  const service = typeof params.service === "string" ? params.service : undefined;
  const args = Array.isArray(params.args) ? params.args : [];
  if (service !== "object") return { service, method: String(params.method ?? "") };
  return {
    service,
    model: String(args[3] ?? ""),
    method: String(args[4] ?? ""),
    args: (args[5] ?? []) as unknown[],
    kwargs: (args[6] ?? {}) as Record<string, unknown>,
  };
}
