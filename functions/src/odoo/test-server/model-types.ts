/**
 * How the fake describes Odoo models: enough of `fields.Field` to answer fields_get, evaluate
 * domains on any field (stored or computed) and format reads the way the ORM does.
 */

/** A value as the ORM caches it: many2one → id or false, x2many → ids, empty → false. */
export type RawValue = string | number | boolean | number[];
export type Row = Record<string, RawValue> & { id: number };
export type Vals = Record<string, unknown>;

export type FieldType =
  | "integer"
  | "float"
  | "monetary"
  | "char"
  | "text"
  | "html"
  | "boolean"
  | "date"
  | "datetime"
  | "selection"
  | "many2one"
  | "many2one_reference"
  | "one2many"
  | "many2many";

/** What computes, defaults and hooks may read and do. */
export interface StoreAccess {
  value(model: string, id: number, field: string): RawValue;
  displayName(model: string, id: number): string;
  ids(model: string): number[];
  row(model: string, id: number): Row | undefined;
  /** `context` plays the part of Odoo's with_context flags (e.g. create_product_product). */
  create(model: string, vals: Vals, context?: Record<string, unknown>): number;
  write(model: string, ids: number[], vals: Vals): void;
  unlink(model: string, ids: number[]): void;
  fieldDef(model: string, field: string): FieldDef;
  relationOf(model: string, field: string): string;
  /** `ir.sequence.next_by_code`: 1, 2, 3… per code. */
  nextSequence(code: string): number;
  now(): string;
  uid: number;
}

export interface FieldDef {
  type: FieldType;
  string: string;
  relation?: string;
  /** one2many: the many2one of the comodel that points back. */
  inverseName?: string;
  selection?: Array<[string, string]>;
  required?: boolean;
  readonly?: boolean;
  /** Not stored: the value is computed on every read. */
  compute?: (store: StoreAccess, id: number) => RawValue;
  /** For a computed field that can be written (related fields, lst_price…). */
  inverse?: (store: StoreAccess, id: number, value: unknown) => void;
  default?: RawValue | ((store: StoreAccess) => RawValue);
  /** Comes from the `_inherits` parent: creating or writing it goes to the parent record. */
  delegated?: boolean;
  /** many2one: what happens to this record when the target is deleted. */
  ondelete?: "set null" | "cascade";
}

export interface ModelDef {
  name: string;
  /** `_description`, used in ir.model and in access error messages. */
  description: string;
  /** `_order`, the default order of search and search_read. */
  order: string;
  fields: Record<string, FieldDef>;
  /** `_inherits`: fields of the parent model are readable and writable through this one. */
  delegate?: { model: string; field: string };
  displayName?: (store: StoreAccess, id: number) => string;
  /** Adjusts the values of a new record once defaults are applied (sequences, related values). */
  prepareCreate?: (store: StoreAccess, vals: Vals) => Vals;
  afterCreate?: (
    store: StoreAccess,
    id: number,
    vals: Vals,
    context: Record<string, unknown>,
  ) => void;
  afterWrite?: (store: StoreAccess, ids: number[], vals: Vals) => void;
}

export type Registry = Record<string, ModelDef>;

/** Small constructors so model files read like Odoo's field declarations. */
export const f = {
  char: (string: string, extra: Partial<FieldDef> = {}): FieldDef => ({
    type: "char",
    string,
    ...extra,
  }),
  text: (string: string, extra: Partial<FieldDef> = {}): FieldDef => ({
    type: "text",
    string,
    ...extra,
  }),
  html: (string: string): FieldDef => ({ type: "html", string }),
  integer: (string: string, extra: Partial<FieldDef> = {}): FieldDef => ({
    type: "integer",
    string,
    ...extra,
  }),
  float: (string: string, extra: Partial<FieldDef> = {}): FieldDef => ({
    type: "float",
    string,
    ...extra,
  }),
  monetary: (string: string, extra: Partial<FieldDef> = {}): FieldDef => ({
    type: "monetary",
    string,
    ...extra,
  }),
  boolean: (string: string, extra: Partial<FieldDef> = {}): FieldDef => ({
    type: "boolean",
    string,
    ...extra,
  }),
  date: (string: string, extra: Partial<FieldDef> = {}): FieldDef => ({
    type: "date",
    string,
    ...extra,
  }),
  datetime: (string: string, extra: Partial<FieldDef> = {}): FieldDef => ({
    type: "datetime",
    string,
    ...extra,
  }),
  selection: (
    string: string,
    selection: Array<[string, string]>,
    extra: Partial<FieldDef> = {},
  ): FieldDef => ({ type: "selection", string, selection, ...extra }),
  many2one: (relation: string, string: string, extra: Partial<FieldDef> = {}): FieldDef => ({
    type: "many2one",
    relation,
    string,
    ...extra,
  }),
  one2many: (
    relation: string,
    inverseName: string,
    string: string,
    extra: Partial<FieldDef> = {},
  ): FieldDef => ({ type: "one2many", relation, inverseName, string, ...extra }),
  many2many: (relation: string, string: string, extra: Partial<FieldDef> = {}): FieldDef => ({
    type: "many2many",
    relation,
    string,
    ...extra,
  }),
};

/** A related field (`related="a.b"`): follows many2ones, read-only unless it has an inverse. */
export const related =
  (model: string, path: string) =>
  (store: StoreAccess, id: number): RawValue => {
    let currentModel = model;
    let currentId = id;
    const steps = path.split(".");
    for (const [i, step] of steps.entries()) {
      const value = store.value(currentModel, currentId, step);
      if (i === steps.length - 1) return value;
      if (typeof value !== "number") return false;
      currentId = value;
      currentModel = store.relationOf(currentModel, step);
    }
    return false;
  };
