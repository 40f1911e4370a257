import { matches, parseDomain } from "./domain.ts";
import type { RawValue } from "./model-types.ts";
import { invalidField, userError } from "./python-errors.ts";
import type { Store } from "./store.ts";

export interface SearchOptions {
  offset?: unknown;
  limit?: unknown;
  order?: unknown;
  context?: Record<string, unknown>;
}

/**
 * `BaseModel._search` in memory: the domain, `active_test` (archived records hidden unless the
 * context says `active_test: false` or the domain names `active`), then `order`, offset, limit.
 */
export function searchIds(
  store: Store,
  model: string,
  domain: unknown,
  options: SearchOptions = {},
) {
  const tree = parseDomain(store, model, domain);
  const order = parseOrder(store, model, options.order || store.registry[model]!.order);
  const fields = store.registry[model]!.fields;
  const activeTest =
    "active" in fields &&
    options.context?.active_test !== false &&
    !(Array.isArray(domain) && domain.some((leaf) => Array.isArray(leaf) && leaf[0] === "active"));
  const found = store.access
    .ids(model)
    .filter(
      (id) =>
        (!activeTest || store.value(model, id, "active") === true) &&
        matches(store, model, id, tree),
    )
    .sort((a, b) => compareRecords(store, model, order, a, b));
  const offset = Number(options.offset || 0);
  const limit = options.limit ? Number(options.limit) : undefined;
  return found.slice(offset, limit === undefined ? undefined : offset + limit);
}

type OrderTerm = { field: string; descending: boolean; nullsFirst: boolean };

const ORDER_TERM = /^\s*"?(\w+)"?(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$/i;

/** `_check_qorder` and `_order_to_sql`: "write_date asc, id asc", NULLS LAST unless descending. */
function parseOrder(store: Store, model: string, order: unknown): OrderTerm[] {
  const text = String(order);
  return text.split(",").map((term) => {
    const match = ORDER_TERM.exec(term);
    if (!match)
      throw userError(
        `Invalid "order" specified (${text}). A valid "order" specification is a comma-separated ` +
          "list of valid field names (optionally followed by asc/desc for the direction)",
      );
    const field = match[1]!;
    if (!(field in store.registry[model]!.fields)) throw invalidField(field, model);
    const descending = match[2]?.toLowerCase() === "desc";
    const nulls = match[3]?.toLowerCase();
    return { field, descending, nullsFirst: nulls ? nulls === "first" : descending };
  });
}

/** Orders like PostgreSQL (C collation); a many2one orders by its comodel's `_order`. */
function compareRecords(
  store: Store,
  model: string,
  order: OrderTerm[],
  a: number,
  b: number,
): number {
  for (const term of order) {
    const field = store.registry[model]!.fields[term.field]!;
    const [x, y] = [store.value(model, a, term.field), store.value(model, b, term.field)];
    const [xNull, yNull] = [isNull(x, field.type), isNull(y, field.type)];
    let result: number;
    if (xNull || yNull) result = xNull === yNull ? 0 : xNull === term.nullsFirst ? -1 : 1;
    else {
      result =
        field.type === "many2one"
          ? compareRecords(
              store,
              field.relation!,
              defaultOrder(store, field.relation!),
              x as number,
              y as number,
            )
          : compareValues(x, y);
      if (term.descending) result = -result;
    }
    if (result !== 0) return result;
  }
  return a - b;
}

const defaultOrder = (store: Store, model: string) =>
  parseOrder(store, model, store.registry[model]!.order);

const isNull = (value: RawValue, type: string) =>
  value === false && type !== "boolean" && type !== "integer" && type !== "float";

function compareValues(x: RawValue, y: RawValue): number {
  if (typeof x === "number" && typeof y === "number") return x - y;
  if (typeof x === "boolean" && typeof y === "boolean") return Number(x) - Number(y);
  const [s, t] = [String(x), String(y)];
  return s < t ? -1 : s > t ? 1 : 0;
}
