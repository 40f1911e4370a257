import { AppError } from "@crm-reco/core";
import { createServices, type Role, type RunningServices } from "../composition.ts";
import type { Config } from "../config.ts";
import { isEmptyEstate, loadDemoEstate } from "../demo/load-demo.ts";
import { createPrettyLogger } from "../log-pretty.ts";
import { onlyWarnings } from "../log.ts";
import { ensureTenant } from "../repos/tenants.ts";
import { type RunningServer, startVpsServer } from "../vps/server.ts";
import { describeDemo } from "./demo.ts";
import { describeDatabase } from "./migrate.ts";
import { configFromFlags, parseCommand } from "./options.ts";
import { ensureFirstAdmin } from "./user.ts";
import { applyMigrations } from "../db/apply-migrations.ts";
import { pendingMigrations } from "../db/pending-migrations.ts";

const serveRoles = ["all", "web", "worker"] as const satisfies readonly Role[];
type ServeRole = (typeof serveRoles)[number];

/**
 * `crm-reco serve [--role all|web|worker]`: `web` is the HTTP app (it only sends jobs), `worker`
 * runs the jobs and the scheduler with no HTTP listener, `all` (the default) is both in one
 * process. SIGTERM or SIGINT stops it gracefully; a second one stops it at once.
 */
export async function runServe(args: string[]): Promise<number> {
  const { values } = parseCommand(args, {
    migrate: { type: "boolean" },
    demo: { type: "boolean" },
    role: { type: "string" },
  });
  const role = parseRole(values.role);
  const config = configFromFlags(values);
  // Short lines for a person watching `npm start`; JSON lines for journald or a log collector.
  const pretty = (config.logFormat ?? (process.stdout.isTTY ? "pretty" : "json")) === "pretty";
  const log = pretty ? createPrettyLogger(config.logLevel) : undefined;
  const services = await createServices(config, log, role);
  let server: RunningServer | undefined;
  try {
    if (values.migrate) {
      const applied = await applyMigrations(services.db);
      if (applied.productKindsChanged > 0)
        services.log.info(applied, "products' kinds guessed again from their names");
    } else {
      // Not started on an older schema, where pages would fail one by one (a backup restored
      // from before an upgrade, a release started before its migrations).
      const pending = (await pendingMigrations(services.db.db)) ?? [];
      if (pending.length > 0)
        throw new AppError(
          "db.migrations_pending",
          `The database lacks ${pending.length} migration(s) of this release (${pending.join(", ")}): run \`crm-reco migrate\` first (or serve with --migrate).`,
        );
    }
    if (config.database.driver === "pglite" && values.migrate)
      await prepareEmbedded(services, values.demo);
    const { resumed } = await services.startBackground();
    if (resumed > 0) services.log.info({ jobs: resumed }, "unfinished jobs queued again");
    const where = `database: ${describeDatabase(config.database)}, queue: ${describeQueue(config)}`;
    if (role === "worker") {
      process.stdout.write(`CRM Reco worker is running  (${where})\n`);
    } else {
      server = await startVpsServer({
        services,
        port: config.port,
        host: config.host,
        webDistDir: config.webDistDir,
      });
      process.stdout.write(`CRM Reco is running at ${server.url}  (${where})\n`);
    }
    await stopSignal();
    process.stdout.write("Stopping…\n");
  } finally {
    // New requests are refused first; jobs in flight then finish (or go back to the queue).
    await server?.close();
    await services.close();
  }
  return 0;
}

function parseRole(value: string | undefined): ServeRole {
  const role = value ?? "all";
  if (!(serveRoles as readonly string[]).includes(role))
    throw new AppError("cli.invalid", `--role must be one of ${serveRoles.join(", ")}.`);
  return role as ServeRole;
}

/** Embedded edition: the default estate, the demo on first run, and an admin to sign in with. */
async function prepareEmbedded(services: RunningServices, demo: boolean | undefined) {
  const tenant = await ensureTenant(services.db.db, { slug: "default", name: "Mon domaine" });
  if (demo && (await isEmptyEstate(services, tenant.id))) {
    process.stdout.write("Premier démarrage : chargement du domaine de démonstration…\n");
    // Its own lines say what it does; the imports' info lines would repeat them in between.
    const quiet = { ...services, log: onlyWarnings(services.log) };
    const summary = await loadDemoEstate(quiet, tenant.id, (m) => process.stdout.write(`  ${m}\n`));
    process.stdout.write(`${describeDemo(summary)}\n`);
  }
  const admin = await ensureFirstAdmin(services.db.db, tenant.id);
  if (admin)
    process.stdout.write(
      `\n  Premier démarrage : connectez-vous avec ${admin.email} et le mot de passe ${admin.password}\n  (affiché une seule fois ; ajoutez des personnes avec \`crm-reco user create\`)\n\n`,
    );
}

const describeQueue = (config: Config) =>
  config.queue.kind === "pgboss" ? "pg-boss" : "in-process";

/** Resolves on the first SIGTERM or SIGINT; a second one exits without waiting for jobs. */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const first = () => {
      process.removeListener("SIGINT", first);
      process.removeListener("SIGTERM", first);
      const again = () => {
        process.stderr.write("Stopped without waiting for jobs in flight.\n");
        process.exit(130);
      };
      process.once("SIGINT", again);
      process.once("SIGTERM", again);
      resolve();
    };
    process.on("SIGINT", first);
    process.on("SIGTERM", first);
  });
}
