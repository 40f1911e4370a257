import type { ImportEntity } from "../mapping/canonical-fields.ts";
import type { Mapping } from "../mapping/mapping.ts";
import { parseCustomerKind } from "../parse/words.ts";
import type { FieldsInfo } from "./odoo-fields.ts";

/** A record as Odoo's `read`/`search_read` return it: many2one `[id, name]`, empty values `false`. */
export type OdooRecord = { id: number } & Record<string, unknown>;

/** Lookups a page of records needs to become rows; filled by the sync before flattening. */
export interface FlattenContext {
  /** The estate's time zone: Odoo stores UTC, the estate's day is the order's day. */
  timeZone: string;
  /** Field types of the model being flattened (to tell an empty text from a boolean `false`). */
  types: FieldsInfo;
  partnerTags?: Map<number, string>;
  /**
   * Partners whose address left one of the estate's mass-mailing lists (mass_mailing's
   * unsubscribe link): an objection to its e-mails as plain as the blacklist.
   */
  mailingOptOuts?: ReadonlySet<number>;
  productTags?: Map<number, string>;
  /** Product id → our sku (its internal reference, or `odoo-<id>` when it has none). */
  skuOf?: (productId: number) => string;
  /** Order id → the order (name, date, partner, state). */
  orderOf?: (orderId: number) => OdooRecord | undefined;
  /**
   * How many of its product's units (bottles) one of a sales line's units holds: 6 for a line
   * sold by the carton of 6, 1 when both are the same or the units are not known.
   */
  unitsPerLineUnit?: (line: OdooRecord) => number;
  /** The unit a line's quantity is counted in once converted: its product's (e.g. "Bouteille"). */
  unitNameOf?: (line: OdooRecord) => string | null;
  /** Before a line's Odoo id in its key: "pos-" for the till's lines, whose ids are their own. */
  lineIdPrefix?: string;
}

/**
 * Odoo records as the rows of a table, with the same columns for every record of a model: the
 * importer then treats them exactly like the rows of a CSV export (mapping, normalization,
 * quality, rejected rows). Fixed columns first, then the server's custom `x_` fields.
 */
export interface OdooTable {
  columns: string[];
  rows: Array<{ id: number; values: string[] }>;
}

export const odooColumns: Record<ImportEntity, string[]> = {
  customers: [
    "id",
    "name",
    "person_name",
    "company_name",
    "kind",
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
    "country",
    "lang",
    "vat",
    "tags",
    "salesperson",
    "active",
    "blacklisted",
    "consent_email",
    "write_date",
  ],
  products: [
    "id",
    "sku",
    "default_code",
    "name",
    "template_id",
    "category",
    "tags",
    "barcode",
    "list_price",
    "active",
    "write_date",
  ],
  order_lines: [
    "id",
    "order",
    "order_id",
    "order_date",
    "partner_id",
    "customer_name",
    "product_id",
    "sku",
    "product_name",
    "description",
    "quantity",
    "uom",
    "unit_price",
    "unit_price_incl_tax",
    "discount",
    "subtotal",
    "total",
    "salesperson",
    "team",
    "write_date",
  ],
};

/** How Odoo's columns feed the canonical fields, until the estate saves its own mapping. */
export const defaultOdooMappings: Record<ImportEntity, Mapping["fields"]> = {
  customers: {
    external_id: "id",
    full_name: "person_name",
    company: "company_name",
    email: "email",
    phone: "phone",
    mobile: "mobile",
    address_line1: "street",
    address_line2: "street2",
    postal_code: "zip",
    city: "city",
    country: "country",
    kind: "kind",
    language: "lang",
    consent_email: "consent_email",
  },
  products: {
    sku: "sku",
    name: "name",
    category: "category",
    price_excl_tax: "list_price",
    active: "active",
  },
  order_lines: {
    document_number: "order",
    line_number: "id",
    order_date: "order_date",
    customer_external_id: "partner_id",
    customer_name: "customer_name",
    product_sku: "sku",
    product_name: "product_name",
    quantity: "quantity",
    unit_price: "unit_price_incl_tax",
    total: "total",
  },
};

