import { open } from "node:fs/promises";
import { sql } from "drizzle-orm";
import Papa from "papaparse";
import { safeCsvCell } from "@crm-reco/core";
import { arrayParam, type Db, queryRows } from "../adapters/db/database.ts";
import { customerName } from "../repos/customer-profile.ts";

export const REVIEW_LIST_COLUMNS = [
  "customer_external_id",
  "customer_name",
  "product_sku",
  "product_name",
  "algorithm",
  "rank",
  "score",
  "confidence",
  "explanation",
  "status",
  // The staff's decision: the day it was made, and why a recommendation was rejected.
  "decided_on",
  "reject_reason",
];

/**
 * How the file is written: `;` with decimal commas by default, as French Excel opens a CSV file
 * (with `,` it puts every row in one column), or `,` with decimal points.
 */
export type ReviewListDelimiter = ";" | ",";

/**
 * The review list as CSV (`crm-reco export recommendations`): one row per recommendation with
 * the status asked for (or `all`), customer by customer in the order of their codes, each
 * customer's by rank. Customers are read first, then their recommendations `customersPerRead` at
 * a time, written as they come: memory stays flat (20,000 customers' top 50 read at once took
 * 2.4 GB). Every read sees the same moment (one read-only, repeatable-read transaction): a run
 * that replaces the pending list during an export cannot leave customers listed without their
 * rows, or mix two runs' lists. Scores and confidences are rounded as a person reads them
 * (0,215, not 0,2150000035762787: confidences are stored as 4-byte floats). Returns the number of
 * recommendations written.
 */
export async function writeReviewListCsv(
  db: Db,
  tenantId: string,
  status: string,
  out: string,
  customersPerRead = 1000,
  delimiter: ReviewListDelimiter = ";",
): Promise<number> {
  return db.transaction((tx) => writeFrom(tx, tenantId, status, out, customersPerRead, delimiter), {
    isolationLevel: "repeatable read",
    accessMode: "read only",
  });
}

async function writeFrom(
  db: Db,
  tenantId: string,
  status: string,
  out: string,
  customersPerRead: number,
  delimiter: ReviewListDelimiter,
): Promise<number> {
  const asCell = (value: string | number | null) =>
    typeof value === "number" && delimiter === ";"
      ? String(value).replace(".", ",")
      : safeCsvCell(value);
  const unparse = (rows: unknown[][]) => Papa.unparse(rows, { newline: "\r\n", delimiter });
  const statusIs = sql`(${status} = 'all' or r.status = ${status})`;
  // Each customer's code and name, read once here rather than on every one of their rows.
  const customers = await queryRows<{
    id: string;
    customer_external_id: string | null;
    customer_name: string | null;
  }>(
    db,
    sql`select c.id, coalesce((select i.external_id from customer_identities i where i.customer_id = c.id order by i.created_at, i.external_id limit 1), c.customer_code) as customer_external_id,
               ${customerName("c")} as customer_name
        from customers c
        where c.tenant_id = ${tenantId}::uuid
          and exists (select 1 from recommendations r where r.customer_id = c.id and r.tenant_id = ${tenantId}::uuid and ${statusIs})
        order by customer_external_id, c.id`,
  );
  // A folder that cannot be written fails here, before any read; the file is closed however
  // the export ends.
  const file = await open(out, "w");
  let written = 0;
  try {
    await file.write(`\uFEFF${unparse([REVIEW_LIST_COLUMNS])}\r\n`);
    for (let at = 0; at < customers.length; at += customersPerRead) {
      const chunk = customers.slice(at, at + customersPerRead);
      const ids = chunk.map((c) => c.id);
      const rows = await queryRows<Record<string, string | number | null>>(
        db,
        sql`select r.customer_id, p.sku as product_sku, p.name as product_name, r.algorithm, r.rank, round(r.score::numeric, 4)::float8 as score, round(r.confidence::numeric, 3)::float8 as confidence, r.explanation->>'fr' as explanation, r.status,
                   to_char(r.decided_at at time zone 'Europe/Paris', 'YYYY-MM-DD') as decided_on, r.reject_reason
            from recommendations r join products p on p.id = r.product_id
            where r.tenant_id = ${tenantId}::uuid and ${statusIs} and r.customer_id = any(${arrayParam(ids, "uuid")})
            order by r.rank, r.id`,
      );
      const byCustomer = new Map<string, typeof rows>();
      for (const row of rows) {
        const list = byCustomer.get(row.customer_id as string);
        if (list) list.push(row);
        else byCustomer.set(row.customer_id as string, [row]);
      }
      const data = chunk.flatMap((customer) =>
        (byCustomer.get(customer.id) ?? []).map((row) =>
          REVIEW_LIST_COLUMNS.map((c) =>
            asCell(
              (row[c] ?? customer[c as keyof typeof customer] ?? null) as string | number | null,
            ),
          ),
        ),
      );
      if (data.length > 0) await file.write(`${unparse(data)}\r\n`);
      written += data.length;
    }
  } finally {
    await file.close();
  }
  return written;
}
