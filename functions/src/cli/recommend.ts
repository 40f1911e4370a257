import { writeFile } from "node:fs/promises";
import { sql } from "drizzle-orm";
import Papa from "papaparse";
import { AppError, defaultRules, safeCsvCell } from "@crm-reco/core";
import { queryRows } from "../adapters/db/database.ts";
import { type Algorithm, algorithms, generateRecommendations } from "../recommend/generate.ts";
import { loadHistory } from "../recommend/load-history.ts";
import { withEstate } from "./command-services.ts";
import { parseCommand } from "./options.ts";

/** `crm-reco recommend [--algorithm A] [--k N] [--as-of DATE] [--rules on|off] [--json]` */
export async function runRecommend(args: string[]): Promise<number> {
  const { values } = parseCommand(args, {
    algorithm: { type: "string" },
    k: { type: "string" },
    "as-of": { type: "string" },
    rules: { type: "string" },
    tenant: { type: "string" },
    json: { type: "boolean" },
  });
  const algorithm = (values.algorithm ?? "hybrid") as Algorithm;
  if (!algorithms.includes(algorithm))
    throw new AppError("cli.invalid", `--algorithm must be one of ${algorithms.join(", ")}.`);
  const k = values.k === undefined ? defaultRules.perCustomer : Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 100)
    throw new AppError("cli.invalid", "--k must be a whole number from 1 to 100.");
  if (values["as-of"] !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values["as-of"]))
    throw new AppError("cli.invalid", "--as-of must be a date YYYY-MM-DD.");
  if (values.rules !== undefined && values.rules !== "on" && values.rules !== "off")
    throw new AppError("cli.invalid", "--rules must be on or off.");
  return withEstate(values, async (services, tenant) => {
    const history = await loadHistory(services.db.db, tenant.id);
    if (history.purchases.length === 0)
      throw new AppError(
        "recommend.no_history",
        "No order lines to learn from: import sales first.",
      );
    const summary = await generateRecommendations(
      services.db.db,
      tenant.id,
      history,
      { algorithm, k, asOf: values["as-of"], rules: values.rules === "off" ? null : defaultRules },
      () => services.clock.now(),
    );
    process.stdout.write(
      values.json
        ? `${JSON.stringify(summary)}\n`
        : `Run ${summary.runId}: ${summary.recommendations} recommendations for ${summary.customers} customers (${summary.algorithm}, as of ${summary.asOf}).\n`,
    );
    return 0;
  });
}

/** `crm-reco export recommendations --out file.csv [--status pending|approved|all]`: the review list. */
export async function runExport(args: string[]): Promise<number> {
  const [what, ...rest] = args;
  if (what !== "recommendations")
    throw new AppError(
      "cli.invalid",
      "Usage: crm-reco export recommendations --out file.csv [--status pending|approved|all]",
    );
  const { values } = parseCommand(rest, {
    out: { type: "string" },
    status: { type: "string" },
    tenant: { type: "string" },
  });
  const out = values.out;
  if (!out) throw new AppError("cli.invalid", "--out file.csv is required.");
  const status = values.status ?? "pending";
  if (!["pending", "approved", "rejected", "exported", "all"].includes(status))
    throw new AppError(
      "cli.invalid",
      "--status must be pending, approved, rejected, exported or all.",
    );
  return withEstate(values, async (services, tenant) => {
    const rows = await queryRows<Record<string, string | number | null>>(
      services.db.db,
      sql`select coalesce((select i.external_id from customer_identities i where i.customer_id = c.id order by i.created_at, i.external_id limit 1), c.customer_code) as customer_external_id,
                 trim(coalesce(c.first_name || ' ', '') || coalesce(c.last_name, c.company, '')) as customer_name,
                 p.sku as product_sku, p.name as product_name, r.algorithm, r.rank, r.score, r.confidence, r.explanation->>'fr' as explanation, r.status
          from recommendations r join customers c on c.id = r.customer_id join products p on p.id = r.product_id
          where r.tenant_id = ${tenant.id}::uuid and (${status} = 'all' or r.status = ${status})
          order by customer_external_id, r.rank`,
    );
    const columns = [
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
    ];
    const csv = Papa.unparse(
      {
        fields: columns,
        data: rows.map((row) => columns.map((c) => safeCsvCell(row[c] as string | number | null))),
      },
      { newline: "\r\n" },
    );
    await writeFile(out, `\uFEFF${csv}\r\n`);
    process.stdout.write(`${rows.length} recommendations written to ${out}\n`);
    return 0;
  });
}
