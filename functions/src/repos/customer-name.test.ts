import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { queryRows } from "../adapters/db/database.ts";
import { openPglite } from "../adapters/db/pglite.ts";
import { customerName } from "./customer-profile.ts";

const db = await openPglite();
afterAll(() => db.close());

describe("a customer's display name", () => {
  it.each([
    ["Jean", "Reinhart", "Restaurant Chez Hansi", "Jean Reinhart (Restaurant Chez Hansi)"],
    [null, "Wolff", "Cave Swiss Vins", "Wolff (Cave Swiss Vins)"],
    [null, null, "Cave du Port", "Cave du Port"],
    ["Anne", "Martin", null, "Anne Martin"],
    [null, null, null, ""],
  ])("%s %s of %s reads %j", async (first, last, company, expected) => {
    const [row] = await queryRows<{ name: string }>(
      db.db,
      sql`select ${customerName("c")} as name
          from (select ${first}::text as first_name, ${last}::text as last_name, ${company}::text as company) c`,
    );
    expect(row!.name).toBe(expected);
  });
});
