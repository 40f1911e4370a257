import { readFile } from "node:fs/promises";
import { AppError, describeIssues } from "@crm-reco/core";
import {
  connectionOfSource,
  OdooSourceConfig,
  sealSecret,
  secretHintOf,
} from "../odoo/odoo-source.ts";
import { pushRecommendationsToOdoo } from "../odoo/push-activities.ts";
import { type OdooSyncSummary, syncOdooSource } from "../odoo/sync-odoo.ts";
import { type ConnectionReport, testOdooConnection } from "../odoo/test-odoo-connection.ts";
import {
  createSource,
  findSourceByName,
  replaceOdooCredentials,
  setSourceSecret,
} from "../repos/sources.ts";
import { requireServerKey } from "../composition.ts";
import { withEstate } from "./command-services.ts";
import { configFromFlags, parseCommand } from "./options.ts";

const connectionFlags = {
  name: { type: "string" },
  url: { type: "string" },
  db: { type: "string" },
  user: { type: "string" },
  key: { type: "string" },
  "key-file": { type: "string" },
  protocol: { type: "string" },
  schedule: { type: "string" },
  "time-zone": { type: "string" },
  source: { type: "string" },
  tenant: { type: "string" },
  json: { type: "boolean" },
} as const;

/** The key from --key, or from --key-file (keeps it out of the shell history). */
async function secretFrom(values: { key?: string; "key-file"?: string }): Promise<string> {
  // Spaces around a pasted key are no part of it; a key of spaces is none.
  const key = (
    values["key-file"] ? await readFile(values["key-file"], "utf8") : (values.key ?? "")
  ).trim();
  if (!key)
    throw new AppError(
      "cli.invalid",
      "Give the Odoo API key (or password, legacy API only) with --key or --key-file.",
    );
  return key;
}

function configFrom(values: Record<string, unknown>) {
  const parsed = OdooSourceConfig.safeParse({
    url: values.url,
    database: values.db,
    login: values.user,
    ...(values.protocol ? { protocol: values.protocol } : {}),
    ...(values["time-zone"] ? { timeZone: values["time-zone"] } : {}),
  });
  if (!parsed.success)
    throw new AppError(
      "cli.invalid",
      `--url, --db and --user are required: ${describeIssues(parsed.error.issues)}`,
    );
  return parsed.data;
}

/**
 * `crm-reco source add odoo --name … --url … --db … --user … --key … [--schedule cron]`;
 * `crm-reco source key --source NAME (--key KEY | --key-file FILE) [--user LOGIN]` when the key
 * expired, the user changed, or the stored key can no longer be read.
 */
export async function runSource(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(args, connectionFlags);
  requireServerKey(configFromFlags(values));
  if (positionals[0] === "key") {
    if (!values.source)
      throw new AppError(
        "cli.invalid",
        "Usage: crm-reco source key --source NAME (--key KEY | --key-file FILE) [--user LOGIN]",
      );
    const secret = await secretFrom(values);
    const login = values.user?.trim();
    if (values.user !== undefined && !login)
      throw new AppError("cli.invalid", "--user is empty: give the Odoo login, or leave it out.");
    return withEstate(values, async (services, tenant) => {
      const found = await sourceNamed(services.db.db, tenant.id, values.source!);
      const source = await replaceOdooCredentials(services.db.db, tenant.id, found.id, {
        sealed: sealSecret(services.secretKey, secret),
        hint: secretHintOf(secret),
        login,
      });
      process.stdout.write(
        `New key for "${source.name}" (key ${secretHintOf(secret)}${login ? `, user ${login}` : ""}).\nTest it: crm-reco odoo test --source "${source.name}"\n`,
      );
      return 0;
    });
  }
  if (positionals[0] !== "add" || positionals[1] !== "odoo" || !values.name)
    throw new AppError(
      "cli.invalid",
      "Usage: crm-reco source add odoo --name NAME --url URL --db DATABASE --user LOGIN (--key KEY | --key-file FILE) [--schedule CRON]",
    );
  const config = configFrom(values);
  const secret = await secretFrom(values);
  return withEstate(values, async (services, tenant) => {
    const source = await createSource(services.db.db, tenant.id, {
      name: values.name!,
      kind: "odoo",
      config: { ...config, secretHint: secretHintOf(secret) },
      schedule: values.schedule ?? null,
    });
    await setSourceSecret(
      services.db.db,
      tenant.id,
      source.id,
      sealSecret(services.secretKey, secret),
    );
    process.stdout.write(
      `Odoo source "${source.name}" added (${config.url}, database ${config.database}, key ${secretHintOf(secret)}).\nTest it: crm-reco odoo test --source "${source.name}"\n`,
    );
    return 0;
  });
}

