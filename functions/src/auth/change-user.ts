import { and, eq, sql } from "drizzle-orm";
import { AppError } from "@crm-reco/core";
import type { Db } from "../adapters/db/database.ts";
import { sessions, users } from "../db/schema/index.ts";
import type { Role } from "./credentials.ts";
import type { User } from "./users.ts";

export interface UserChange {
  role?: Role;
  active?: boolean;
}

/**
 * Changes a user's role or deactivates / reactivates them. Rules:
 * - an admin cannot demote or deactivate themselves (another admin must);
 * - the estate always keeps at least one active admin;
 * - a deactivated user's sessions end at once (and they cannot sign in again).
 * The estate's admins are locked for the check, so two admins demoting each other at the same
 * moment cannot leave the estate without one.
 */
export async function changeUser(
  db: Db,
  tenantId: string,
  by: { userId: string | null },
  userId: string,
  change: UserChange,
): Promise<{ before: User; after: User }> {
  return db.transaction(async (tx) => {
    const admins = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.role, "admin"), eq(users.active, true)))
      .for("update");
    const [before] = await tx
      .select()
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
    if (!before) throw new AppError("user.not_found", "No such user.");
    const role = change.role ?? before.role;
    const active = change.active ?? before.active;
    const losesAdmin = before.role === "admin" && before.active && (role !== "admin" || !active);
    if (losesAdmin && by.userId === before.id)
      throw new AppError(
        "user.self_change",
        "You cannot remove your own admin role or deactivate yourself: ask another admin.",
      );
    if (losesAdmin && admins.every((a) => a.id === before.id))
      throw new AppError(
        "user.last_admin",
        "This is the estate's last admin: make someone else admin first.",
      );
    const [after] = await tx
      .update(users)
      .set({ role, active, updatedAt: sql`now()` })
      .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)))
      .returning();
    if (!active)
      await tx
        .delete(sessions)
        .where(and(eq(sessions.tenantId, tenantId), eq(sessions.userId, userId)));
    return { before, after: after! };
  });
}
