import { createServices } from "../composition.ts";
import { ensureTenant } from "../repos/tenants.ts";
import { startVpsServer } from "../vps/server.ts";
import { describeDatabase } from "./migrate.ts";
import { configFromFlags, parseCommand } from "./options.ts";
import { isEmptyEstate, loadDemoEstate } from "../demo/load-demo.ts";
import { resumeUnfinishedJobs } from "../jobs/workers.ts";
import { describeDemo } from "./demo.ts";
import { ensureFirstAdmin } from "./user.ts";

export async function runServe(args: string[]): Promise<number> {
  const { values } = parseCommand(args, {
    migrate: { type: "boolean" },
    demo: { type: "boolean" },
  });
  const config = configFromFlags(values);
  const services = await createServices(config);
  if (values.migrate) await services.db.migrate();
  if (config.database.driver === "pglite" && values.migrate) {
    // Embedded edition: the default estate, and on first run an admin to sign in with.
    const tenant = await ensureTenant(services.db.db, { slug: "default", name: "Mon domaine" });
    if (values.demo && (await isEmptyEstate(services, tenant.id))) {
      process.stdout.write("Premier démarrage : chargement du domaine de démonstration…\n");
      const summary = await loadDemoEstate(services, tenant.id, (m) =>
        process.stdout.write(`  ${m}\n`),
      );
      process.stdout.write(`${describeDemo(summary)}\n`);
    }
    const admin = await ensureFirstAdmin(services.db.db, tenant.id);
    if (admin)
      process.stdout.write(
        `\n  First run: sign in as ${admin.email} with the password ${admin.password}\n  (shown once; add people with \`crm-reco user create\`)\n\n`,
      );
  }
  const resumed = await resumeUnfinishedJobs(services);
  if (resumed > 0) services.log.info({ jobs: resumed }, "unfinished jobs queued again");
  const server = await startVpsServer({
    services,
    port: config.port,
    host: config.host,
    webDistDir: config.webDistDir,
  });
  process.stdout.write(
    `CRM Reco is running at ${server.url}  (database: ${describeDatabase(config.database)})\n`,
  );

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  process.stdout.write("Stopping…\n");
  await server.close();
  await services.close();
  return 0;
}
