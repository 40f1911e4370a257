import type { Logger } from "../log.ts";
import type { Services } from "../services.ts";

/** What every request context carries. */
export interface AppEnv {
  Variables: {
    services: Services;
    log: Logger;
    requestId: string;
  };
}
