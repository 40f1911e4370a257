import { f, related, type ModelDef, type RawValue, type StoreAccess } from "../model-types.ts";
import type { VersionTraits } from "../versions.ts";

/**
 * product's category, tag, template and variant (addons/product/models/*). A template always has
 * at least one variant; the variant reads and writes the template's fields through `_inherits`.
 */
export function productModels(traits: VersionTraits): ModelDef[] {
  return [
    {
      name: "product.category",
      description: "Product Category",
      order: "complete_name",
      displayName: (store, id) => String(store.value("product.category", id, "complete_name")),
      fields: {
        name: f.char("Name", { required: true }),
        parent_id: f.many2one("product.category", "Parent Category", { ondelete: "cascade" }),
        complete_name: f.char("Complete Name", { readonly: true, compute: categoryPath }),
      },
    },
    {
      name: "product.tag",
      description: "Product Tag",
      order: "id",
      fields: { name: f.char("Name", { required: true }) },
    },
    templateModel(traits),
    variantModel(traits),
  ];
}

function templateModel(traits: VersionTraits): ModelDef {
  const variants = (store: StoreAccess, id: number) =>
    store
      .ids("product.product")
      .filter((v) => store.value("product.product", v, "product_tmpl_id") === id);
  /** default_code and barcode live on the variant; the template shows them when it has one. */
  const fromSingleVariant = (field: string) => ({
    compute: (store: StoreAccess, id: number): RawValue => {
      const all = variants(store, id);
      return all.length === 1 ? store.value("product.product", all[0]!, field) : false;
    },
    inverse: (store: StoreAccess, id: number, value: unknown) => {
      const all = variants(store, id);
      if (all.length === 1) store.write("product.product", all, { [field]: value });
    },
  });
  return {
    name: "product.template",
    description: "Product",
    order: "name",
    displayName: codeAndName("product.template"),
    fields: {
      name: f.char("Name", { required: true }),
      default_code: f.char("Internal Reference", fromSingleVariant("default_code")),
      barcode: f.char("Barcode", fromSingleVariant("barcode")),
      list_price: f.float("Sales Price", { default: 1 }),
      standard_price: f.float("Cost", { default: 0 }),
      categ_id: f.many2one("product.category", "Product Category", { required: true, default: 1 }),
      uom_id: f.many2one("uom.uom", "Unit of Measure", { required: true, default: 1 }),
      sale_ok: f.boolean("Can be Sold", { default: true }),
      // Goods or a service (delivery, a cellar tour, a tip); up to 17 a storable product is
      // "product", from 18 it is "consu" with is_storable, and a menu of products is "combo".
      type: f.selection(
        "Product Type",
        traits.major >= 18
          ? [
              ["consu", "Goods"],
              ["service", "Service"],
              ["combo", "Combo"],
            ]
          : [
              ["consu", "Consumable"],
              ["service", "Service"],
              ["product", "Storable Product"],
            ],
        { default: "consu" },
      ),
      active: f.boolean("Active", { default: true }),
      product_tag_ids: f.many2many("product.tag", "Tags"),
      product_variant_ids: f.one2many("product.product", "product_tmpl_id", "Products"),
    },
    afterCreate: (store, id, _vals, context) => {
      if (context.create_product_product) return;
      store.create(
        "product.product",
        { product_tmpl_id: id, active: store.value("product.template", id, "active") },
        { create_product_product: true },
      );
    },
    afterWrite: (store, ids, vals) => {
      if (!("active" in vals)) return;
      const all = ids.flatMap((id) => variants(store, id));
      if (all.length) store.write("product.product", all, { active: vals.active });
    },
  };
}

function variantModel(traits: VersionTraits): ModelDef {
  return {
    name: "product.product",
    description: "Product Variant",
    order: "default_code, name, id",
    delegate: { model: "product.template", field: "product_tmpl_id" },
    displayName: codeAndName("product.product"),
    fields: {
      product_tmpl_id: f.many2one("product.template", "Product Template", {
        required: true,
        ondelete: "cascade",
      }),
      default_code: f.char("Internal Reference"),
      barcode: f.char("Barcode"),
      active: f.boolean("Active", { default: true }),
      lst_price: f.float("Sales Price", {
        compute: related("product.product", "product_tmpl_id.list_price"),
        inverse: (store, id, value) =>
          store.write(
            "product.template",
            [Number(store.value("product.product", id, "product_tmpl_id"))],
            {
              list_price: value,
            },
          ),
      }),
      ...(traits.major >= 17
        ? {
            additional_product_tag_ids: f.many2many("product.tag", "Variant Tags"),
            all_product_tag_ids: f.many2many("product.tag", "All Product Tag", {
              readonly: true,
              compute: (store, id) => {
                const own = store.value("product.product", id, "additional_product_tag_ids");
                const fromTemplate = store.value("product.product", id, "product_tag_ids");
                return [...new Set([...asIds(fromTemplate), ...asIds(own)])].sort((a, b) => a - b);
              },
            }),
          }
        : {}),
    },
  };
}

const asIds = (value: RawValue): number[] => (Array.isArray(value) ? value : []);

/** `[default_code] name`, as product display names read. */
const codeAndName = (model: string) => (store: StoreAccess, id: number) => {
  const name = String(store.value(model, id, "name") || "");
  const code = store.value(model, id, "default_code");
  return code ? `[${String(code)}] ${name}` : name;
};

function categoryPath(store: StoreAccess, id: number): RawValue {
  const names: string[] = [];
  let current: RawValue = id;
  for (let depth = 0; typeof current === "number" && depth < 50; depth++) {
    names.unshift(String(store.value("product.category", current, "name") || ""));
    current = store.value("product.category", current, "parent_id");
  }
  return names.join(" / ");
}
