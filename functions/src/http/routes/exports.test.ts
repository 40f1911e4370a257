import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDrivers } from "../../../test/databases.ts";
import { apiClient } from "../../../test/api-client.ts";
import { createTestServices } from "../../../test/services.ts";
import { createUser } from "../../auth/users.ts";
import { customers, products, recommendationRuns, recommendations } from "../../db/schema/index.ts";
import { ensureTenant } from "../../repos/tenants.ts";
import type { Services } from "../../services.ts";
import { createApp } from "../app.ts";

const PASSWORD = "correct horse battery";
const street = { addressLine1: "12 rue des Vignes", postalCode: "68000", city: "Colmar" };

/**
 * Four customers with one approved recommendation each: a private buyer who said yes to letters
 * and calls, one who said yes to letters but whose record has no street, a wine shop (B2B) that
 * said nothing, and a private buyer who said nothing.
 */
async function seed(services: Services, slug: string) {
  const db = services.db.db;
  const tenant = await ensureTenant(db, { slug, name: `Domaine ${slug}` });
  await createUser(db, tenant.id, {
    email: `editor@${slug}.fr`,
    password: PASSWORD,
    role: "editor",
  });
  const people = await db
    .insert(customers)
    .values([
      {
        tenantId: tenant.id,
        customerCode: "P1",
        lastName: "Martin",
        ...street,
        addressLine2: "Bâtiment B",
        country: "FR",
        phone: "+33612345678",
        kind: "private",
        consentPost: "opt_in",
        consentPhone: "opt_in",
      },
      {
        tenantId: tenant.id,
        customerCode: "P2",
        lastName: "Blanc",
        postalCode: "68150",
        city: "Ribeauvillé",
        kind: "private",
        consentPost: "opt_in",
      },
      {
        tenantId: tenant.id,
        customerCode: "T1",
        company: "Cave du Port",
        addressLine1: "3 quai Nord",
        postalCode: "67000",
        city: "Strasbourg",
        phone: "+33388000000",
        kind: "trade",
      },
      { tenantId: tenant.id, customerCode: "P3", lastName: "Roux", ...street, kind: "private" },
    ])
    .returning({ id: customers.id });
  const [wine] = await db
    .insert(products)
    .values({ tenantId: tenant.id, sku: "CR21", name: "Crémant Brut 2021", priceInclTax: "12.50" })
    .returning({ id: products.id });
  const [run] = await db
    .insert(recommendationRuns)
    .values({ tenantId: tenant.id, algorithm: "hybrid", status: "succeeded" })
    .returning({ id: recommendationRuns.id });
  await db.insert(recommendations).values(
    people.map((p) => ({
      tenantId: tenant.id,
      runId: run!.id,
      customerId: p.id,
      productId: wine!.id,
      algorithm: "popularity",
      score: 1,
      confidence: 0.5,
      rank: 1,
      status: "approved" as const,
      explanation: { fr: "Meilleure vente", en: "Best seller", fallback: true },
    })),
  );
}

describe.each(availableDrivers.filter((d) => d !== "neon"))("mailing export on %s", (driver) => {
  let services: Services & { close(): Promise<void> };
  let call: ReturnType<typeof apiClient>["call"];
  beforeAll(async () => {
    services = await createTestServices(driver);
    call = apiClient(createApp(services), PASSWORD).call;
  });
  afterAll(async () => services?.close());

  it.each([
    {
      channel: "post",
      header: "address_line1;address_line2;postal_code;city;country;civility;first_name;last_name",
      rows: [
        "12 rue des Vignes;Bâtiment B;68000;Colmar;FR;;;Martin;;P1;;opt_in;Crémant Brut 2021;",
        "3 quai Nord;;67000;Strasbourg;;;;;Cave du Port;T1;;b2b_legitimate_interest;Crémant",
      ],
      excluded: { no_address: 1, no_consent: 1 },
    },
    {
      channel: "phone",
      header: "phone;civility;first_name;last_name",
      rows: [
        "+33612345678;;;Martin;;P1;;opt_in;Crémant",
        "+33388000000;;;;Cave du Port;T1;;b2b_legitimate_interest;Crémant",
      ],
      excluded: { no_phone: 2 },
    },
    { channel: "email", header: "email;civility", rows: [], excluded: { no_email: 4 } },
  ])(
    "starts a $channel export with what reaches the customer, and leaves out whom it cannot reach",
    async ({ channel, header, rows, excluded }) => {
      const slug = `export-${channel}`;
      await seed(services, slug);
      const answer = await call("POST", "/api/exports/mailing", {
        as: `editor@${slug}.fr`,
        body: { channel },
      });
      expect(answer.status).toBe(200);
      const [head, ...lines] = (answer.body as unknown as string)
        .replace(/^\uFEFF/, "")
        .trim()
        .split("\r\n");
      expect(head!.startsWith(`${header};`)).toBe(true);
      expect(lines).toHaveLength(rows.length);
      rows.forEach((row, i) => expect(lines[i]!.startsWith(row), lines[i]).toBe(true));
      expect(JSON.parse(answer.headers.get("x-excluded-reasons")!)).toEqual(excluded);
    },
  );
});
