import { comparableDatetime } from "./clock.ts";
import { pythonRepr } from "./convert.ts";
import type { RawValue } from "./model-types.ts";
import { valueError } from "./python-errors.ts";
import type { Store } from "./store.ts";

/** A parsed domain: Polish notation turned into a tree, leaves checked against the model. */
export type DomainNode =
  | { kind: "and" | "or"; children: DomainNode[] }
  | { kind: "not"; child: DomainNode }
  | { kind: "leaf"; path: string[]; operator: string; value: unknown }
  | { kind: "constant"; value: boolean };

const OPERATORS = new Set([
  "=",
  "!=",
  "<>",
  "<=",
  "<",
  ">",
  ">=",
  "=?",
  "=like",
  "=ilike",
  "like",
  "not like",
  "ilike",
  "not ilike",
  "in",
  "not in",
  "child_of",
  "parent_of",
]);

/** `expression.normalize_domain` + leaf checks: implicit '&' between terms, arity of '&', '|', '!'. */
export function parseDomain(store: Store, model: string, domain: unknown): DomainNode {
  if (domain === null || domain === undefined || domain === false)
    return { kind: "and", children: [] };
  if (!Array.isArray(domain)) throw valueError(`Invalid domain: ${pythonRepr(domain)}`);
  const stack: DomainNode[] = [];
  for (const item of [...domain].reverse()) {
    if (item === "&" || item === "|") {
      const [a, b] = [stack.pop(), stack.pop()];
      if (!a || !b) throw valueError(`Invalid domain: ${pythonRepr(domain)}`);
      stack.push({ kind: item === "&" ? "and" : "or", children: [a, b] });
    } else if (item === "!") {
      const child = stack.pop();
      if (!child) throw valueError(`Invalid domain: ${pythonRepr(domain)}`);
      stack.push({ kind: "not", child });
    } else stack.push(parseLeaf(store, model, item));
  }
  return { kind: "and", children: stack.reverse() };
}

function parseLeaf(store: Store, model: string, item: unknown): DomainNode {
  if (item === true || item === false) return { kind: "constant", value: item };
  if (!Array.isArray(item) || item.length !== 3 || typeof item[1] !== "string")
    throw valueError(`Invalid leaf ${pythonRepr(item)}`);
  const [left, operator, value] = item as [unknown, string, unknown];
  // TRUE_LEAF (1, '=', 1) and FALSE_LEAF (0, '=', 1)
  if (typeof left === "number") return { kind: "constant", value: left === value };
  if (typeof left !== "string" || !OPERATORS.has(operator.toLowerCase()))
    throw valueError(`Invalid leaf ${pythonRepr(item)}`);
  const path = left.split(".");
  let current = model;
  for (const [i, name] of path.entries()) {
    const field = store.registry[current]?.fields[name];
    if (!field) throw valueError(`Invalid field ${current}.${name} in leaf ${pythonLeaf(item)}`);
    if (i < path.length - 1) current = field.relation ?? current;
  }
  return { kind: "leaf", path, operator: operator.toLowerCase(), value };
}

const pythonLeaf = (leaf: unknown[]) => `(${leaf.map(pythonRepr).join(", ")})`;

export function matches(store: Store, model: string, id: number, node: DomainNode): boolean {
  switch (node.kind) {
    case "and":
      return node.children.every((c) => matches(store, model, id, c));
    case "or":
      return node.children.some((c) => matches(store, model, id, c));
    case "not":
      return !matches(store, model, id, node.child);
    case "constant":
      return node.value;
    case "leaf":
      return matchesLeaf(store, model, id, node.path, node.operator, node.value);
  }
}

function matchesLeaf(
  store: Store,
  model: string,
  id: number,
  path: string[],
  operator: string,
  value: unknown,
): boolean {
  const [name, ...rest] = path as [string, ...string[]];
  const field = store.registry[model]!.fields[name]!;
  const raw = store.value(model, id, name);
  if (rest.length) {
    // A path through a relation matches when any related record matches the rest of it.
    const related = Array.isArray(raw) ? raw : typeof raw === "number" ? [raw] : [];
    return related.some((r) => matchesLeaf(store, field.relation!, r, rest, operator, value));
  }
  if (operator === "=?") return value === false || value === null ? true : compare(raw, "=", value);
  if (operator === "child_of" || operator === "parent_of")
    return hierarchyMatch(store, field.relation ?? model, raw, operator, value);
  if (field.type === "one2many" || field.type === "many2many")
    return x2manyMatch(store, field.relation!, raw as number[], operator, value);
  if (
    field.type === "many2one" &&
    typeof value === "string" &&
    operator !== "in" &&
    operator !== "not in"
  )
    return compare(
      typeof raw === "number" ? store.access.displayName(field.relation!, raw) : false,
      operator,
      value,
    );
  if (field.type === "datetime" && typeof raw === "string" && typeof value === "string")
    return compare(comparableDatetime(raw), operator, comparableDatetime(value));
  return compare(raw, operator, value);
}