export const skuOfProduct = (product: OdooRecord): string =>
  text(product.default_code) || `odoo-${product.id}`;

export function flattenRecords(
  entity: ImportEntity,
  records: OdooRecord[],
  customFields: string[],
  context: FlattenContext,
): OdooTable {
  const columns = [...odooColumns[entity], ...customFields];
  const flatten =
    entity === "customers" ? partnerRow : entity === "products" ? productRow : orderLineRow;
  return {
    columns,
    rows: records.map((record) => ({
      id: record.id,
      values: [
        ...flatten(record, context),
        ...customFields.map((f) => cell(record[f], context.types[f]?.type)),
      ],
    })),
  };
}

function partnerRow(p: OdooRecord, context: FlattenContext): string[] {
  const isCompany = p.is_company === true;
  const tags = idsOf(p.category_id).map((id) => context.partnerTags?.get(id) ?? String(id));
  const tradeTag = tags.find((t) => parseCustomerKind(t)?.kind === "trade");
  const kind = tradeTag ?? (isCompany || m2oId(p.parent_id) !== null ? "pro" : "particulier");
  return [
    String(p.id),
    text(p.name),
    isCompany ? "" : text(p.name),
    isCompany ? text(p.name) : m2oName(p.parent_id),
    kind,
    isCompany ? "1" : "0",
    m2oIdText(p.parent_id),
    m2oIdText(p.commercial_partner_id),
    text(p.type),
    text(p.ref),
    text(p.email),
    text(p.phone),
    text(p.mobile),
    text(p.street),
    text(p.street2),
    text(p.zip),
    text(p.city),
    text(p.country_code) || m2oName(p.country_id),
    text(p.lang),
    text(p.vat),
    tags.join(", "),
    m2oName(p.user_id),
    p.active === false ? "0" : "1",
    p.is_blacklisted === true ? "1" : "0",
    // Blacklisted, or off a mailing list, is an explicit refusal; neither says nothing of consent.
    p.is_blacklisted === true || context.mailingOptOuts?.has(p.id) === true ? "non" : "",
    text(p.write_date),
  ];
}

function productRow(p: OdooRecord, context: FlattenContext): string[] {
  const tags = idsOf(p.product_tag_ids).map((id) => context.productTags?.get(id) ?? String(id));
  return [
    String(p.id),
    skuOfProduct(p),
    text(p.default_code),
    productName(p),
    m2oIdText(p.product_tmpl_id),
    m2oName(p.categ_id),
    tags.join(", "),
    text(p.barcode),
    number(p.lst_price),
    p.active === false ? "0" : "1",
    text(p.write_date),
  ];
}

function orderLineRow(line: OdooRecord, context: FlattenContext): string[] {
  const orderId = m2oId(line.order_id);
  const order = orderId === null ? undefined : context.orderOf?.(orderId);
  const productId = m2oId(line.product_id);
  const ratio = context.unitsPerLineUnit?.(line) ?? 1;
  const quantity =
    typeof line.product_uom_qty === "number" ? roundQuantity(line.product_uom_qty * ratio) : null;
  // An order in another currency than the company's (a Swiss importer invoiced in CHF) is
  // counted in the company's: Odoo keeps the order's rate to it at the order's date.
  const rate =
    order && typeof order.currency_rate === "number" && order.currency_rate > 0
      ? order.currency_rate
      : 1;
  const money = (value: unknown) => (typeof value === "number" ? value / rate : null);
  const total = money(line.price_total);
  const amount = (value: unknown) => {
    const converted = money(value);
    return converted === null ? "" : String(Math.round(converted * 100) / 100);
  };
  return [
    `${context.lineIdPrefix ?? ""}${line.id}`,
    order ? text(order.name) : m2oName(line.order_id),
    orderId === null ? "" : String(orderId),
    order ? localDate(text(order.date_order), context.timeZone) : "",
    order ? m2oIdText(order.partner_id) : "",
    order ? m2oName(order.partner_id) : "",
    productId === null ? "" : String(productId),
    productId === null ? "" : (context.skuOf?.(productId) ?? `odoo-${productId}`),
    stripCode(m2oName(line.product_id)),
    text(line.name),
    quantity === null ? "" : String(quantity),
    context.unitNameOf?.(line) ?? m2oName(line.product_uom_id ?? line.product_uom),
    typeof line.price_unit === "number" ? String(roundPrice(line.price_unit / ratio / rate)) : "",
    quantity && total !== null ? (Math.round((total / quantity) * 100) / 100).toString() : "",
    number(line.discount),
    amount(line.price_subtotal),
    amount(line.price_total),
    order ? m2oName(order.user_id) : "",
    order ? m2oName(order.team_id) : "",
    text(line.write_date),
  ];
}

