import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import {
  anomaly,
  type CanonicalRecord,
  customerNamedOnASale,
  guessProductKind,
  type ProductKind,
  sizeFromLabel,
  vintageFromLabel,
} from "@crm-reco/core";
import { arrayParam, queryRows, type Tx } from "../adapters/db/database.ts";
import type { BatchCounts } from "./batch.ts";
import { erasedCustomers } from "./erased-identities.ts";
import type { KeyedAnomaly } from "./write-batch.ts";
import { unnestRows } from "./unnest.ts";

/**
 * Upserts order lines, creating what they reference: the order (one per document number of the
 * source), the customer (by the source's customer id, as a stub named from the line until a
 * customer file fills it in) and the product (by sku). A line is keyed by `line_key` within its
 * order; only a changed line is rewritten.
 */
export async function writeOrderLines(
  tx: Tx,
  tenantId: string,
  sourceId: string,
  records: CanonicalRecord[],
  options: { reportUnknownCustomers?: boolean } = {},
): Promise<BatchCounts & { anomalies: KeyedAnomaly[] }> {
  const { ids: customerIds, created: newCustomers } = await ensureCustomers(
    tx,
    tenantId,
    sourceId,
    records,
  );
  const { ids: productIds, created } = await ensureProducts(tx, tenantId, records);
  const { ids: orderIds, known: knownOrders } = await upsertOrders(
    tx,
    tenantId,
    sourceId,
    records,
    customerIds,
  );
  await alignLineKeys(tx, tenantId, records, orderIds, knownOrders);

  const lines = records.map((r) => ({
    order_id: orderIds.get(String(r.document_number)),
    line_key: r.line_key,
    product_id: productIds.get(String(r.product_sku)),
    quantity: r.quantity,
    unit_price: r.unit_price ?? null,
    total:
      r.total ??
      (typeof r.unit_price === "number" && typeof r.quantity === "number"
        ? Math.round(r.unit_price * r.quantity * 100) / 100
        : null),
  }));
  const result = await queryRows<{ inserted: boolean }>(
    tx,
    sql`insert into order_lines (tenant_id, order_id, line_key, product_id, quantity, unit_price, total)
        select ${tenantId}::uuid, u.order_id::uuid, u.line_key, u.product_id::uuid, u.quantity::numeric, u.unit_price::numeric, u.total::numeric
        from ${unnestRows(["order_id", "line_key", "product_id", "quantity", "unit_price", "total"], lines)}
        on conflict (tenant_id, order_id, line_key) do update
          set product_id = excluded.product_id, quantity = excluded.quantity, unit_price = excluded.unit_price, total = excluded.total, updated_at = now()
          where (order_lines.product_id, order_lines.quantity, order_lines.unit_price, order_lines.total)
            is distinct from (excluded.product_id, excluded.quantity, excluded.unit_price, excluded.total)
        returning (xmax = 0) as inserted`,
  );
  const inserted = result.filter((r) => r.inserted).length;
  // A wine missing from the catalogue lacks its colour, vintage and price; the carrier's charge
  // or a discount missing from it lacks nothing worth a person's time.
  const anomalies = [
    ...created
      .filter((p) => p.kind === "wine")
      .map(({ sku }) => ({
        key: sku,
        line: null,
        anomaly: anomaly("product.unknown", "product_sku", sku),
      })),
    // A customer known only by the sale that names them has no address or consent yet.
    ...(options.reportUnknownCustomers === false ? [] : newCustomers).map((id) => ({
      key: id,
      line: null,
      anomaly: anomaly("customer.unknown", "customer_external_id", id),
    })),
  ];
  return {
    inserted,
    updated: result.length - inserted,
    unchanged: lines.length - result.length,
    anomalies,
  };
}

