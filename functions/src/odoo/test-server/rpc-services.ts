import { pythonRepr } from "./convert.ts";
import { execute } from "./execute.ts";
import { accessDenied, keyError, PythonError, valueError } from "./python-errors.ts";
import { executeEnv, userByCredential, type ServerState } from "./server-state.ts";
import { rpcVersion } from "./versions.ts";

/** `odoo.http.dispatch_rpc`: the common, db and object services. */
export function dispatchRpc(
  state: ServerState,
  service: string,
  method: string,
  args: unknown[],
): unknown {
  if (service === "common") {
    if (method === "version") return rpcVersion(state.traits);
    if (method === "login" || method === "authenticate") {
      const [db, login, password] = args;
      openDatabase(state, db);
      const user = state.users.find((u) => u.login === login);
      return user && userByCredential(state, user.uid, password) ? user.uid : false;
    }
    throw new PythonError("builtins.Exception", [`Method not found: ${method}`]);
  }
  if (service === "db") {
    if (method === "list") return [...state.databases].sort();
    if (method === "server_version") return state.traits.version;
    throw new PythonError("builtins.KeyError", [`exp_${method}`]);
  }
  if (service === "object") {
    const [db, rawUid, password, model, ormMethod, ormArgs, ormKwargs] = args;
    const uid = Number.parseInt(String(rawUid), 10);
    if (Number.isNaN(uid))
      throw valueError(`invalid literal for int() with base 10: ${pythonRepr(rawUid)}`);
    openDatabase(state, db);
    if (!userByCredential(state, uid, password)) throw accessDenied();
    if (method !== "execute" && method !== "execute_kw")
      throw new PythonError("builtins.NameError", [`Method not available ${method}`]);
    const positional =
      method === "execute_kw" ? (Array.isArray(ormArgs) ? ormArgs : []) : args.slice(5);
    const keywords = method === "execute_kw" && isRecord(ormKwargs) ? ormKwargs : {};
    return execute(executeEnv(state), {
      protocol: "jsonrpc",
      uid,
      model: String(model),
      method: String(ormMethod),
      args: positional,
      kwargs: keywords,
    });
  }
  throw keyError(service);
}

/** `Registry(db)` on a database that does not exist fails in psycopg2. */
function openDatabase(state: ServerState, db: unknown) {
  if (typeof db === "string" && state.databases.includes(db)) return;
  throw new PythonError("psycopg2.OperationalError", [
    `connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "${String(db)}" does not exist\n`,
  ]);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
