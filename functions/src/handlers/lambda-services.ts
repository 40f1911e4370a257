import { Config } from "sst/node/config";
import { createServices } from "../composition.ts";
import { loadConfigWithSecrets } from "../config.ts";
import type { Services } from "../services.ts";

/** A secret bound by SST (read from SSM when the function starts), if this function has it. */
function boundSecret(name: string): string | undefined {
  try {
    return (Config as unknown as Record<string, string | undefined>)[name];
  } catch {
    return undefined; // not bound here (or not on Lambda): the environment decides
  }
}

let services: Promise<Services> | undefined;

/**
 * The services of a Lambda execution environment: built on the first invocation and reused by
 * the next ones while the environment lives (one database pool, one set of AWS clients).
 */
export function lambdaServices(): Promise<Services> {
  services ??= (async () => {
    const config = loadConfigWithSecrets({
      DATABASE_URL: boundSecret("DATABASE_URL"),
      CRM_RECO_SECRET_KEY: boundSecret("CRM_RECO_SECRET_KEY"),
    });
    return createServices(config);
  })();
  services.catch(() => {
    services = undefined; // a failed cold start must not poison the environment
  });
  return services;
}
