import { f, type FieldDef, type ModelDef, type Registry, type StoreAccess } from "./model-types.ts";
import { baseSmallModels, partnerModel, uomModel } from "./models/base-models.ts";
import { mailModels } from "./models/mail-models.ts";
import { massMailingModels } from "./models/mass-mailing-models.ts";
import { posModels } from "./models/pos-models.ts";
import { productModels } from "./models/product-models.ts";
import { saleModels } from "./models/sale-models.ts";
import type { VersionTraits } from "./versions.ts";

/** Fields an estate added in Studio or a custom module (`x_…`), per model. */
export type CustomFields = Record<
  string,
  Record<string, "char" | "integer" | "float" | "boolean" | "date">
>;

/** The modules installed beside base, product and sale. */
export interface InstalledModules {
  mail: boolean;
  pos: boolean;
  massMailing: boolean;
}

/** The models of a database with base, product, sale and the other modules installed. */
export function buildRegistry(
  traits: VersionTraits,
  installed: InstalledModules,
  customFields: CustomFields = {},
): Registry {
  const models = [
    partnerModel(traits, installed.mail),
    ...baseSmallModels,
    uomModel(traits),
    ...productModels(traits),
    ...saleModels(traits),
    ...(installed.mail ? mailModels : []),
    ...(installed.pos ? posModels : []),
    ...(installed.massMailing ? massMailingModels(traits) : []),
  ];
  const registry: Registry = {};
  for (const model of models) {
    const custom = Object.entries(customFields[model.name] ?? {}).map(
      ([name, type]) => [name, f[type](name.replace(/^x_/, "").replace(/_/g, " "))] as const,
    );
    registry[model.name] = withMagicFields({
      ...model,
      fields: { ...model.fields, ...Object.fromEntries(custom) },
    });
  }
  for (const model of Object.values(registry))
    if (model.delegate) addDelegatedFields(model, registry[model.delegate.model]!);
  return registry;
}

/** id, display_name and the log-access fields every model has (`_log_access`). */
function withMagicFields(model: ModelDef): ModelDef {
  return {
    ...model,
    fields: {
      id: f.integer("ID", { readonly: true }),
      display_name: f.char("Display Name", {
        readonly: true,
        compute: (store, id) => displayNameOf(model, store, id),
      }),
      ...model.fields,
      create_uid: f.many2one("res.users", "Created by", { readonly: true }),
      create_date: f.datetime("Created on", { readonly: true }),
      write_uid: f.many2one("res.users", "Last Updated by", { readonly: true }),
      write_date: f.datetime("Last Updated on", { readonly: true }),
    },
  };
}

const MAGIC_FIELDS = new Set([
  "id",
  "display_name",
  "create_uid",
  "create_date",
  "write_uid",
  "write_date",
]);

/** `_inherits`: the parent's fields, read from and written to the parent record. */
function addDelegatedFields(model: ModelDef, parent: ModelDef) {
  const link = model.delegate!.field;
  for (const [name, field] of Object.entries(parent.fields)) {
    if (name in model.fields || MAGIC_FIELDS.has(name)) continue;
    const delegated: FieldDef = {
      ...field,
      delegated: true,
      default: undefined,
      compute: (store, id) => {
        const parentId = store.value(model.name, id, link);
        return typeof parentId === "number" ? store.value(parent.name, parentId, name) : false;
      },
      inverse: (store, id, value) => {
        const parentId = store.value(model.name, id, link);
        if (typeof parentId === "number") store.write(parent.name, [parentId], { [name]: value });
      },
    };
    model.fields[name] = delegated;
  }
}

function displayNameOf(model: ModelDef, store: StoreAccess, id: number): string {
  if (model.displayName) return model.displayName(store, id);
  if ("name" in model.fields) return String(store.value(model.name, id, "name") || "");
  return `${model.name},${id}`;
}
