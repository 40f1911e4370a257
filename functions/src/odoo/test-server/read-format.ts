import type { FieldDef } from "./model-types.ts";
import { invalidField } from "./python-errors.ts";
import { recordMissing, type Store } from "./store.ts";

/**
 * `BaseModel.read`: `id` first, many2one as `[id, display_name]` (or the bare id when `load` is
 * falsy), x2many as lists of ids, every empty value as `false`. Unknown fields are a ValueError,
 * missing records a MissingError.
 */
export function readRecords(
  store: Store,
  model: string,
  ids: number[],
  fields: unknown,
  options: { load?: unknown; uid: number },
): Array<Record<string, unknown>> {
  const defs = store.registry[model]!.fields;
  const wanted = Array.isArray(fields) && fields.length ? fields.map(String) : Object.keys(defs);
  for (const name of wanted) if (!(name in defs)) throw invalidField(name, model);
  for (const id of ids) if (!store.exists(model, id)) throw recordMissing(model, id, options.uid);
  const withNames = options.load === undefined || Boolean(options.load);
  return ids.map((id) => {
    const record: Record<string, unknown> = { id };
    for (const name of wanted) {
      if (name === "id") continue;
      record[name] = formatValue(store, defs[name]!, store.value(model, id, name), withNames);
    }
    return record;
  });
}

function formatValue(store: Store, field: FieldDef, value: unknown, withNames: boolean): unknown {
  switch (field.type) {
    case "many2one":
      if (typeof value !== "number") return false;
      return withNames ? [value, store.access.displayName(field.relation!, value)] : value;
    case "one2many":
    case "many2many":
      return Array.isArray(value) ? value : [];
    case "datetime": // stored to the microsecond (`create_date`, `write_date`), read to the second
      return typeof value === "string" ? value.slice(0, 19) : false;
    case "boolean":
      return Boolean(value);
    case "integer":
    case "float":
    case "monetary":
    case "many2one_reference":
      return Number(value || 0);
    default:
      return value ?? false;
  }
}

/** `fields_get(allfields, attributes)`: the description of each field, as the version has it. */
export function fieldsGet(store: Store, model: string, allfields: unknown, attributes: unknown) {
  const only = Array.isArray(allfields) && allfields.length ? new Set(allfields.map(String)) : null;
  const keep =
    Array.isArray(attributes) && attributes.length ? new Set(attributes.map(String)) : null;
  const result: Record<string, Record<string, unknown>> = {};
  for (const [name, field] of Object.entries(store.registry[model]!.fields)) {
    if (only && !only.has(name)) continue;
    const stored = !field.compute && field.type !== "one2many" && !field.delegated;
    const description: Record<string, unknown> = {
      type: field.type,
      string: field.string,
      required: Boolean(field.required),
      readonly:
        Boolean(field.readonly) || (Boolean(field.compute) && !field.inverse) || name === "id",
      store: stored,
      searchable: true,
      sortable: stored,
      ...(field.relation ? { relation: field.relation } : {}),
      ...(field.type === "one2many" ? { relation_field: field.inverseName } : {}),
      ...(field.selection ? { selection: field.selection } : {}),
    };
    result[name] = keep
      ? Object.fromEntries(Object.entries(description).filter(([key]) => keep.has(key)))
      : description;
  }
  return result;
}
