import { and, desc, eq, max } from "drizzle-orm";
import { AppError, type ImportEntity, type Mapping } from "@crm-reco/core";
import type { Db, Tx } from "../adapters/db/database.ts";
import { isUniqueViolation } from "../adapters/db/pg-errors.ts";
import { mappings } from "../db/schema/index.ts";

export type MappingRow = typeof mappings.$inferSelect;

/** The newest saved mapping of a source for exports with exactly these columns. */
export async function findMappingForHeaders(
  db: Db | Tx,
  tenantId: string,
  sourceId: string,
  entity: ImportEntity,
  headerSignature: string,
): Promise<MappingRow | undefined> {
  const [row] = await db
    .select()
    .from(mappings)
    .where(
      and(
        eq(mappings.tenantId, tenantId),
        eq(mappings.sourceId, sourceId),
        eq(mappings.entity, entity),
        eq(mappings.headerSignature, headerSignature),
      ),
    )
    .orderBy(desc(mappings.version))
    .limit(1);
  return row;
}

/**
 * Saves a mapping as the source's next version, unless the newest one for the same columns is
 * already identical (then that one is returned): importing the same export again adds nothing.
 */
export async function saveMappingVersion(
  db: Db | Tx,
  input: {
    tenantId: string;
    sourceId: string;
    entity: ImportEntity;
    headerSignature: string;
    fields: Mapping["fields"];
    createdBy?: string;
    qualityScore?: number;
  },
): Promise<MappingRow> {
  const current = await findMappingForHeaders(
    db,
    input.tenantId,
    input.sourceId,
    input.entity,
    input.headerSignature,
  );
  if (current && stableJson(current.fields) === stableJson(input.fields)) return current;
  const [{ latest } = { latest: 0 }] = await db
    .select({ latest: max(mappings.version) })
    .from(mappings)
    .where(
      and(
        eq(mappings.tenantId, input.tenantId),
        eq(mappings.sourceId, input.sourceId),
        eq(mappings.entity, input.entity),
      ),
    );
  try {
    const [row] = await db
      .insert(mappings)
      .values({ ...input, version: (latest ?? 0) + 1 })
      .returning();
    return row!;
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError(
        "mapping.conflict",
        "Another change to this source's mapping was saved at the same time; try again.",
      );
    throw error;
  }
}

/** JSON with object keys sorted: jsonb stores keys in its own order, so plain JSON would differ. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}
