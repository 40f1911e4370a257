import { and, asc, eq } from "drizzle-orm";
import { AppError, isUuid, notFound } from "@crm-reco/core";
import type { Db } from "../adapters/db/database.ts";
import { isUniqueViolation } from "../adapters/db/pg-errors.ts";
import { sources } from "../db/schema/index.ts";

export type Source = typeof sources.$inferSelect;
export type NewSource = Pick<typeof sources.$inferInsert, "name" | "kind" | "config" | "schedule">;

/** Registers a source; names are unique within an estate (`source.conflict` otherwise). */
export async function createSource(db: Db, tenantId: string, input: NewSource): Promise<Source> {
  try {
    const [source] = await db
      .insert(sources)
      .values({ ...input, tenantId })
      .returning();
    return source!;
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError("source.conflict", `A source named "${input.name}" already exists.`, {
        name: input.name,
      });
    throw error;
  }
}

/** The tenant's source with this id; another tenant's id is reported as not found. */
export async function getSource(db: Db, tenantId: string, id: string): Promise<Source> {
  if (!isUuid(id)) throw notFound("source", id);
  const [source] = await db
    .select()
    .from(sources)
    .where(and(eq(sources.tenantId, tenantId), eq(sources.id, id)));
  if (!source) throw notFound("source", id);
  return source;
}

export async function findSourceByName(
  db: Db,
  tenantId: string,
  name: string,
): Promise<Source | undefined> {
  const [source] = await db
    .select()
    .from(sources)
    .where(and(eq(sources.tenantId, tenantId), eq(sources.name, name)));
  return source;
}

export async function listSources(db: Db, tenantId: string): Promise<Source[]> {
  return db.select().from(sources).where(eq(sources.tenantId, tenantId)).orderBy(asc(sources.name));
}

/** Stores a source's secret, already sealed (AES-256-GCM): the plain secret never reaches the database. */
export async function setSourceSecret(db: Db, tenantId: string, id: string, sealed: string) {
  await db
    .update(sources)
    .set({ credentialsEncrypted: sealed })
    .where(and(eq(sources.tenantId, tenantId), eq(sources.id, id)));
}

/**
 * A new key (and, if given, login) for an Odoo source: keys expire (Odoo 19's within three
 * months), a user leaves, or the server's CRM_RECO_SECRET_KEY was lost and the stored one can no
 * longer be read. The settings keep the new key's hint; the key itself is stored sealed.
 */
export async function replaceOdooCredentials(
  db: Db,
  tenantId: string,
  id: string,
  input: { sealed: string; hint: string; login?: string },
): Promise<Source> {
  const source = await getSource(db, tenantId, id);
  if (source.kind !== "odoo")
    throw new AppError("source.invalid", `"${source.name}" is not an Odoo source: it has no key.`);
  const config = (
    typeof source.config === "string" ? JSON.parse(source.config) : (source.config ?? {})
  ) as Record<string, unknown>;
  await db
    .update(sources)
    .set({
      config: { ...config, secretHint: input.hint, ...(input.login ? { login: input.login } : {}) },
      credentialsEncrypted: input.sealed,
    })
    .where(and(eq(sources.tenantId, tenantId), eq(sources.id, id)));
  return getSource(db, tenantId, id);
}
