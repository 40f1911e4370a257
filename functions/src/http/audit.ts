import type { Context } from "hono";
import type { Tx } from "../adapters/db/database.ts";
import type { Db } from "../adapters/db/database.ts";
import { auditLog } from "../db/schema/index.ts";
import type { AppEnv } from "./app-env.ts";

/** One line of the audit log for a write: who (user or API key), what, on which rows. */
export async function audit(
  c: Context<AppEnv>,
  db: Db | Tx,
  entry: {
    action: string;
    entity: string;
    entityId?: string | null;
    before?: unknown;
    after?: unknown;
  },
): Promise<void> {
  const actor = c.get("actor");
  await db.insert(auditLog).values({
    tenantId: actor.tenantId,
    actorUserId: actor.userId,
    actorApiKeyId: actor.apiKeyId,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: c.get("requestId"),
  });
}
