import { createServices } from "../composition.ts";
import { loadConfigWithSecrets } from "../config.ts";
import type { Services } from "../services.ts";
import { readBoundSecrets } from "./sst-secrets.ts";

let services: Promise<Services> | undefined;

/**
 * The services of a Lambda execution environment: built on the first invocation and reused by
 * the next ones while the environment lives (one database pool, one set of AWS clients).
 * The secrets SST binds (read from SSM) take precedence over plain environment variables.
 */
export function lambdaServices(): Promise<Services> {
  services ??= (async () => {
    const config = await loadConfigWithSecrets((env) =>
      readBoundSecrets(["DATABASE_URL", "CRM_RECO_SECRET_KEY"], env),
    );
    return createServices(config);
  })();
  services.catch(() => {
    services = undefined; // a failed cold start must not poison the environment
  });
  return services;
}
