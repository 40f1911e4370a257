import { randomUUID } from "node:crypto";
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A third reference for bench:import: `COPY` of the generated file's orders and lines, already
 * normalised and with their ids resolved, into the schema's own `orders` and `order_lines` (their
 * primary keys, unique keys, indexes and foreign keys), in an empty migrated database. What the
 * import's writes cost at best on these tables, whatever the statement that makes them.
 */
export function copyIntoSchemaTables(
  psql: string,
  url: string,
  dir: string,
  lines: number,
): { ordersMs: number; linesMs: number } {
  const query = (text: string) =>
    execFileSync(psql, [url, "-qAt", "-c", text], { encoding: "utf8" }).trim();
  const tenant = query("insert into tenants (slug, name) values ('copy', 'copy') returning id");
  const source = query(
    `insert into sources (tenant_id, name, kind) values ('${tenant}', 'copy', 'file') returning id`,
  );
  const customers = query(
    `insert into customers (tenant_id, customer_code, last_name) select '${tenant}', 'C' || g, 'Client ' || g from generate_series(0, 19999) g returning id`,
  ).split("\n");
  const products = query(
    `insert into products (tenant_id, sku, name) select '${tenant}', 'SKU-' || g, 'Cuvée ' || g from generate_series(0, 999) g returning id`,
  ).split("\n");

  // The same shape as generate-order-lines.ts: three lines an invoice, 20,000 customers, 1,000 wines.
  const orderIds: string[] = [];
  const orderRows: string[] = [];
  for (let doc = 0; doc * 3 < lines; doc++) {
    const id = randomUUID();
    orderIds.push(id);
    const date = `${2020 + (Math.floor(doc / 336) % 5)}-${String(1 + (Math.floor(doc / 28) % 12)).padStart(2, "0")}-${String(1 + (doc % 28)).padStart(2, "0")}`;
    orderRows.push(
      `${id}\t${tenant}\t${source}\tFA-${String(doc).padStart(7, "0")}\t${customers[doc % 20_000]}\t${date}`,
    );
  }
  const lineRows: string[] = [];
  for (let i = 0; i < lines; i++) {
    const sku = (i * 7919) % 1000;
    const qty = 1 + (i % 12);
    const cents = 850 + ((sku * 37) % 4000);
    lineRows.push(
      `${tenant}\t${orderIds[Math.floor(i / 3)]}\tSKU-${sku}#1\t${products[sku]}\t${qty}\t${(cents / 100).toFixed(2)}\t${((qty * cents) / 100).toFixed(2)}`,
    );
  }
  const ordersFile = join(dir, "orders.tsv");
  const linesFile = join(dir, "order-lines.tsv");
  writeFileSync(ordersFile, orderRows.join("\n") + "\n");
  writeFileSync(linesFile, lineRows.join("\n") + "\n");
  const copy = (target: string, file: string) => {
    const started = performance.now();
    const run = spawnSync(psql, [url, "-q", "-c", `\\copy ${target} from '${file}'`], {
      encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(run.stderr);
    return performance.now() - started;
  };
  return {
    ordersMs: copy(
      "orders (id, tenant_id, source_id, document_number, customer_id, order_date)",
      ordersFile,
    ),
    linesMs: copy(
      "order_lines (tenant_id, order_id, line_key, product_id, quantity, unit_price, total)",
      linesFile,
    ),
  };
}