async function ensureCustomers(
  tx: Tx,
  tenantId: string,
  sourceId: string,
  records: CanonicalRecord[],
): Promise<{ ids: Map<string, string>; created: string[] }> {
  const names = new Map<string, string | null>();
  for (const r of records)
    if (!names.has(String(r.customer_external_id)))
      names.set(String(r.customer_external_id), (r.customer_name as string | null) ?? null);
  const wanted = [...names.keys()].map((external_id) => ({ external_id }));
  const found = async () =>
    new Map(
      (
        await queryRows<{ external_id: string; customer_id: string }>(
          tx,
          sql`select i.external_id, i.customer_id from customer_identities i join ${unnestRows(["external_id"], wanted)} on i.external_id = u.external_id
              where i.tenant_id = ${tenantId}::uuid and i.source_id = ${sourceId}::uuid`,
        )
      ).map((r) => [r.external_id, r.customer_id]),
    );
  const existing = await found();
  // An erased person's sales stay on their anonymous record; no customer is made from their id.
  const erased = await erasedCustomers(
    tx,
    tenantId,
    sourceId,
    [...names.keys()].filter((id) => !existing.has(id)),
  );
  for (const [id, customer] of erased) existing.set(id, customer);
  const missing = [...names.entries()]
    .filter(([id]) => !existing.has(id))
    .map(([external_id, name]) => {
      const named = name ? customerNamedOnASale(name) : null;
      return {
        id: randomUUID(),
        external_id,
        civility: named?.civility ?? null,
        first_name: named?.firstName ?? null,
        last_name: named?.lastName ?? null,
        company: named?.company ?? null,
        kind: named?.kind ?? "private",
      };
    });
  if (missing.length > 0) {
    const columns = ["civility", "first_name", "last_name", "company", "kind"] as const;
    await tx.execute(
      sql`insert into customers (id, tenant_id, customer_code, ${sql.raw(columns.join(", "))})
          select u.id::uuid, ${tenantId}::uuid, u.external_id, ${sql.raw(columns.map((c) => `u.${c}`).join(", "))}
          from ${unnestRows(["id", "external_id", ...columns], missing)}`,
    );
    await tx.execute(
      sql`insert into customer_identities (tenant_id, customer_id, source_id, external_id, attributes)
          select ${tenantId}::uuid, u.id::uuid, ${sourceId}::uuid, u.external_id, jsonb_build_object('created_from', 'order_lines')
          from ${unnestRows(["id", "external_id"], missing)}`,
    );
    for (const m of missing) existing.set(m.external_id, m.id);
  }
  return { ids: existing, created: missing.map((m) => m.external_id) };
}

/** Product ids by sku; products the catalogue lacks are created from the line and reported. */
async function ensureProducts(
  tx: Tx,
  tenantId: string,
  records: CanonicalRecord[],
): Promise<{ ids: Map<string, string>; created: Array<{ sku: string; kind: ProductKind }> }> {
  const names = new Map<string, string>();
  for (const r of records)
    if (!names.has(String(r.product_sku)))
      names.set(String(r.product_sku), String(r.product_name ?? r.product_sku));
  // What the line's label says of the wine, until the catalogue comes: "Riesling 2021 75cl".
  const rows = [...names.entries()].map(([sku, name]) => ({
    sku,
    name,
    kind: guessProductKind(name, sku).kind,
    vintage: vintageFromLabel(name),
    size_ml: sizeFromLabel(name),
  }));
  const created = await queryRows<{ sku: string; kind: ProductKind }>(
    tx,
    sql`insert into products (tenant_id, sku, name, kind, vintage, size_ml)
        select ${tenantId}::uuid, u.sku, u.name, u.kind, u.vintage::int, u.size_ml::int
        from ${unnestRows(["sku", "name", "kind", "vintage", "size_ml"], rows)}
        on conflict (tenant_id, sku) do nothing returning sku, kind`,
  );
  const found = await queryRows<{ sku: string; id: string }>(
    tx,
    sql`select p.sku, p.id from products p join ${unnestRows(["sku"], rows)} on p.sku = u.sku where p.tenant_id = ${tenantId}::uuid`,
  );
  return { ids: new Map(found.map((r) => [r.sku, r.id])), created };
}

/**
 * Lines imported earlier keyed otherwise than this file keys them, renamed to this file's keys so
 * that they are found (updated or unchanged) instead of added again: a sales export that gained
 * a line-number column since (stored `CRE-21#1`, now `#3`), or lost it (stored `#3`, now the
 * sku's occurrence in the document). Only orders known before this batch can hold such lines.
 */
