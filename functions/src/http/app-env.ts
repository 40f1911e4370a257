import type { Actor } from "../auth/users.ts";
import type { RequestLog } from "../log.ts";
import type { Services } from "../services.ts";

/** What every request context carries. */
export interface AppEnv {
  Variables: {
    services: Services;
    log: RequestLog;
    requestId: string;
    /** Who is calling (set by `authenticate` on every /api route but the public ones). */
    actor: Actor;
  };
}
