import { pythonRepr } from "./convert.ts";
import { typeError, valueError } from "./python-errors.ts";
import { fieldsGet, readRecords } from "./read-format.ts";
import { searchIds } from "./search.ts";
import type { Store } from "./store.ts";
import type { VersionTraits } from "./versions.ts";

export type AccessMode = "read" | "write" | "create" | "unlink";

interface Param {
  name: string;
  required?: boolean;
  default?: unknown;
}

/** A public ORM method: its Python signature (after `self`) and what it does. */
export interface MethodSpec {
  /** `@api.model` methods take no ids; record methods are called on `ids`. */
  api: "model" | "records";
  params: Param[];
  /** search_read's `**read_kwargs`, handed to read(). */
  varKw?: boolean;
  mode: AccessMode;
  run(call: BoundCall): unknown;
}

export interface BoundCall {
  store: Store;
  model: string;
  ids: number[];
  params: Record<string, unknown>;
  extra: Record<string, unknown>;
  context: Record<string, unknown>;
  uid: number;
  /** create() called with a single dict returns an id over JSON-RPC, ids over JSON-2. */
  protocol: "jsonrpc" | "json2";
}

const optional = (name: string, value: unknown = null): Param => ({ name, default: value });
const required = (name: string): Param => ({ name, required: true });

/** The methods the fake implements, with the signatures of odoo/models.py. */
export function methodSpecs(traits: VersionTraits): Record<string, MethodSpec> {
  // `search(self, args, …)` and `search_count(self, args, …)` until 16.0; `domain` from 17.0.
  const domainParam = traits.major <= 16 ? "args" : "domain";
  const read: MethodSpec = {
    api: "records",
    params: [optional("fields"), optional("load", "_classic_read")],
    mode: "read",
    run: (c) =>
      readRecords(c.store, c.model, c.ids, c.params.fields, { load: c.params.load, uid: c.uid }),
  };
  return {
    search_read: {
      api: "model",
      params: [
        optional("domain"),
        optional("fields"),
        optional("offset", 0),
        optional("limit"),
        optional("order"),
      ],
      varKw: true,
      mode: "read",
      run: (c) => {
        // From 17.0 search_read goes through search_fetch, which checks the fields first.
        if (traits.major >= 17) readRecords(c.store, c.model, [], c.params.fields, { uid: c.uid });
        const ids = searchIds(c.store, c.model, c.params.domain, {
          ...c.params,
          context: c.context,
        });
        if (!ids.length) return [];
        const unknown = Object.keys(c.extra).find((k) => k !== "load");
        if (unknown)
          throw typeError(`BaseModel.read() got an unexpected keyword argument '${unknown}'`);
        return readRecords(c.store, c.model, ids, c.params.fields, {
          load: c.extra.load,
          uid: c.uid,
        });
      },
    },
    search: {
      api: "model",
      params: [
        required(domainParam),
        optional("offset", 0),
        optional("limit"),
        optional("order"),
        ...(traits.major <= 16 ? [optional("count", false)] : []),
      ],
      mode: "read",
      run: (c) => {
        const ids = searchIds(c.store, c.model, c.params[domainParam], {
          ...c.params,
          context: c.context,
        });
        return c.params.count ? ids.length : ids;
      },
    },
    search_count: {
      api: "model",
      params: [required(domainParam), optional("limit")],
      mode: "read",
      run: (c) =>
        searchIds(c.store, c.model, c.params[domainParam], {
          limit: c.params.limit,
          context: c.context,
        }).length,
    },
    read,
    fields_get: {
      api: "model",
      params: [optional("allfields"), optional("attributes")],
      mode: "read",
      run: (c) => fieldsGet(c.store, c.model, c.params.allfields, c.params.attributes),
    },
    create: {
      api: "model",
      params: [required("vals_list")],
      mode: "create",
      run: (c) => {
        const single = !Array.isArray(c.params.vals_list);
        const list = (single ? [c.params.vals_list] : c.params.vals_list) as Array<
          Record<string, unknown>
        >;
        const ids = c.store.asUser(c.uid, () =>
          list.map((vals) => c.store.create(c.model, vals ?? {})),
        );
        return single && c.protocol === "jsonrpc" ? ids[0] : ids;
      },
    },
    write: {
      api: "records",
      params: [required("vals")],
      mode: "write",
      run: (c) => {
        c.store.asUser(c.uid, () =>
          c.store.write(c.model, c.ids, (c.params.vals ?? {}) as Record<string, unknown>),
        );
        return true;
      },
    },
    unlink: {
      api: "records",
      params: [],
      mode: "unlink",
      run: (c) => {
        c.store.asUser(c.uid, () => c.store.unlink(c.model, c.ids));
        return true;
      },
    },
  };
}

/**
 * Binds positional and keyword arguments to a signature like Python does, or explains why not
 * in CPython's words (which the JSON-RPC error carries as a TypeError).
 */
export function bindArguments(
  method: string,
  spec: MethodSpec,
  positional: unknown[],
  keywords: Record<string, unknown>,
):
  | { params: Record<string, unknown>; extra: Record<string, unknown> }
  | { error: string; inspect: string } {
  const params: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  const qualified = `BaseModel.${method}()`;
  if (positional.length > spec.params.length) {
    const min = spec.params.filter((p) => p.required).length + 1;
    const max = spec.params.length + 1;
    const takes = min === max ? `${max}` : `from ${min} to ${max}`;
    return {
      error: `${qualified} takes ${takes} positional arguments but ${positional.length + 1} were given`,
      inspect: "too many positional arguments",
    };
  }
  positional.forEach((value, i) => (params[spec.params[i]!.name] = value));
  for (const [key, value] of Object.entries(keywords)) {
    if (key in params)
      return {
        error: `${qualified} got multiple values for argument '${key}'`,
        inspect: `multiple values for argument '${key}'`,
      };
    if (spec.params.some((p) => p.name === key)) params[key] = value;
    else if (spec.varKw) extra[key] = value;
    else
      return {
        error: `${qualified} got an unexpected keyword argument '${key}'`,
        inspect: `got an unexpected keyword argument '${key}'`,
      };
  }
  for (const p of spec.params) {
    if (p.name in params) continue;
    if (p.required)
      return {
        error: `${qualified} missing 1 required positional argument: '${p.name}'`,
        inspect: `missing a required argument: '${p.name}'`,
      };
    params[p.name] = p.default;
  }
  return { params, extra };
}

/** Ids as call_kw accepts them: one id or a list of ids. */
export function idsOf(value: unknown): number[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v !== "number")
      throw valueError(`invalid literal for int() with base 10: ${pythonRepr(v)}`);
    return v;
  });
}