async function alignLineKeys(
  tx: Tx,
  tenantId: string,
  records: CanonicalRecord[],
  orderIds: Map<string, string>,
  knownOrders: Set<string>,
) {
  const numbered: Array<{ order_id: string; line_key: string; product_key: string }> = [];
  const bySku = new Set<string>();
  for (const r of records) {
    const order = orderIds.get(String(r.document_number));
    if (!order || !knownOrders.has(order)) continue;
    // A file with a line-number column sets `product_line_key` on every row; a row whose number
    // is blank is keyed by its sku either way, and leaves the order's numbered lines alone.
    if (typeof r.product_line_key !== "string") bySku.add(order);
    else if (r.line_key !== r.product_line_key)
      numbered.push({
        order_id: order,
        line_key: String(r.line_key),
        product_key: r.product_line_key,
      });
  }
  const renamed: Array<{ order_id: string; old_key: string; new_key: string }> = [];
  if (numbered.length > 0)
    renamed.push(
      ...(await queryRows<(typeof renamed)[number]>(
        tx,
        sql`update order_lines l set line_key = u.line_key, updated_at = now()
            from ${unnestRows(["order_id", "line_key", "product_key"], numbered)}
            where l.tenant_id = ${tenantId}::uuid and l.order_id = u.order_id::uuid and l.line_key = u.product_key
              and not exists (select 1 from order_lines x where x.tenant_id = l.tenant_id and x.order_id = l.order_id and x.line_key = u.line_key)
            returning l.order_id, u.product_key as old_key, l.line_key as new_key`,
      )),
    );
  if (bySku.size > 0)
    // The stored numbered lines of a product, in line-number order, are its 1st, 2nd… occurrence.
    renamed.push(
      ...(await queryRows<(typeof renamed)[number]>(
        tx,
        sql`with ranked as (
              select l.id, l.order_id, l.line_key as old_key, p.sku || '#' || row_number() over (
                       partition by l.order_id, l.product_id
                       order by (regexp_match(l.line_key, '^#([0-9]+)'))[1]::numeric nulls last, l.line_key) as key
              from order_lines l join products p on p.id = l.product_id
              where l.tenant_id = ${tenantId}::uuid and l.order_id = any(${arrayParam([...bySku], "uuid")}) and l.line_key like '#%')
            update order_lines l set line_key = r.key, updated_at = now()
            from ranked r
            where l.id = r.id
              and not exists (select 1 from order_lines x where x.tenant_id = l.tenant_id and x.order_id = r.order_id and x.line_key = r.key)
            returning l.order_id, r.old_key, l.line_key as new_key`,
      )),
    );
  if (renamed.length > 0)
    // The lines' anomalies follow them (staff's "ignored" included), unless the new key has its own.
    await tx.execute(
      sql`update anomalies a set record_key = o.document_number || '/' || u.new_key
          from ${unnestRows(["order_id", "old_key", "new_key"], renamed)}
          join orders o on o.id = u.order_id::uuid
          where a.tenant_id = ${tenantId}::uuid and a.source_id = o.source_id and a.entity = 'order_lines'
            and a.record_key = o.document_number || '/' || u.old_key
            and not exists (
              select 1 from anomalies b
              where b.tenant_id = a.tenant_id and b.source_id is not distinct from a.source_id and b.entity = a.entity
                and b.record_key = o.document_number || '/' || u.new_key
                and b.field is not distinct from a.field and b.code = a.code)`,
    );
}

/** Order ids by document number, and which of them were known before this batch. */
async function upsertOrders(
  tx: Tx,
  tenantId: string,
  sourceId: string,
  records: CanonicalRecord[],
  customerIds: Map<string, string>,
): Promise<{ ids: Map<string, string>; known: Set<string> }> {
  const documents = new Map<string, CanonicalRecord>();
  for (const r of records)
    if (!documents.has(String(r.document_number))) documents.set(String(r.document_number), r);
  const rows = [...documents.values()].map((r) => ({
    document_number: r.document_number,
    customer_id: customerIds.get(String(r.customer_external_id)),
    order_date: r.order_date,
    channel: r.channel ?? null,
  }));
  const written = await queryRows<{ id: string; inserted: boolean }>(
    tx,
    sql`insert into orders (tenant_id, source_id, document_number, customer_id, order_date, channel)
        select ${tenantId}::uuid, ${sourceId}::uuid, u.document_number, u.customer_id::uuid, left(u.order_date, 10)::date, u.channel
        from ${unnestRows(["document_number", "customer_id", "order_date", "channel"], rows)}
        on conflict (tenant_id, source_id, document_number) do update
          set customer_id = excluded.customer_id, order_date = excluded.order_date, channel = coalesce(excluded.channel, orders.channel), updated_at = now()
          where (orders.customer_id, orders.order_date, orders.channel) is distinct from (excluded.customer_id, excluded.order_date, coalesce(excluded.channel, orders.channel))
        returning id, (xmax = 0) as inserted`,
  );
  const created = new Set(written.filter((w) => w.inserted).map((w) => w.id));
  const found = await queryRows<{ document_number: string; id: string }>(
    tx,
    sql`select o.document_number, o.id from orders o join ${unnestRows(["document_number"], rows)} on o.document_number = u.document_number
        where o.tenant_id = ${tenantId}::uuid and o.source_id = ${sourceId}::uuid`,
  );
  return {
    ids: new Map(found.map((r) => [r.document_number, r.id])),
    known: new Set(found.filter((r) => !created.has(r.id)).map((r) => r.id)),
  };
}
