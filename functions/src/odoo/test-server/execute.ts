import { bindArguments, idsOf, methodSpecs, type AccessMode } from "./orm-methods.ts";
import {
  accessError,
  attributeError,
  httpException,
  PythonError,
  typeError,
  userError,
} from "./python-errors.ts";
import type { Store } from "./store.ts";
import type { VersionTraits } from "./versions.ts";

export type CallHook = (call: {
  model: string;
  method: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
}) => void;

export interface ExecuteEnv {
  store: Store;
  traits: VersionTraits;
  deniedModels(uid: number): string[];
  onCall: CallHook | null;
}

export type ExecuteRequest =
  | {
      protocol: "jsonrpc";
      uid: number;
      model: string;
      method: string;
      args: unknown[];
      kwargs: Record<string, unknown>;
    }
  | {
      protocol: "json2";
      uid: number;
      model: string;
      method: string;
      body: Record<string, unknown>;
    };

/**
 * One ORM call, checked in the order Odoo checks it for that protocol:
 * JSON-RPC (odoo/service/model.py execute_cr + odoo/api.py call_kw) or
 * JSON-2 (addons/rpc/controllers/json2.py web_json_2_rpc).
 */
export function execute(env: ExecuteEnv, request: ExecuteRequest): unknown {
  const { store, traits } = env;
  const { model, method, uid } = request;
  env.onCall?.(
    request.protocol === "jsonrpc"
      ? { model, method, args: request.args, kwargs: request.kwargs }
      : { model, method, args: [], kwargs: request.body },
  );
  const specs = methodSpecs(traits);
  const json2 = request.protocol === "json2";
  if (!json2 && !traits.publicMethodCheck && method.startsWith("_"))
    throw accessError(`Private methods (such as ${method}) cannot be called remotely.`);
  if (!store.hasModel(model))
    throw json2
      ? httpException(404, "NotFound", `the model '${model}' does not exist`)
      : userError(`Object ${model} doesn't exist`);
  if (method.startsWith("_"))
    throw accessError(`Private methods (such as '${model}.${method}') cannot be called remotely.`);
  const spec = specs[method];
  if (!spec) {
    const message = traits.publicMethodCheck
      ? `The method '${model}.${method}' does not exist`
      : `type object '${model}' has no attribute '${method}'`;
    throw json2 ? httpException(404, "NotFound", message) : attributeError(message);
  }

  let ids: number[] = [];
  let bound: ReturnType<typeof bindArguments>;
  let context: Record<string, unknown>;
  if (request.protocol === "jsonrpc") {
    const { context: given, ...keywords } = request.kwargs;
    context = isObject(given) ? given : {};
    let positional = request.args;
    if (spec.api === "records") {
      if (!positional.length)
        throw new PythonError("builtins.IndexError", ["list index out of range"]);
      ids = idsOf(positional[0]);
      positional = positional.slice(1);
    }
    bound = bindArguments(method, spec, positional, keywords);
    if ("error" in bound) throw typeError(bound.error);
  } else {
    const { ids: givenIds, context: given, ...keywords } = request.body;
    context = isObject(given) ? given : {};
    ids = givenIds === undefined || givenIds === null ? [] : idsOf(givenIds);
    if (spec.api === "model" && ids.length)
      throw httpException(422, "UnprocessableEntity", `cannot call ${model}.${method} with ids`);
    bound = bindArguments(method, spec, [], keywords);
    if ("error" in bound) throw httpException(422, "UnprocessableEntity", bound.inspect);
  }

  if (env.deniedModels(uid).includes(model)) throw modelAccessError(store, model, spec.mode);
  return store.transaction(() =>
    spec.run({
      store,
      model,
      ids,
      params: bound.params,
      extra: bound.extra,
      context,
      uid,
      protocol: request.protocol,
    }),
  );
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const VERBS: Record<AccessMode, string> = {
  read: "access",
  write: "modify",
  create: "create",
  unlink: "delete",
};

/** `ir.model.access._make_access_error`; the group names are illustrative. */
function modelAccessError(store: Store, model: string, mode: AccessMode) {
  const description = store.registry[model]!.description;
  const group = model.startsWith("sale.")
    ? "Sales / User: Own Documents Only"
    : "User types / Internal User";
  return accessError(
    `You are not allowed to ${VERBS[mode]} '${description}' (${model}) records.\n\n` +
      `This operation is allowed for the following groups:\n\t- ${group}\n\n` +
      "Contact your administrator to request access if necessary.",
  );
}
