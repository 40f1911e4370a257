import { eq } from "drizzle-orm";
import type { Db } from "../adapters/db/database.ts";
import { tenants } from "../db/schema/index.ts";

export type Tenant = typeof tenants.$inferSelect;

/** The estate with this slug, created on first use; calling it again changes nothing. */
export async function ensureTenant(db: Db, input: { slug: string; name: string }): Promise<Tenant> {
  await db.insert(tenants).values(input).onConflictDoNothing({ target: tenants.slug });
  const [tenant] = await db.select().from(tenants).where(eq(tenants.slug, input.slug));
  return tenant!;
}
