import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServices } from "../../test/services.ts";
import { queryRows } from "../adapters/db/database.ts";
import type { Services } from "../services.ts";
import { customerName } from "./customer-profile.ts";
import { ensureTenant } from "./tenants.ts";

describe("a customer's name as staff read it", () => {
  let services: Services & { close(): Promise<void> };
  beforeAll(async () => {
    services = await createTestServices("pglite");
  });
  afterAll(async () => services?.close());

  it.each([
    [{ first_name: "Anne", last_name: "Weber" }, "Anne Weber"],
    [
      { first_name: "Jean", last_name: "Reinhart", company: "Chez Hansi" },
      "Jean Reinhart (Chez Hansi)",
    ],
    [{ company: "Cave Œnologie" }, "Cave Œnologie"],
    // Known only from a web-shop account, or from a sale naming a code: never a blank line.
    [{ email: "anne@exemple.fr", customer_code: "W1" }, "anne@exemple.fr"],
    [{ customer_code: "C09999" }, "C09999"],
    [{}, ""],
  ])("%j → %j", async (fields, expected) => {
    const tenant = await ensureTenant(services.db.db, { slug: "names", name: "Domaine" });
    const f = fields as Record<string, string | undefined>;
    const [row] = await queryRows<{ name: string }>(
      services.db.db,
      sql`with c as (
            insert into customers (tenant_id, first_name, last_name, company, email, customer_code)
            values (${tenant.id}::uuid, ${f.first_name ?? null}, ${f.last_name ?? null}, ${f.company ?? null},
                    ${f.email ?? null}, ${f.customer_code ?? null})
            returning *)
          select ${customerName("c")} as name from c`,
    );
    expect(row!.name).toBe(expected);
  });
});