/** `crm-reco odoo test (--source NAME | --url … --db … --user … --key …)` and `odoo push --source NAME` */
export async function runOdoo(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    ...connectionFlags,
    lang: { type: "string" },
    "due-days": { type: "string" },
  });
  const action = positionals[0];
  // A stored source's key is opened with the server's own (a connection given in full is not).
  if (action === "push" || values.source) requireServerKey(configFromFlags(values));
  if (action === "push") {
    if (!values.source)
      throw new AppError("cli.invalid", "Usage: crm-reco odoo push --source NAME");
    return withEstate(values, async (services, tenant) => {
      const source = await sourceNamed(services.db.db, tenant.id, values.source!);
      const summary = await pushRecommendationsToOdoo(services, {
        tenantId: tenant.id,
        sourceId: source.id,
        dueInDays: values["due-days"] === undefined ? undefined : Number(values["due-days"]),
      });
      if (values.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else
        process.stdout.write(
          `${summary.pushed} activities written to Odoo, ${summary.alreadyInOdoo} already there, ${summary.skipped.length} skipped.\n${summary.errors.map((e) => `Error (${e.code}): ${e.message}\n`).join("")}`,
        );
      return summary.errors.length === 0 ? 0 : 1;
    });
  }
  if (action !== "test")
    throw new AppError(
      "cli.invalid",
      "Usage: crm-reco odoo test --source NAME | --url URL --db DB --user LOGIN (--key KEY | --key-file FILE);  crm-reco odoo push --source NAME",
    );
  const lang = values.lang === "en" ? "en" : "fr";
  return withEstate(values, async (services, tenant) => {
    let connection;
    if (values.source) {
      const source = await sourceNamed(services.db.db, tenant.id, values.source);
      connection = connectionOfSource(source, services.secretKey);
    } else {
      const config = configFrom(values);
      connection = { ...config, secret: await secretFrom(values) };
    }
    const report = await testOdooConnection(connection);
    process.stdout.write(
      values.json ? `${JSON.stringify(report, null, 2)}\n` : describeReport(report, lang),
    );
    return report.ok ? 0 : 1;
  });
}

/** `crm-reco sync <source> [--full] [--json]` */
export async function runSync(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    full: { type: "boolean" },
    json: { type: "boolean" },
    tenant: { type: "string" },
  });
  const [name, ...more] = positionals;
  if (!name || more.length > 0)
    throw new AppError("cli.invalid", "Usage: crm-reco sync <source name> [--full] [--json]");
  requireServerKey(configFromFlags(values));
  return withEstate(values, async (services, tenant) => {
    const source = await sourceNamed(services.db.db, tenant.id, name);
    const summary = await syncOdooSource(services, {
      tenantId: tenant.id,
      sourceId: source.id,
      trigger: "cli",
      full: Boolean(values.full),
    });
    process.stdout.write(
      values.json ? `${JSON.stringify(summary, null, 2)}\n` : describeSync(summary),
    );
    return summary.status === "failed" ? 1 : 0;
  });
}

async function sourceNamed(
  db: Parameters<typeof findSourceByName>[0],
  tenantId: string,
  name: string,
) {
  const source = await findSourceByName(db, tenantId, name);
  if (!source) throw new AppError("source.not_found", `No source named "${name}".`);
  if (source.kind !== "odoo")
    throw new AppError("source.invalid", `"${name}" is a file source, not an Odoo one.`);
  return source;
}

function describeReport(report: ConnectionReport, lang: "fr" | "en"): string {
  return `${report.checks.map((c) => `${c.ok ? "✓" : "✗"} ${c.message[lang]}`).join("\n")}\n`;
}

function describeSync(summary: OdooSyncSummary): string {
  const lines = [
    `Odoo ${summary.serverVersion ?? "?"} (${summary.protocol ?? "not reached"}), ${summary.full ? "full" : "incremental"} sync: ${summary.status}`,
    ...summary.runs.map(
      (r) =>
        `  ${r.entity.padEnd(12)} read ${r.rowsRead}, inserted ${r.rowsInserted}, updated ${r.rowsUpdated}, unchanged ${r.rowsUnchanged}, rejected ${r.rowsRejected}${r.rowsDeleted ? `, removed ${r.rowsDeleted}` : ""} — ${r.status}`,
    ),
    ...summary.errors.map((e) => `Error (${e.code}): ${e.message}`),
  ];
  return `${lines.join("\n")}\n`;
}
