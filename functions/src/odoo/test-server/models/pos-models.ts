import { f, related, type ModelDef, type StoreAccess } from "../model-types.ts";

/** The fake's only tax, as on sales lines: 20 %. */
const TAX_RATE = 0.2;

/**
 * point_of_sale's orders and lines (addons/point_of_sale/models/pos_order.py): the cellar door's
 * till. An order is `paid` at the till, `done` once its session is closed, `invoiced` when an
 * invoice was made (Odoo cancels only unpaid ones); most have no customer. A line's quantity is
 * in its product's unit; a refund is an order of its own, of negative quantities.
 */
export const posModels: ModelDef[] = [
  {
    name: "pos.order",
    description: "Point of Sale Orders",
    order: "date_order desc, name desc, id desc",
    fields: {
      name: f.char("Order Ref", { required: true, default: "/" }),
      partner_id: f.many2one("res.partner", "Customer"),
      date_order: f.datetime("Date", { required: true, default: (store) => store.now() }),
      state: f.selection(
        "Status",
        [
          ["draft", "New"],
          ["cancel", "Cancelled"],
          ["paid", "Paid"],
          ["done", "Posted"],
          ["invoiced", "Invoiced"],
        ],
        { readonly: true, default: "draft" },
      ),
      user_id: f.many2one("res.users", "Employee", { default: (store) => store.uid }),
      crm_team_id: f.many2one("crm.team", "Sales Team"),
      currency_rate: f.float("Conversion Rate", { default: 1 }),
      amount_total: f.float("Total", {
        readonly: true,
        compute: (store, id) =>
          round2(
            posLinesOf(store, id).reduce(
              (sum, line) =>
                sum + Number(store.value("pos.order.line", line, "price_subtotal_incl")),
              0,
            ),
          ),
      }),
      lines: f.one2many("pos.order.line", "order_id", "Order Lines"),
    },
    prepareCreate: (store, vals) => ({
      ...vals,
      name:
        !vals.name || vals.name === "/"
          ? `Caveau/${String(store.nextSequence("pos.order")).padStart(4, "0")}`
          : vals.name,
    }),
  },
  {
    name: "pos.order.line",
    description: "Point of Sale Order Lines",
    order: "id",
    fields: {
      order_id: f.many2one("pos.order", "Order Ref", { required: true, ondelete: "cascade" }),
      product_id: f.many2one("product.product", "Product", { required: true }),
      full_product_name: f.char("Full Product Name"),
      qty: f.float("Quantity", { default: 1 }),
      price_unit: f.float("Unit Price"),
      discount: f.float("Discount (%)", { default: 0 }),
      price_subtotal: f.float("Tax Excl.", {
        readonly: true,
        compute: (store, id) => posSubtotal(store, id),
      }),
      price_subtotal_incl: f.float("Tax Incl.", {
        readonly: true,
        compute: (store, id) => round2(posSubtotal(store, id) * (1 + TAX_RATE)),
      }),
      product_uom_id: f.many2one("uom.uom", "Product UoM", {
        readonly: true,
        compute: related("pos.order.line", "product_id.uom_id"),
      }),
      // A refund is an order of its own whose lines point at the lines they give back.
      refunded_orderline_id: f.many2one("pos.order.line", "Refunded Order Line"),
      refunded_qty: f.float("Number of items refunded", {
        readonly: true,
        compute: (store, id) =>
          -store
            .ids("pos.order.line")
            .filter((l) => store.value("pos.order.line", l, "refunded_orderline_id") === id)
            .reduce((sum, l) => sum + Number(store.value("pos.order.line", l, "qty") || 0), 0),
      }),
      // pos_sale: a sales order settled at the till.
      sale_order_origin_id: f.many2one("sale.order", "Linked Sale Order"),
      // pos_loyalty: a reward (a discount line of its own).
      is_reward_line: f.boolean("Is Reward Line", { default: false }),
    },
    prepareCreate: (store, vals) => {
      const product = typeof vals.product_id === "number" ? vals.product_id : null;
      return {
        ...vals,
        full_product_name:
          vals.full_product_name || (product ? store.displayName("product.product", product) : ""),
        price_unit:
          vals.price_unit ?? (product ? store.value("product.product", product, "lst_price") : 0),
      };
    },
  },
];

function posSubtotal(store: StoreAccess, id: number): number {
  const value = (field: string) => Number(store.value("pos.order.line", id, field) || 0);
  return round2(value("qty") * value("price_unit") * (1 - value("discount") / 100));
}

const posLinesOf = (store: StoreAccess, orderId: number): number[] =>
  store
    .ids("pos.order.line")
    .filter((l) => store.value("pos.order.line", l, "order_id") === orderId);

const round2 = (n: number): number => Math.round(n * 100) / 100;
