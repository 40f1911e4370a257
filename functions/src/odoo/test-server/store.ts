import { type FakeClock, formatDatetime, formatPreciseDatetime } from "./clock.ts";
import { convertScalar } from "./convert.ts";
import type {
  FieldDef,
  ModelDef,
  RawValue,
  Registry,
  Row,
  StoreAccess,
  Vals,
} from "./model-types.ts";
import { invalidField, missingError, validationError } from "./python-errors.ts";
import { applyX2manyCommands } from "./x2many.ts";

/** The superuser (`__system__`), who acts for the test's direct data access. */
export const SUPERUSER_ID = 1;

/**
 * In-memory tables behaving like the ORM's create/write/unlink: defaults, required fields,
 * foreign keys, x2many commands, `_inherits`, log-access fields from the fake clock, and each
 * model's own hooks (sequences, stored related fields…).
 */
export function createStore(registry: Registry, clock: FakeClock) {
  const tables = new Map<string, Map<number, Row>>(
    Object.keys(registry).map((m) => [m, new Map()]),
  );
  const nextIds = new Map<string, number>();
  const sequences = new Map<string, number>();
  let uid = SUPERUSER_ID;

  const modelDef = (model: string): ModelDef => {
    const def = registry[model];
    if (!def) throw new Error(`The fake Odoo has no model ${model}`);
    return def;
  };
  const fieldDef = (model: string, field: string): FieldDef => {
    const def = modelDef(model).fields[field];
    if (!def) throw invalidField(field, model);
    return def;
  };
  const table = (model: string) => tables.get(model) ?? new Map<number, Row>();
  const isStored = (field: FieldDef) => !field.compute && field.type !== "one2many";

  const value = (model: string, id: number, field: string): RawValue => {
    const def = fieldDef(model, field);
    if (field === "id") return id;
    if (def.compute) return def.compute(access, id);
    if (def.type === "one2many") {
      const inverse = def.inverseName!;
      return [...table(def.relation!).values()].filter((r) => r[inverse] === id).map((r) => r.id);
    }
    return table(model).get(id)?.[field] ?? false;
  };

  const now = () => formatDatetime(clock.now());
  const preciseNow = () => formatPreciseDatetime(clock.now());

  function create(
    model: string,
    vals: Vals,
    context: Record<string, unknown> = {},
    forcedId?: number,
  ): number {
    const def = modelDef(model);
    for (const key of Object.keys(vals)) fieldDef(model, key);
    let own: Vals = { ...vals };
    if (def.delegate) own = createOrWriteParent(def, own);
    for (const [name, field] of Object.entries(def.fields))
      if (isStored(field) && !(name in own) && name !== "id" && !field.delegated)
        own[name] = typeof field.default === "function" ? field.default(access) : field.default;
    if (def.prepareCreate) own = def.prepareCreate(access, own);

    const id =
      forcedId ?? Math.max(nextIds.get(model) ?? 1, Math.max(0, ...table(model).keys()) + 1);
    const row: Row = { id };
    for (const [name, field] of Object.entries(def.fields)) {
      if (!isStored(field) || field.delegated || name === "id") continue;
      row[name] = storedValue(model, name, field, own[name], []);
      if (field.required && row[name] === false) throw notNullViolation(def, name, field);
    }
    Object.assign(row, logAccess(true));
    nextIds.set(model, Math.max(id + 1, nextIds.get(model) ?? 1));
    table(model).set(id, row);
    afterStoring(model, id, vals);
    def.afterCreate?.(access, id, own, context);
    applyInverses(model, id, vals, { skipDelegated: true });
    return id;
  }

  /** `_inherits` create: the parent is created first (or updated when given). */
  function createOrWriteParent(def: ModelDef, vals: Vals): Vals {
    const { model: parent, field: link } = def.delegate!;
    const own: Vals = {};
    const parentVals: Vals = {};
    for (const [key, v] of Object.entries(vals))
      (def.fields[key]?.delegated ? parentVals : own)[key] = v;
    const given = own[link];
    if (typeof given === "number") {
      if (Object.keys(parentVals).length) write(parent, [given], parentVals);
    } else {
      own[link] = create(parent, parentVals, { [`create_${def.name.replace(/\./g, "_")}`]: true });
    }
    return own;
  }

  function write(model: string, ids: number[], vals: Vals) {
    const def = modelDef(model);
    for (const key of Object.keys(vals)) fieldDef(model, key);
    for (const id of ids) if (!table(model).has(id)) throw recordMissing(model, id, uid);
    for (const id of ids) {
      const row = table(model).get(id)!;
      for (const [name, v] of Object.entries(vals)) {
        const field = def.fields[name]!;
        if (isStored(field) && !field.delegated && name !== "id")
          row[name] = storedValue(model, name, field, v, row[name] ?? false);
      }
      afterStoring(model, id, vals);
      applyInverses(model, id, vals);
      Object.assign(row, logAccess(false));
    }
    def.afterWrite?.(access, ids, vals);
  }

  function unlink(model: string, ids: number[]) {
    for (const id of ids) if (!table(model).has(id)) throw recordMissing(model, id, uid);
    for (const id of ids) table(model).delete(id);
    // Foreign keys: ON DELETE CASCADE or SET NULL, and many2many relation rows go away.
    for (const [other, def] of Object.entries(registry))
      for (const [name, field] of Object.entries(def.fields)) {
        if (field.relation !== model || !isStored(field) || field.delegated) continue;
        for (const row of [...table(other).values()]) {
          if (field.type === "many2many" && Array.isArray(row[name]))
            row[name] = (row[name] as number[]).filter((x) => !ids.includes(x));
          if (field.type !== "many2one" || !ids.includes(row[name] as number)) continue;
          if (field.ondelete === "cascade") unlink(other, [row.id]);
          else row[name] = false;
        }
      }
  }

  /** Converts a stored value, checking that a many2one points to an existing record. */
  function storedValue(
    model: string,
    name: string,
    field: FieldDef,
    v: unknown,
    current: RawValue,
  ) {
    if (field.type === "many2many")
      return applyX2manyCommands(access, field, v, Array.isArray(current) ? current : [], null);
    if (field.type === "many2one") {
      const target = Array.isArray(v) ? v[0] : v;
      if (target === false || target === null || target === undefined || target === 0) return false;
      const id = Number(target);
      if (!table(field.relation!).has(id)) throw foreignKeyViolation(modelDef(model), name);
      return id;
    }
    return convertScalar(field, name, model, v);
  }

  /** one2many commands need the record to exist, so they run once it is stored. */
  function afterStoring(model: string, id: number, vals: Vals) {
    for (const [name, v] of Object.entries(vals)) {
      const field = modelDef(model).fields[name]!;
      if (field.type === "one2many" && !field.delegated)
        applyX2manyCommands(access, field, v, value(model, id, name) as number[], id);
    }
  }

  function applyInverses(
    model: string,
    id: number,
    vals: Vals,
    options = { skipDelegated: false },
  ) {
    for (const [name, v] of Object.entries(vals)) {
      const field = modelDef(model).fields[name]!;
      if (options.skipDelegated && field.delegated) continue;
      if (field.compute && field.inverse) field.inverse(access, id, v);
    }
  }

  const logAccess = (creating: boolean): Record<string, RawValue> => ({
    ...(creating ? { create_date: preciseNow(), create_uid: uid } : {}),
    write_date: preciseNow(),
    write_uid: uid,
  });

  const access: StoreAccess = {
    value,
    displayName: (model, id) => String(value(model, id, "display_name")),
    ids: (model) => [...table(model).keys()],
    row: (model, id) => table(model).get(id),
    create: (model, vals, context) => create(model, vals, context),
    write,
    unlink,
    fieldDef,
    relationOf: (model, field) => fieldDef(model, field).relation ?? model,
    nextSequence: (code) => {
      const next = (sequences.get(code) ?? 0) + 1;
      sequences.set(code, next);
      return next;
    },
    now,
    get uid() {
      return uid;
    },
  };

  return {
    access,
    registry,
    create: (model: string, vals: Vals) => create(model, vals),
    /** Seeding only: a record with the id it has in a real database (countries, users…). */
    createWithId: (model: string, id: number, vals: Vals) => create(model, vals, {}, id),
    write,
    unlink,
    value,
    hasModel: (model: string) => model in registry,
    exists: (model: string, id: number) => table(model).has(id),
    rows: (model: string) => [...table(model).values()].map((r) => ({ ...r })),
    /** Like the SQL transaction around every RPC call: on an exception nothing has changed. */
    transaction<T>(fn: () => T): T {
      const saved = structuredClone({ tables, nextIds, sequences });
      try {
        return fn();
      } catch (error) {
        for (const [model, rows] of saved.tables) tables.set(model, rows);
        for (const [map, copy] of [
          [nextIds, saved.nextIds],
          [sequences, saved.sequences],
        ] as const) {
          map.clear();
          for (const [k, v] of copy) map.set(k, v);
        }
        throw error;
      }
    },
    /** Runs `fn` with create_uid/write_uid and defaults taken from `actingUid`. */
    asUser<T>(actingUid: number, fn: () => T): T {
      const previous = uid;
      uid = actingUid;
      try {
        return fn();
      } finally {
        uid = previous;
      }
    },
  };
}

export type Store = ReturnType<typeof createStore>;

/** MissingError as `_check_records`/`check_access` word it. */
export const recordMissing = (model: string, id: number, uid: number) =>
  missingError(
    `Record does not exist or has been deleted.\n(Record: ${model}(${id},), User: ${uid})`,
  );

/** The ValidationError `odoo/service/model.py` makes of a NOT NULL violation. */
const notNullViolation = (def: ModelDef, name: string, field: FieldDef) =>
  validationError(
    "The operation cannot be completed:\n" +
      "- Create/update: a mandatory field is not set.\n" +
      "- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n" +
      `Model: ${def.description} (${def.name})\n` +
      `Field: ${field.string} (${name})\n`,
  );

/** …and of a FOREIGN KEY violation (the same words serve both directions in Odoo). */
const foreignKeyViolation = (def: ModelDef, name: string) =>
  validationError(
    "The operation cannot be completed: another model requires the record being deleted. " +
      "If possible, archive it instead.\n\n" +
      `Model: ${def.description} (${def.name})\n` +
      `Constraint: ${def.name.replace(/\./g, "_")}_${name}_fkey\n`,
  );
