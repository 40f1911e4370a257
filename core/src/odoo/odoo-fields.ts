/**
 * Which fields we read from each Odoo model, adjusted to what this server has. Fields move between
 * versions (`mobile` left base `res.partner`, `product_uom` became `product_uom_id`, the `done`
 * order state became the `locked` flag in 17): we ask `fields_get` and read what exists, so one
 * connector serves every version, and custom `x_` fields come along for mapping.
 */
export type OdooModel =
  | "res.partner"
  | "product.product"
  | "product.template"
  | "product.category"
  | "sale.order"
  | "sale.order.line"
  | "pos.order"
  | "pos.order.line";

export interface OdooFieldInfo {
  type: string;
  string?: string;
  relation?: string;
  selection?: Array<[string, string]> | unknown;
}
export type FieldsInfo = Record<string, OdooFieldInfo>;

const WANTED: Record<OdooModel, string[]> = {
  "res.partner": [
    "name",
    "display_name",
    "is_company",
    "parent_id",
    "commercial_partner_id",
    "type",
    "ref",
    "email",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "city",
    "country_id",
    "country_code",
    "lang",
    "vat",
    "category_id",
    "user_id",
    "active",
    "is_blacklisted",
    "write_date",
  ],
  "product.product": [
    "product_tmpl_id",
    "default_code",
    "name",
    "display_name",
    "barcode",
    "lst_price",
    "categ_id",
    "product_tag_ids",
    "active",
    "write_date",
  ],
  "product.template": ["write_date"],
  "product.category": ["name", "write_date"],
  "sale.order": ["name", "partner_id", "date_order", "state", "user_id", "team_id", "write_date"],
  "pos.order": [
    "name",
    "partner_id",
    "date_order",
    "state",
    "user_id",
    "crm_team_id",
    "currency_rate",
    "write_date",
  ],
  "pos.order.line": [
    "order_id",
    "product_id",
    "full_product_name",
    "qty",
    "price_unit",
    "discount",
    "price_subtotal",
    "price_subtotal_incl",
    "product_uom_id",
    "refunded_qty",
    "write_date",
  ],
  "sale.order.line": [
    "order_id",
    "product_id",
    "name",
    "product_uom_qty",
    "product_uom",
    "product_uom_id",
    "price_unit",
    "discount",
    "price_subtotal",
    "price_total",
    "display_type",
    "is_downpayment",
    "state",
    "write_date",
  ],
};

/** Without these the model cannot be synced at all: their absence is reported, not worked around. */
export const REQUIRED_FIELDS: Record<OdooModel, string[]> = {
  "res.partner": ["name", "write_date"],
  "product.product": ["write_date"],
  "product.template": ["write_date"],
  "product.category": ["write_date"],
  "sale.order": ["name", "partner_id", "date_order", "state", "write_date"],
  "sale.order.line": ["order_id", "product_id", "product_uom_qty", "write_date"],
  "pos.order": ["name", "partner_id", "date_order", "state", "write_date"],
  "pos.order.line": ["order_id", "product_id", "qty", "write_date"],
};

/** A till's order is a sale once paid (then posted with its session, or invoiced). */
export const POS_SOLD_STATES = ["paid", "done", "invoiced"];

// Relations and binary fields are not columns a person maps; the rest of `x_` fields are.
const MAPPABLE_CUSTOM_TYPES = new Set([
  "char",
  "text",
  "html",
  "integer",
  "float",
  "monetary",
  "boolean",
  "date",
  "datetime",
  "selection",
  "many2one",
]);

/** The fields to ask for: the ones we use that exist here, then the custom ones, sorted. */
export function fieldsToRead(model: OdooModel, info: FieldsInfo): string[] {
  const known = WANTED[model].filter((f) => f in info);
  const custom = Object.keys(info)
    .filter((f) => f.startsWith("x_") && MAPPABLE_CUSTOM_TYPES.has(info[f]!.type))
    .sort();
  return [...known, ...custom];
}

export const customFieldsOf = (fields: string[]): string[] =>
  fields.filter((f) => f.startsWith("x_"));

export function missingRequiredFields(model: OdooModel, info: FieldsInfo): string[] {
  return REQUIRED_FIELDS[model].filter((f) => !(f in info));
}

/**
 * The order states that mean "sold": `sale`, plus `done` where it still exists (16 and before:
 * a locked confirmed order). Draft quotations and cancelled orders are not sales.
 */
export function confirmedOrderStates(orderInfo: FieldsInfo): string[] {
  const selection = orderInfo.state?.selection;
  const states = Array.isArray(selection)
    ? selection.map((s) => (Array.isArray(s) ? String(s[0]) : String(s)))
    : ["sale", "done"];
  return ["sale", "done"].filter((s) => states.includes(s));
}