/** `x2many = False` means empty; `= id` / `in ids` mean "contains"; strings match display names. */
function x2manyMatch(
  store: Store,
  relation: string,
  ids: number[],
  operator: string,
  value: unknown,
) {
  if (value === false || value === null) {
    if (operator === "=") return ids.length === 0;
    if (operator === "!=" || operator === "<>") return ids.length > 0;
  }
  if (typeof value === "string")
    return ids.some((id) => compare(store.access.displayName(relation, id), operator, value));
  const wanted = (Array.isArray(value) ? value : [value]).map(Number);
  const hit = ids.some((id) => wanted.includes(id));
  return operator === "!=" || operator === "<>" || operator === "not in" ? !hit : hit;
}

/** SQL semantics of one comparison, NULL (false) included the way Odoo writes its queries. */
function compare(raw: RawValue, operator: string, value: unknown): boolean {
  const isNull = raw === false && typeof raw === "boolean";
  switch (operator) {
    case "=":
      if (value === false || value === null) return isNull;
      return equal(raw, value);
    case "!=":
    case "<>":
      if (value === false || value === null) return !isNull;
      return !equal(raw, value);
    case "in":
    case "not in": {
      const list = Array.isArray(value) ? value : [value];
      const withNull = list.some((v) => v === false || v === null);
      const hit = (isNull && withNull) || (!isNull && list.some((v) => equal(raw, v)));
      return operator === "in" ? hit : !hit;
    }
    case "<":
    case "<=":
    case ">":
    case ">=":
      if (isNull && typeof value !== "boolean") return false;
      return ordered(raw, operator, value);
    case "like":
    case "ilike":
    case "=like":
    case "=ilike":
      return !isNull && like(String(raw), operator, value);
    case "not like":
    case "not ilike":
      return isNull || !like(String(raw), operator.slice(4), value);
    default:
      throw valueError(`Invalid operator ${pythonRepr(operator)}`);
  }
}

function equal(raw: RawValue, value: unknown): boolean {
  if (typeof raw === "boolean") return raw === Boolean(value);
  if (typeof raw === "number") return raw === Number(value);
  return raw === value;
}

function ordered(raw: RawValue, operator: string, value: unknown): boolean {
  const [a, b] = typeof raw === "number" ? [raw, Number(value)] : [String(raw), String(value)];
  if (operator === "<") return a < b;
  if (operator === "<=") return a <= b;
  if (operator === ">") return a > b;
  return a >= b;
}

/** like/ilike wrap the value in %…%; =like/=ilike take it as the pattern. % and _ are wildcards. */
function like(text: string, operator: string, value: unknown): boolean {
  const pattern = operator.startsWith("=") ? String(value) : `%${String(value)}%`;
  const regex = pattern
    .split("")
    .map((c) => (c === "%" ? ".*" : c === "_" ? "." : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${regex}$`, operator.includes("ilike") ? "is" : "s").test(text);
}

/** child_of / parent_of on a model with a parent_id (partners, product categories). */
function hierarchyMatch(
  store: Store,
  relation: string,
  raw: RawValue,
  operator: string,
  value: unknown,
) {
  const wanted = (Array.isArray(value) ? value : [value]).map(Number);
  const own = Array.isArray(raw) ? raw : typeof raw === "number" ? [raw] : [];
  const ancestors = (id: number) => {
    const chain: number[] = [];
    for (let current: RawValue = id; typeof current === "number" && chain.length < 50;) {
      chain.push(current);
      current = store.registry[relation]?.fields.parent_id
        ? store.value(relation, current, "parent_id")
        : false;
    }
    return chain;
  };
  return operator === "child_of"
    ? own.some((id) => ancestors(id).some((a) => wanted.includes(a)))
    : wanted.some((w) => ancestors(w).some((a) => own.includes(a)));
}
