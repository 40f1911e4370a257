import { sql } from "drizzle-orm";
import {
  boolean,
  date,
  index,
  integer,
  numeric,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { productKinds } from "@crm-reco/core";
import { id, timestamps } from "./columns.ts";
import { customers } from "./customers.sql.ts";
import { sources } from "./sources.sql.ts";
import { tenantIdColumn as tenantId } from "./tenancy.sql.ts";

export const wineColors = ["red", "white", "rose", "sparkling", "sweet", "other"] as const;

/** One sellable item: a cuvée in a vintage and a bottle size. The sku is the natural key. */
export const products = pgTable(
  "products",
  {
    id: id(),
    tenantId: tenantId(),
    sku: text("sku").notNull(),
    name: text("name").notNull(),
    cuvee: text("cuvee"),
    color: text("color", { enum: wineColors }),
    appellation: text("appellation"),
    grapes: text("grapes")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    vintage: integer("vintage"),
    sizeMl: integer("size_ml"),
    priceInclTax: numeric("price_incl_tax", { precision: 12, scale: 2 }),
    priceExclTax: numeric("price_excl_tax", { precision: 12, scale: 2 }),
    active: boolean("active").notNull().default(true),
    stock: integer("stock"),
    /** The estate's family for it (iSaVigne's "Famille", Odoo's category), as written. */
    category: text("category"),
    /**
     * A wine, or what else an invoice line sells (the carrier's charge, a discount, a deposit, a
     * case, a glass): guessed from the family or name at each write, unless the staff set it.
     */
    kind: text("kind", { enum: productKinds }).notNull().default("wine"),
    kindByStaff: boolean("kind_by_staff").notNull().default(false),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("products_tenant_sku_uq").on(t.tenantId, t.sku),
    index("products_tenant_cuvee_idx").on(t.tenantId, t.cuvee),
  ],
);

/** (source, external id) → product, for sources whose product ids are not the sku (Odoo ids). */
export const productIdentities = pgTable(
  "product_identities",
  {
    id: id(),
    tenantId: tenantId(),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    sourceId: uuid("source_id")
      .notNull()
      .references(() => sources.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("product_identities_source_external_uq").on(t.tenantId, t.sourceId, t.externalId),
  ],
);

export const orderChannels = ["cellar_door", "eshop", "trade", "fair", "other"] as const;

export const orders = pgTable(
  "orders",
  {
    id: id(),
    tenantId: tenantId(),
    sourceId: uuid("source_id")
      .notNull()
      .references(() => sources.id, { onDelete: "cascade" }),
    /** The source's document number (invoice or order); the natural key within the source. */
    documentNumber: text("document_number").notNull(),
    customerId: uuid("customer_id").references(() => customers.id, { onDelete: "set null" }),
    orderDate: date("order_date", { mode: "string" }).notNull(),
    channel: text("channel", { enum: orderChannels }),
    totalInclTax: numeric("total_incl_tax", { precision: 14, scale: 2 }),
    totalExclTax: numeric("total_excl_tax", { precision: 14, scale: 2 }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("orders_source_document_uq").on(t.tenantId, t.sourceId, t.documentNumber),
    index("orders_customer_date_idx").on(t.tenantId, t.customerId, t.orderDate),
  ],
);

export const orderLines = pgTable(
  "order_lines",
  {
    id: id(),
    tenantId: tenantId(),
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    /** Line number in the document when given, else the product sku: unique within the order. */
    lineKey: text("line_key").notNull(),
    productId: uuid("product_id").references(() => products.id, { onDelete: "set null" }),
    quantity: numeric("quantity", { precision: 12, scale: 3 }).notNull(),
    unitPrice: numeric("unit_price", { precision: 12, scale: 2 }),
    total: numeric("total", { precision: 14, scale: 2 }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("order_lines_order_key_uq").on(t.tenantId, t.orderId, t.lineKey),
    index("order_lines_product_idx").on(t.tenantId, t.productId),
  ],
);
