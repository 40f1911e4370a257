import { timestamp, uuid } from "drizzle-orm/pg-core";

// Shared column helpers: every table has a uuid id, and every row but the tenants themselves
// belongs to one tenant (an estate). Foreign keys to tenants are declared per table.
export const id = () => uuid("id").primaryKey().defaultRandom();

export const timestamps = () => ({
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

export const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