/**
 * A till's line (point_of_sale) in a sales line's shape, so that both read as the same rows: its
 * quantity is in its product's unit and net of what refunds gave back, its total includes tax
 * and follows the net quantity. Its order's team is `crm_team_id`.
 */
export function posLineAsSaleLine(line: OdooRecord): OdooRecord {
  const { qty, full_product_name, price_subtotal_incl, refunded_qty, ...rest } = line;
  const sold = typeof qty === "number" ? qty : 0;
  const net = sold - (typeof refunded_qty === "number" ? refunded_qty : 0);
  const kept = (amount: unknown) =>
    typeof amount === "number" && sold !== 0
      ? Math.round((amount * net * 100) / sold) / 100
      : amount;
  return {
    ...rest,
    name: full_product_name,
    product_uom_qty: net,
    price_subtotal: kept(rest.price_subtotal),
    price_total: kept(price_subtotal_incl),
  };
}

export function posOrderAsSaleOrder(order: OdooRecord): OdooRecord {
  const { crm_team_id, ...rest } = order;
  return { ...rest, team_id: crm_team_id };
}

// 2 cartons of 6 are 12 bottles, not 11.999999999999998 (Odoo <= 18 keeps a carton as 1/6).
const roundQuantity = (n: number) => Math.round(n * 1e6) / 1e6;
const roundPrice = (n: number) => Math.round(n * 1e4) / 1e4;

/** The product's name as people read it: Odoo's display name without the `[code]` prefix. */
function productName(p: OdooRecord): string {
  return stripCode(text(p.display_name)) || text(p.name);
}

const stripCode = (name: string) => name.replace(/^\[[^\]]*\]\s*/, "");

/**
 * The estate's calendar day of an Odoo datetime (stored in UTC): an order confirmed at 23:30 in
 * Paris is an order of that day, not of the next.
 */
export function localDate(utc: string, timeZone: string): string {
  if (!utc) return "";
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?/.exec(utc);
  if (!match) return utc;
  if (match[4] === undefined) return `${match[1]}-${match[2]}-${match[3]}`;
  const instant = new Date(
    `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`,
  );
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(instant);
}

/** A cell as text: Odoo's `false` is empty for text but "0" for a boolean field. */
function cell(value: unknown, type: string | undefined): string {
  if (type === "boolean") return value === true ? "1" : "0";
  if (Array.isArray(value)) return type === "many2one" ? m2oName(value) : value.join(", ");
  if (typeof value === "number") return number(value);
  return text(value);
}

function text(value: unknown): string {
  if (value === false || value === null || value === undefined) return "";
  return String(value);
}

const number = (value: unknown): string => (typeof value === "number" ? String(value) : "");

export function m2oId(value: unknown): number | null {
  return Array.isArray(value) && typeof value[0] === "number" ? value[0] : null;
}

const m2oIdText = (value: unknown): string => {
  const id = m2oId(value);
  return id === null ? "" : String(id);
};

const m2oName = (value: unknown): string =>
  Array.isArray(value) && value.length > 1 ? String(value[1]) : "";

const idsOf = (value: unknown): number[] =>
  Array.isArray(value) ? value.filter((v): v is number => typeof v === "number") : [];
