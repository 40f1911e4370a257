import { createServices } from "../composition.ts";
import { startVpsServer } from "../vps/server.ts";
import { describeDatabase } from "./migrate.ts";
import { configFromFlags, parseCommand } from "./options.ts";

export async function runServe(args: string[]): Promise<number> {
  const { values } = parseCommand(args, { migrate: { type: "boolean" } });
  const config = configFromFlags(values);
  const services = await createServices(config);
  if (values.migrate) await services.db.migrate();
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
