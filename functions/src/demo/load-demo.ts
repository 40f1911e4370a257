import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import iconv from "iconv-lite";
import { type ImportEntity, type Mapping } from "@crm-reco/core";
import { queryRows } from "../adapters/db/database.ts";
import { resolveIdentities } from "../identity/resolve-identities.ts";
import { importFile } from "../import/import-file.ts";
import { generateRecommendations } from "../recommend/generate.ts";
import { loadHistory } from "../recommend/load-history.ts";
import { DEFAULT_CAMPAIGN, loadCampaignRules } from "../recommend/campaign-rules.ts";
import { createSource, findSourceByName } from "../repos/sources.ts";
import type { Services } from "../services.ts";
import { type DemoOptions, generateDemoEstate } from "./demo-estate.ts";

export const DEMO_SOURCE = "iSaVigne (démo)";

export interface DemoSummary {
  imported: Array<{
    entity: ImportEntity;
    fileName: string;
    status: string;
    rows: number;
    rejected: number;
  }>;
  merged: number;
  recommendations: number;
  customers: number;
}

/** Whether the estate holds no data yet (a first start). */
export async function isEmptyEstate(
  services: Pick<Services, "db">,
  tenantId: string,
): Promise<boolean> {
  const [row] = await queryRows<{ n: number }>(
    services.db.db,
    sql`select (select count(*) from sources where tenant_id = ${tenantId}::uuid)::int as n`,
  );
  return row!.n === 0;
}

export const DEMO_ODOO_SOURCE = "Odoo e-boutique (exports)";

/** How the e-shop's Odoo exports map: Odoo's "Nom" is the whole name, its ids are the codes. */
const odooExportMappings = {
  customers: {
    entity: "customers",
    fields: {
      external_id: "ID",
      full_name: "Nom",
      email: "E-mail",
      phone: "Téléphone",
      postal_code: "Code postal",
      city: "Ville",
      country: "Pays",
    },
  },
  order_lines: {
    entity: "order_lines",
    fields: {
      document_number: "Référence de la commande",
      line_number: "ID de ligne",
      order_date: "Date de la commande",
      customer_external_id: "ID client",
      customer_name: "Client",
      product_sku: "Référence interne",
      product_name: "Produit",
      quantity: "Quantité",
      unit_price: "Prix unitaire",
      total: "Total",
      // Every order of the e-shop's Odoo is an online sale.
      channel: {
        column: "Référence de la commande",
        transforms: [{ kind: "constant", value: "eshop" }],
      },
    },
  },
} satisfies Record<"customers" | "order_lines", Mapping>;

/**
 * The demo's sales end with the last whole month, so that its charts and segments read as today's
 * (a history frozen at one date would show its estate selling nothing since).
 */
export const endOfLastMonth = (now: Date): string =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)).toISOString().slice(0, 10);

/**
 * Loads the demo estate the way an estate's own data arrives: its exports (French Excel's `;`
 * CSV in Windows-1252) stored as uploads and imported by the real import path, customers
 * resolved across records, then recommendations generated and measured.
 */
export async function loadDemoEstate(
  services: Services,
  tenantId: string,
  progress: (message: string) => void = () => {},
  options: DemoOptions = {},
): Promise<DemoSummary> {
  const files = generateDemoEstate({ until: endOfLastMonth(services.clock.now()), ...options });
  const source =
    (await findSourceByName(services.db.db, tenantId, DEMO_SOURCE)) ??
    (await createSource(services.db.db, tenantId, { name: DEMO_SOURCE, kind: "file" }));
  const imported: DemoSummary["imported"] = [];
  for (const [entity, fileName, text] of [
    ["products", "articles.csv", files.products],
    ["customers", "clients.csv", files.customers],
    ["order_lines", "ventes.csv", files.sales],
  ] as const) {
    progress(`Import de ${fileName}…`);
    const bytes = new Uint8Array(iconv.encode(text, "win1252"));
    const checksum = createHash("sha256").update(bytes).digest("hex");
    const key = `${tenantId}/imports/${checksum}/${fileName}`;
    await services.blobs.put(key, bytes, "text/csv");
    const summary = await importFile(services, {
      tenantId,
      sourceId: source.id,
      entity,
      fileName,
      checksum,
      open: () => services.blobs.get(key),
      trigger: "demo",
    });
    imported.push({
      entity,
      fileName,
      status: summary.status,
      rows: summary.rowsRead,
      rejected: summary.rowsRejected,
    });
  }
  // The e-shop's Odoo exports, a second source whose customers overlap the cellar door's.
  const odoo =
    (await findSourceByName(services.db.db, tenantId, DEMO_ODOO_SOURCE)) ??
    (await createSource(services.db.db, tenantId, { name: DEMO_ODOO_SOURCE, kind: "file" }));
  for (const [entity, fileName, text] of [
    ["customers", "odoo-contacts.csv", files.odooCustomers],
    ["order_lines", "odoo-commandes.csv", files.odooSales],
  ] as const) {
    progress(`Import de ${fileName}…`);
    const bytes = new TextEncoder().encode(text);
    const checksum = createHash("sha256").update(bytes).digest("hex");
    const key = `${tenantId}/imports/${checksum}/${fileName}`;
    await services.blobs.put(key, bytes, "text/csv");
    const summary = await importFile(services, {
      tenantId,
      sourceId: odoo.id,
      entity,
      fileName,
      checksum,
      open: () => services.blobs.get(key),
      trigger: "demo",
      mapping: odooExportMappings[entity],
    });
    imported.push({
      entity,
      fileName,
      status: summary.status,
      rows: summary.rowsRead,
      rejected: summary.rowsRejected,
    });
  }
  progress("Rapprochement des clients…");
  const identities = await resolveIdentities(services.db.db, tenantId);
  progress("Calcul des recommandations…");
  const history = await loadHistory(services.db.db, tenantId);
  const rules = await loadCampaignRules(services.db.db, tenantId);
  const run = await generateRecommendations(
    services.db.db,
    tenantId,
    history,
    { algorithm: "hybrid", k: rules.perCustomer, rules },
    () => services.clock.now(),
  );
  return {
    imported,
    merged: identities.merged,
    recommendations: run.recommendations,
    customers: run.customers,
  };
}

/** Deletes the estate's data (not its users, keys or webhooks), to load the demo again. */
export async function clearEstateData(
  services: Pick<Services, "db">,
  tenantId: string,
): Promise<void> {
  await services.db.db.transaction(async (tx) => {
    for (const table of [
      "feedback",
      "recommendations",
      "recommendation_runs",
      "campaigns",
      "contacts",
      "customer_segments",
      "merge_candidates",
      "customer_merges",
      "order_lines",
      "orders",
      "customer_identities",
      "customers",
      "product_identities",
      "products",
      "anomalies",
      "rejected_rows",
      "sync_runs",
      "mappings",
      "sources",
      "jobs",
    ])
      await tx.execute(
        // The default campaign holds the estate's rules, which are settings rather than data.
        sql`delete from ${sql.identifier(table)} where tenant_id = ${tenantId}::uuid${
          table === "campaigns" ? sql` and slug <> ${DEFAULT_CAMPAIGN}` : sql``
        }`,
      );
  });
}
