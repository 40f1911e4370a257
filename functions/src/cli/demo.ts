import { AppError } from "@crm-reco/core";
import {
  clearEstateData,
  DEMO_ODOO_SOURCE,
  DEMO_SOURCE,
  type DemoSummary,
  isEmptyEstate,
  loadDemoEstate,
} from "../demo/load-demo.ts";
import { sql } from "drizzle-orm";
import { queryRows } from "../adapters/db/database.ts";
import { listSources } from "../repos/sources.ts";
import { withEstate } from "./command-services.ts";
import { isDay, parseCommand } from "./options.ts";

/** `crm-reco demo load` (into an empty estate) or `crm-reco demo reset` (clear, then load). */
export async function runDemo(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "load" && sub !== "reset")
    throw new AppError(
      "cli.invalid",
      "Usage: crm-reco demo load|reset [--until YYYY-MM-DD] [--tenant SLUG] [--json] [--yes]",
    );
  const { values } = parseCommand(rest, {
    tenant: { type: "string" },
    json: { type: "boolean" },
    until: { type: "string" },
    yes: { type: "boolean" },
  });
  if (values.until !== undefined && !isDay(values.until))
    throw new AppError("cli.invalid", `--until takes a date as YYYY-MM-DD, not "${values.until}".`);
  return withEstate(values, async (services, tenant) => {
    if (sub === "reset") {
      // An estate's own data is not lost to a command meant for the demo: said, and asked for.
      const own = (await listSources(services.db.db, tenant.id))
        .map((s) => s.name)
        .filter((name) => name !== DEMO_SOURCE && name !== DEMO_ODOO_SOURCE);
      // Staff's own work on the demo counts as much: what they approved, rejected or sent.
      const [work] = await queryRows<{ n: number }>(
        services.db.db,
        sql`select count(*)::int as n from recommendations where tenant_id = ${tenant.id}::uuid and status <> 'pending'`,
      );
      if ((own.length > 0 || work!.n > 0) && !values.yes)
        throw new AppError(
          "demo.conflict",
          `This estate holds ${own.length > 0 ? `data of its own (sources: ${own.join(", ")})` : `${work!.n} reviewed recommendation(s)`}: \`demo reset\` would delete all of it, customers, sales and recommendations. Back it up first; add --yes if that is what you want.`,
        );
      await clearEstateData(services, tenant.id);
    } else if (!(await isEmptyEstate(services, tenant.id)))
      throw new AppError(
        "demo.conflict",
        "This estate already holds data: `crm-reco demo reset` replaces it with the demo estate.",
      );
    const summary = await loadDemoEstate(
      services,
      tenant.id,
      (m) => {
        if (!values.json) process.stdout.write(`${m}\n`);
      },
      values.until ? { until: values.until } : {},
    );
    process.stdout.write(
      values.json ? `${JSON.stringify(summary)}\n` : `${describeDemo(summary)}\n`,
    );
    return 0;
  });
}

const STATUS_FR: Record<string, string> = {
  succeeded: "réussi",
  partial: "partiel",
  failed: "échoué",
};

/** The demo's summary, in French: the estate's staff read it on their first start. */
export const describeDemo = (s: DemoSummary) =>
  [
    ...s.imported.map(
      (i) =>
        `  ${i.fileName} : ${i.rows} lignes lues, rejetées : ${i.rejected} (${STATUS_FR[i.status] ?? i.status})`,
    ),
    `  ${s.merged} doublons de clients fusionnés`,
    `  ${s.recommendations} recommandations pour ${s.customers} clients, à relire dans l'application`,
  ].join("\n");
