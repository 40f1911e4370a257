import { and, eq, sql } from "drizzle-orm";
import { AppError } from "@crm-reco/core";
import type { Db } from "../adapters/db/database.ts";
import { apiKeys, sessions, users } from "../db/schema/index.ts";
import { hashPassword, randomToken, type Role, sha256, verifyPassword } from "./credentials.ts";

export type User = typeof users.$inferSelect;

/** How long a session lasts without being used again. */
export const SESSION_DAYS = 14;

export async function createUser(
  db: Db,
  tenantId: string,
  input: { email: string; password: string; role: Role; name?: string },
): Promise<User> {
  const email = input.email.trim().toLowerCase();
  if (input.password.length < 12)
    throw new AppError("user.invalid", "A password needs at least 12 characters.");
  const [existing] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.email, email)));
  if (existing) throw new AppError("user.conflict", `A user ${email} already exists.`);
  const [user] = await db
    .insert(users)
    .values({
      tenantId,
      email,
      name: input.name ?? null,
      role: input.role,
      passwordHash: await hashPassword(input.password),
    })
    .returning();
  return user!;
}

/**
 * A new password for a user who forgot theirs (set by the IT person or an admin, told to them
 * once): their sessions end, so whoever had their old password is signed out too.
 */
export async function setPassword(
  db: Db,
  tenantId: string,
  email: string,
  password: string,
): Promise<User> {
  if (password.length < 12)
    throw new AppError("user.invalid", "A password needs at least 12 characters.");
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ passwordHash, updatedAt: sql`now()` })
      .where(and(eq(users.tenantId, tenantId), eq(users.email, email.trim().toLowerCase())))
      .returning();
    if (!user) throw new AppError("user.not_found", `No user ${email.trim().toLowerCase()}.`);
    await tx
      .delete(sessions)
      .where(and(eq(sessions.tenantId, tenantId), eq(sessions.userId, user.id)));
    return user;
  });
}

export async function countUsers(db: Db, tenantId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(eq(users.tenantId, tenantId));
  return row!.n;
}

/**
 * The user with this email and password, or null (same answer, in about the same time, for an
 * unknown email and a wrong password: no way to learn who has an account).
 */
export async function checkPassword(
  db: Db,
  tenantId: string,
  email: string,
  password: string,
): Promise<User | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.email, email.trim().toLowerCase())));
  const stored =
    user?.passwordHash ??
    "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  const ok = await verifyPassword(password, stored);
  return ok && user?.active && user.passwordHash ? user : null;
}

export async function openSession(db: Db, user: User, now: Date) {
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  await db.insert(sessions).values({
    tenantId: user.tenantId,
    userId: user.id,
    tokenHash: sha256(token),
    csrfToken,
    expiresAt,
  });
  await db.update(users).set({ lastSignInAt: now }).where(eq(users.id, user.id));
  return { token, csrfToken, expiresAt };
}

export async function closeSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
}

export interface Actor {
  tenantId: string;
  role: Role;
  userId: string | null;
  apiKeyId: string | null;
  email: string | null;
  /** Set for cookie sessions: writes must echo it in the X-CSRF-Token header. */
  csrfToken: string | null;
  /** When a session ends; API keys last until revoked. */
  expiresAt: Date | null;
}

export async function actorFromSession(db: Db, token: string, now: Date): Promise<Actor | null> {
  const [row] = await db
    .select({
      tenantId: sessions.tenantId,
      userId: users.id,
      role: users.role,
      email: users.email,
      active: users.active,
      csrfToken: sessions.csrfToken,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, sha256(token)));
  if (!row || !row.active || row.expiresAt <= now) return null;
  return {
    tenantId: row.tenantId,
    role: row.role,
    userId: row.userId,
    apiKeyId: null,
    email: row.email,
    csrfToken: row.csrfToken,
    expiresAt: row.expiresAt,
  };
}

/** API keys look like `crk_<8 chars>_<secret>`: the prefix identifies the key in lists. */
export async function createApiKey(
  db: Db,
  tenantId: string,
  input: { name: string; role: Role; createdBy: string | null },
) {
  const secret = randomToken();
  const prefix = secret.slice(0, 8);
  const key = `crk_${prefix}_${secret.slice(8)}`;
  const [row] = await db
    .insert(apiKeys)
    .values({
      tenantId,
      name: input.name,
      role: input.role,
      prefix,
      keyHash: sha256(key),
      createdBy: input.createdBy,
    })
    .returning();
  return { key, row: row! };
}

/** A key's "last used" is read by people in the list of keys: to the minute, not a write per call. */
const LAST_USED_PRECISION_MS = 60_000;

export async function actorFromApiKey(db: Db, key: string, now: Date): Promise<Actor | null> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, sha256(key)));
  if (!row || row.revokedAt) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_PRECISION_MS)
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
  return {
    tenantId: row.tenantId,
    role: row.role,
    userId: null,
    apiKeyId: row.id,
    email: null,
    csrfToken: null,
    expiresAt: null,
  };
}
