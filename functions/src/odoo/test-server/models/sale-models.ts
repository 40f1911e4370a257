import { f, related, type ModelDef, type StoreAccess } from "../model-types.ts";
import type { VersionTraits } from "../versions.ts";

/** The fake's only tax: 20 % on every line, enough to make price_tax and amount_tax non-zero. */
const TAX_RATE = 0.2;

/** sale.order and sale.order.line (addons/sale/models/sale_order.py, sale_order_line.py). */
export function saleModels(traits: VersionTraits): ModelDef[] {
  const states: Array<[string, string]> = traits.orderHasLockedBoolean
    ? [
        ["draft", "Quotation"],
        ["sent", "Quotation Sent"],
        ["sale", "Sales Order"],
        ["cancel", "Cancelled"],
      ]
    : [
        ["draft", "Quotation"],
        ["sent", "Quotation Sent"],
        ["sale", "Sales Order"],
        ["done", "Locked"],
        ["cancel", "Cancelled"],
      ];
  return [orderModel(traits, states), lineModel(traits, states)];
}

function orderModel(traits: VersionTraits, states: Array<[string, string]>): ModelDef {
  const sumOfLines = (field: string) => (store: StoreAccess, id: number) =>
    round2(
      linesOf(store, id).reduce(
        (sum, line) => sum + Number(store.value("sale.order.line", line, field)),
        0,
      ),
    );
  return {
    name: "sale.order",
    description: "Sales Order",
    order: "date_order desc, id desc",
    fields: {
      name: f.char("Order Reference", { required: true, default: "New" }),
      partner_id: f.many2one("res.partner", "Customer", { required: true }),
      partner_invoice_id: f.many2one("res.partner", "Invoice Address", { required: true }),
      partner_shipping_id: f.many2one("res.partner", "Delivery Address", { required: true }),
      date_order: f.datetime("Order Date", { required: true, default: (store) => store.now() }),
      state: f.selection("Status", states, { readonly: true, default: "draft" }),
      ...(traits.orderHasLockedBoolean ? { locked: f.boolean("Locked", { default: false }) } : {}),
      amount_untaxed: f.monetary("Untaxed Amount", {
        readonly: true,
        compute: sumOfLines("price_subtotal"),
      }),
      amount_tax: f.monetary("Taxes", { readonly: true, compute: sumOfLines("price_tax") }),
      amount_total: f.monetary("Total", { readonly: true, compute: sumOfLines("price_total") }),
      currency_id: f.many2one("res.currency", "Currency", { default: 1 }),
      // Computed and stored by Odoo from the currency's rates at the order's date: units of the
      // order's currency for one of the company's. Written directly here.
      currency_rate: f.float("Currency Rate", { default: 1 }),
      user_id: f.many2one("res.users", "Salesperson", { default: (store) => store.uid }),
      team_id: f.many2one("crm.team", "Sales Team"),
      client_order_ref: f.char("Customer Reference"),
      order_line: f.one2many("sale.order.line", "order_id", "Order Lines"),
    },
    prepareCreate: (store, vals) => ({
      ...vals,
      name:
        !vals.name || vals.name === "New"
          ? `S${String(store.nextSequence("sale.order")).padStart(5, "0")}`
          : vals.name,
      partner_invoice_id: vals.partner_invoice_id || vals.partner_id,
      partner_shipping_id: vals.partner_shipping_id || vals.partner_id,
    }),
    // state and order_partner_id are stored related fields on the lines: Odoo recomputes them,
    // which bumps the lines' write_date too.
    afterWrite: (store, ids, vals) => {
      for (const id of ids) {
        const lines = linesOf(store, id);
        const changes: Record<string, unknown> = {};
        if ("state" in vals) changes.state = store.value("sale.order", id, "state");
        if ("partner_id" in vals)
          changes.order_partner_id = store.value("sale.order", id, "partner_id");
        if (lines.length && Object.keys(changes).length)
          store.write("sale.order.line", lines, changes);
      }
    },
  };
}

function lineModel(traits: VersionTraits, states: Array<[string, string]>): ModelDef {
  const line = (store: StoreAccess, id: number, field: string) =>
    Number(store.value("sale.order.line", id, field) || 0);
  const subtotal = (store: StoreAccess, id: number) =>
    store.value("sale.order.line", id, "display_type")
      ? 0
      : round2(
          line(store, id, "product_uom_qty") *
            line(store, id, "price_unit") *
            (1 - line(store, id, "discount") / 100),
        );
  return {
    name: "sale.order.line",
    description: "Sales Order Line",
    order: "order_id, sequence, id",
    displayName: (store, id) => {
      const order = store.value("sale.order.line", id, "order_id");
      const name = String(store.value("sale.order.line", id, "name") || "").split("\n")[0];
      return `${typeof order === "number" ? store.displayName("sale.order", order) : ""} - ${name}`;
    },
    fields: {
      order_id: f.many2one("sale.order", "Order Reference", {
        required: true,
        ondelete: "cascade",
      }),
      order_partner_id: f.many2one("res.partner", "Customer", { readonly: true }),
      state: f.selection("Order Status", states, { readonly: true }),
      product_id: f.many2one("product.product", "Product"),
      product_template_id: f.many2one("product.template", "Product Template", {
        readonly: true,
        compute: related("sale.order.line", "product_id.product_tmpl_id"),
      }),
      name: f.text("Description", { required: true }),
      sequence: f.integer("Sequence", { default: 10 }),
      product_uom_qty: f.float("Quantity", { required: true, default: 1 }),
      [traits.lineUomField]: f.many2one("uom.uom", "Unit of Measure"),
      price_unit: f.float("Unit Price", { required: true }),
      discount: f.float("Discount (%)", { default: 0 }),
      price_subtotal: f.monetary("Subtotal", { readonly: true, compute: subtotal }),
      price_tax: f.float("Total Tax", {
        readonly: true,
        compute: (store, id) => round2(subtotal(store, id) * TAX_RATE),
      }),
      price_total: f.monetary("Total", {
        readonly: true,
        compute: (store, id) => round2(subtotal(store, id) * (1 + TAX_RATE)),
      }),
      qty_delivered: f.float("Delivery Quantity", { default: 0 }),
      qty_invoiced: f.float("Invoiced Quantity", { readonly: true, default: 0 }),
      display_type: f.selection("Display Type", [
        ["line_section", "Section"],
        ["line_note", "Note"],
      ]),
      is_downpayment: f.boolean("Is a down payment", { default: false }),
      // delivery: the shipping line a carrier adds to a web order.
      is_delivery: f.boolean("Is a Delivery", { default: false }),
      currency_id: f.many2one("res.currency", "Currency", {
        readonly: true,
        compute: related("sale.order.line", "order_id.currency_id"),
      }),
    },
    prepareCreate: (store, vals) => {
      const order = Number(vals.order_id);
      const product = typeof vals.product_id === "number" ? vals.product_id : null;
      const orderExists = Boolean(store.row("sale.order", order));
      return {
        ...vals,
        state: orderExists ? store.value("sale.order", order, "state") : false,
        order_partner_id: orderExists ? store.value("sale.order", order, "partner_id") : false,
        name: vals.name || (product ? store.displayName("product.product", product) : vals.name),
        price_unit:
          vals.price_unit ?? (product ? store.value("product.product", product, "lst_price") : 0),
        [traits.lineUomField]: vals[traits.lineUomField] ?? (product ? 1 : false),
      };
    },
  };
}

function linesOf(store: StoreAccess, orderId: number): number[] {
  return store
    .ids("sale.order.line")
    .filter((l) => store.value("sale.order.line", l, "order_id") === orderId);
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
