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
