import type { IncomingMessage, ServerResponse } from "node:http";
import { execute } from "./execute.ts";
import {
  answerJson,
  answerNotFoundPage,
  answerWerkzeugPage,
  INTERNAL_ERROR_DESCRIPTION,
} from "./http-answers.ts";
import { httpException, PythonError, serializeException, sessionExpired } from "./python-errors.ts";
import {
  applyTransportFault,
  executeEnv,
  type CallRecord,
  type ServerState,
} from "./server-state.ts";

const UNAUTHORIZED_HEADERS = { "WWW-Authenticate": "Bearer" };

/**
 * `POST /json/2/<model>/<method>` (addons/rpc/controllers/json2.py, Json2Dispatcher in
 * odoo/http.py, `_auth_method_bearer` in base/models/ir_http.py): the database comes from
 * X-Odoo-Database or is the only one; errors are 4xx/5xx with a serialized exception.
 */
export function handleJson2(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
  raw: string,
) {
  const path = (req.url ?? "/").split("?")[0]!;
  const match = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
  const [model, method] = match
    ? [decodeURIComponent(match[1]!), decodeURIComponent(match[2]!)]
    : [];
  const record: CallRecord = {
    protocol: "json2",
    model,
    method: method ?? `${req.method} ${path}`,
    status: 0,
  };
  state.calls.push(record);
  const fail = (error: PythonError) => {
    const headers = error.werkzeug?.headers ?? {};
    record.status = answerJson(res, error.json2Status, serializeException(error), headers);
  };

  const db = selectDatabase(state, req.headers["x-odoo-database"]);
  if (!db) {
    record.status = answerNotFoundPage(res);
    return;
  }
  if (!match || req.method !== "POST")
    return fail(httpException(404, "NotFound", "Did you mean POST /json/2/<model>/<method>?"));

  const fault = state.faults.take({ model, method });
  if (fault && applyTransportFault(state, res, fault, record)) return;
  if (fault?.kind === "http")
    return fail(httpException(500, "InternalServerError", INTERNAL_ERROR_DESCRIPTION));
  if (fault?.kind === "access_denied") return fail(invalidApiKey());
  if (fault?.kind === "session_expired") return fail(sessionExpired());
  if (fault?.kind === "server_error")
    return fail(new PythonError(fault.name ?? "builtins.Exception", [fault.message]));

  const mimetype = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (raw.length && mimetype !== "application/json") {
    record.status = answerWerkzeugPage(
      res,
      415,
      "Unsupported Media Type",
      `Request inferred type is compatible with ['http'] but '/json/2/<model>/<method>' is type='json2'.`,
      { Accept: "application/json" },
    );
    return;
  }

  const bearer = /^bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim();
  if (bearer === undefined)
    return fail(
      httpException(
        401,
        "Unauthorized",
        'User not authenticated, use the "Authorization" header',
        UNAUTHORIZED_HEADERS,
      ),
    );
  const user = state.users.find((u) => (u.apiKeys ?? []).includes(bearer));
  if (!user) return fail(invalidApiKey());

  const body = parseBody(raw);
  if (body instanceof PythonError) return fail(body);
  const { ids, ...kwargs } = body;
  Object.assign(record, { args: ids === undefined ? [] : [ids], kwargs });

  try {
    const result = execute(executeEnv(state), {
      protocol: "json2",
      uid: user.uid,
      model: model!,
      method: method!,
      body,
    });
    record.status = answerJson(res, 200, result ?? null);
  } catch (error) {
    if (error instanceof PythonError) fail(error);
    else throw error;
  }
}

/** Request._get_session_and_dbname: the header's database, else the only one, else none. */
function selectDatabase(state: ServerState, header: string | string[] | undefined) {
  if (typeof header === "string") return state.databases.includes(header) ? header : null;
  return state.databases.length === 1 ? state.databases[0]! : null;
}

/** Json2Dispatcher.dispatch: a JSON object body gives the parameters; any other JSON is ignored. */
function parseBody(raw: string): Record<string, unknown> | PythonError {
  if (!raw.length) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    const reason = (error as Error).message;
    return httpException(400, "BadRequest", `could not parse the body as json: ${reason}`);
  }
  // `self.jsonrequest | args` raises TypeError on a list, and the dispatcher keeps args only.
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : {};
}

const invalidApiKey = () =>
  httpException(401, "Unauthorized", "Invalid apikey", UNAUTHORIZED_HEADERS);
