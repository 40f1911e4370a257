import { sql } from "drizzle-orm";
import { AppError, type Tier, tiers } from "@crm-reco/core";
import { arrayParam, type Db, queryRows } from "../adapters/db/database.ts";
import { loadCampaignRules } from "../recommend/campaign-rules.ts";
import { type Algorithm, algorithms, generateRecommendations } from "../recommend/generate.ts";
import { customersForProduct } from "../recommend/customers-for-product.ts";
import { type History, loadHistory } from "../recommend/load-history.ts";
import { writeReviewListCsv } from "../recommend/review-list-csv.ts";
import { customerName } from "../repos/customer-profile.ts";
import { refuseOutsideCatalogue } from "../repos/product-kinds.ts";
import { withEstate } from "./command-services.ts";
import { parseCommand } from "./options.ts";

/**
 * `crm-reco recommend [--algorithm A] [--k N] [--as-of DATE] [--rules on|off] [--tier T,…]
 * [--kind private|trade] [--json]`, or `crm-reco recommend --product SKU`: the customers for a wine.
 */
export async function runRecommend(args: string[]): Promise<number> {
  const { values } = parseCommand(args, {
    algorithm: { type: "string" },
    k: { type: "string" },
    "as-of": { type: "string" },
    rules: { type: "string" },
    tier: { type: "string" },
    kind: { type: "string" },
    product: { type: "string" },
    tenant: { type: "string" },
    json: { type: "boolean" },
  });
  const tierList = values.tier?.split(",").map((t) => t.trim()) ?? [];
  const unknownTier = tierList.find((t) => !(tiers as readonly string[]).includes(t));
  if (unknownTier !== undefined)
    throw new AppError("cli.invalid", `--tier must list tiers among ${tiers.join(", ")}.`);
  if (values.kind !== undefined && values.kind !== "private" && values.kind !== "trade")
    throw new AppError("cli.invalid", "--kind must be private or trade.");
  const algorithm = (values.algorithm ?? "hybrid") as Algorithm;
  if (!algorithms.includes(algorithm))
    throw new AppError("cli.invalid", `--algorithm must be one of ${algorithms.join(", ")}.`);
  // Without --k: 20 leads for a wine, or the estate's "at most K per customer" rule.
  const asked = values.k === undefined ? undefined : Number(values.k);
  if (
    asked !== undefined &&
    (!Number.isInteger(asked) || asked < 1 || asked > (values.product ? 100_000 : 100))
  )
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
    if (values.product !== undefined)
      return printCustomersFor(services.db.db, tenant.id, history, values.product, {
        asOf: values["as-of"] ?? history.latestOrderDate!,
        k: asked ?? 20,
        json: values.json ?? false,
      });
    const rules = await loadCampaignRules(services.db.db, tenant.id);
    const summary = await generateRecommendations(
      services.db.db,
      tenant.id,
      history,
      {
        algorithm,
        k: asked ?? rules.perCustomer,
        asOf: values["as-of"],
        rules: values.rules === "off" ? null : rules,
        target: { tiers: tierList as Tier[], kind: values.kind as "private" | "trade" | undefined },
      },
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

async function printCustomersFor(
  db: Db,
  tenantId: string,
  history: History,
  sku: string,
  options: { asOf: string; k: number; json: boolean },
): Promise<number> {
  const product = [...history.catalogue.values()].find((p) => p.sku === sku);
  if (!product)
    return refuseOutsideCatalogue(
      db,
      tenantId,
      { sku },
      new AppError("recommend.unknown_product", `No product with SKU "${sku}".`),
    );
  const leads = customersForProduct(history, product.id, options);
  const people = await queryRows<{ id: string; code: string | null; name: string }>(
    db,
    sql`select c.id, coalesce((select i.external_id from customer_identities i where i.customer_id = c.id order by i.created_at, i.external_id limit 1), c.customer_code) as code,
               ${customerName("c")} as name
        from customers c where c.tenant_id = ${tenantId}::uuid and c.id = any(${arrayParam(
          leads.map((l) => l.customerId),
          "uuid",
        )})`,
  );
  const who = new Map(people.map((p) => [p.id, p]));
  const rows = leads.map((l, i) => ({
    rank: i + 1,
    customer_external_id: who.get(l.customerId)?.code ?? null,
    customer_name: who.get(l.customerId)?.name ?? "",
    confidence: l.confidence,
    rank_in_their_list: l.rankForCustomer,
    explanation: l.explanation,
  }));
  if (options.json)
    process.stdout.write(
      `${JSON.stringify({ product: sku, onSale: product.active, customers: rows })}\n`,
    );
  else {
    process.stdout.write(`Customers for ${product.name} (${sku}), as of ${options.asOf}:\n`);
    // Ranked as if on sale (a vintage before its launch); a campaign keeps them off until it is.
    if (!product.active)
      process.stdout.write(
        "Not on sale: these customers are ranked for its launch; campaigns leave them out until it is on sale.\n",
      );
    for (const r of rows)
      process.stdout.write(
        `${String(r.rank).padStart(3)}. ${r.customer_name || r.customer_external_id} (${r.customer_external_id ?? "?"}) · ${(r.confidence * 100).toFixed(1)} % · ${r.explanation.fr}\n`,
      );
    if (rows.length === 0) process.stdout.write("No customer has it among their likely wines.\n");
  }
  return 0;
}

/**
 * `crm-reco export recommendations --out file.csv [--status pending|approved|all] [--delimiter ";"|","]`:
 * the review list.
 */
export async function runExport(args: string[]): Promise<number> {
  const [what, ...rest] = args;
  if (what !== "recommendations")
    throw new AppError(
      "cli.invalid",
      'Usage: crm-reco export recommendations --out file.csv [--status pending|approved|all] [--delimiter ";"|","]',
    );
  const { values } = parseCommand(rest, {
    out: { type: "string" },
    status: { type: "string" },
    delimiter: { type: "string" },
    tenant: { type: "string" },
  });
  const delimiter = values.delimiter ?? ";";
  if (delimiter !== ";" && delimiter !== ",")
    throw new AppError(
      "cli.invalid",
      '--delimiter must be ";" (French Excel, decimal commas: the default) or "," (decimal points).',
    );
  const out = values.out;
  if (!out) throw new AppError("cli.invalid", "--out file.csv is required.");
  const status = values.status ?? "pending";
  if (!["pending", "approved", "rejected", "exported", "all"].includes(status))
    throw new AppError(
      "cli.invalid",
      "--status must be pending, approved, rejected, exported or all.",
    );
  return withEstate(values, async (services, tenant) => {
    const written = await writeReviewListCsv(
      services.db.db,
      tenant.id,
      status,
      out,
      undefined,
      delimiter,
    );
    process.stdout.write(`${written} recommendations written to ${out}\n`);
    return 0;
  });
}
