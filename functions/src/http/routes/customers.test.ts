import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDrivers } from "../../../test/databases.ts";
import { createTestServices } from "../../../test/services.ts";
import { createUser } from "../../auth/users.ts";
import {
  customerIdentities,
  customerSegments,
  customers,
  mergeCandidates,
  orderLines,
  orders,
  products,
} from "../../db/schema/index.ts";
import { mergeCustomers } from "../../identity/merge-customers.ts";
import { createSource } from "../../repos/sources.ts";
import { ensureTenant } from "../../repos/tenants.ts";
import type { Services } from "../../services.ts";
import { createApp } from "../app.ts";

const PASSWORD = "correct horse battery";

/**
 * One estate seen in two sources: Anne Martin in iSaVigne (C1) and again in Odoo (ODOO-7, merged
 * into C1), with orders in 2024 and 2026; a trade account that last bought in 2025; a private
 * person who never bought; and an unsure pair for the merge queue. The test clock says 2026-11-25.
 */
async function seedEstate(services: Services, slug: string) {
  const db = services.db.db;
  const tenant = await ensureTenant(db, { slug, name: `Domaine ${slug}` });
  for (const role of ["admin", "editor", "viewer"] as const)
    await createUser(db, tenant.id, { email: `${role}@${slug}.fr`, password: PASSWORD, role });
  const cellar = await createSource(db, tenant.id, { name: "iSaVigne", kind: "file" });
  const eshop = await createSource(db, tenant.id, { name: "Odoo boutique", kind: "file" });
  const rows = await db
    .insert(customers)
    .values([
      {
        tenantId: tenant.id,
        customerCode: "C1",
        firstName: "Anne",
        lastName: "Martin",
        email: "anne@exemple.fr",
        kind: "private",
        consentEmail: "opt_in",
        consentEmailSource: "caveau 2024",
        consentEmailAt: new Date("2024-05-02T09:00:00Z"),
        consentPost: "opt_out",
        consentPostSource: "courrier de désinscription",
      },
      {
        tenantId: tenant.id,
        firstName: "Anne",
        lastName: "Martin",
        phone: "+33611223344",
        city: "Colmar",
        kind: "private",
      },
      {
        tenantId: tenant.id,
        customerCode: "P7",
        company: "Cave du Port",
        kind: "trade",
        consentEmail: "soft_opt_in",
      },
      { tenantId: tenant.id, customerCode: "C9", lastName: "Durand", kind: "private" },
      { tenantId: tenant.id, customerCode: "C10", firstName: "Paul", lastName: "Durand" },
    ])
    .returning({ id: customers.id });
  const [anne, anneOdoo, cave, durand, paul] = rows.map((r) => r.id) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const identities = await db
    .insert(customerIdentities)
    .values([
      { tenantId: tenant.id, customerId: anne, sourceId: cellar.id, externalId: "C1" },
      { tenantId: tenant.id, customerId: anneOdoo, sourceId: eshop.id, externalId: "ODOO-7" },
      { tenantId: tenant.id, customerId: cave, sourceId: cellar.id, externalId: "P7" },
      { tenantId: tenant.id, customerId: durand, sourceId: cellar.id, externalId: "C9" },
      { tenantId: tenant.id, customerId: paul, sourceId: eshop.id, externalId: "ODOO-10" },
    ])
    .returning({ id: customerIdentities.id });
  expect(identities).toHaveLength(5);
  const [cremant, pinot, carrier] = await db
    .insert(products)
    .values([
      { tenantId: tenant.id, sku: "CR21", name: "Crémant Brut 2021" },
      { tenantId: tenant.id, sku: "PN22", name: "Pinot Noir VV 2022" },
      { tenantId: tenant.id, sku: "PORT", name: "Frais de port", kind: "shipping" },
    ])
    .returning({ id: products.id });
  const made = await db
    .insert(orders)
    .values([
      {
        tenantId: tenant.id,
        sourceId: cellar.id,
        documentNumber: "F-2024-1",
        customerId: anne,
        orderDate: "2024-03-10",
        channel: "cellar_door",
        totalInclTax: "99.00",
      },
      {
        tenantId: tenant.id,
        sourceId: eshop.id,
        documentNumber: "SO-2026-4",
        customerId: anneOdoo,
        orderDate: "2026-10-01",
        channel: "eshop",
      },
      {
        tenantId: tenant.id,
        sourceId: cellar.id,
        documentNumber: "F-2025-8",
        customerId: cave,
        orderDate: "2025-06-15",
        channel: "trade",
        totalInclTax: "600.00",
      },
    ])
    .returning({ id: orders.id });
  await db.insert(orderLines).values([
    {
      tenantId: tenant.id,
      orderId: made[0]!.id,
      lineKey: "9",
      productId: carrier!.id,
      quantity: "1",
      unitPrice: "12.90",
      total: "12.90",
    },
    {
      tenantId: tenant.id,
      orderId: made[0]!.id,
      lineKey: "1",
      productId: cremant!.id,
      quantity: "6",
      unitPrice: "12.50",
      total: "75.00",
    },
    {
      tenantId: tenant.id,
      orderId: made[0]!.id,
      lineKey: "2",
      productId: pinot!.id,
      quantity: "2",
      unitPrice: "12.00",
      total: "24.00",
    },
    {
      tenantId: tenant.id,
      orderId: made[1]!.id,
      lineKey: "1",
      productId: pinot!.id,
      quantity: "3",
      unitPrice: "18.00",
      total: "54.00",
    },
    {
      tenantId: tenant.id,
      orderId: made[2]!.id,
      lineKey: "1",
      productId: cremant!.id,
      quantity: "48",
      total: "600.00",
    },
  ]);
  await db.insert(customerSegments).values([
    { tenantId: tenant.id, customerId: anne, recency: 5, frequency: 3, monetary: 2, tier: "loyal" },
    {
      tenantId: tenant.id,
      customerId: cave,
      recency: 2,
      frequency: 1,
      monetary: 5,
      tier: "at_risk",
    },
  ]);
  await db.transaction((tx) =>
    mergeCustomers(tx, {
      tenantId: tenant.id,
      survivorId: anne,
      mergedId: anneOdoo,
      method: "probabilistic",
      score: 18.5,
    }),
  );
  const [x, y] = durand < paul ? [durand, paul] : [paul, durand];
  const [candidate] = await db
    .insert(mergeCandidates)
    .values({ tenantId: tenant.id, customerA: x, customerB: y, score: 9.4, reasons: ["nom"] })
    .returning({ id: mergeCandidates.id });
  return { tenant, anne, anneOdoo, cave, durand, paul, candidate: candidate!.id };
}

describe.each(availableDrivers.filter((d) => d !== "neon"))("customers API on %s", (driver) => {
  let services: Services & { close(): Promise<void> };
  let app: ReturnType<typeof createApp>;
  let estate: Awaited<ReturnType<typeof seedEstate>>;
  let other: Awaited<ReturnType<typeof seedEstate>>;
  const slug = `c${randomUUID().slice(0, 8)}`;
  const cookies = new Map<string, string>();

  beforeAll(async () => {
    services = await createTestServices(driver);
    app = createApp(services);
    estate = await seedEstate(services, slug);
    other = await seedEstate(services, `${slug}x`);
  });
  afterAll(async () => {
    await services?.close();
  });

  async function get(path: string, role: "admin" | "editor" | "viewer" = "viewer") {
    const email = `${role}@${slug}.fr`;
    if (!cookies.has(email)) {
      const response = await app.request("/api/auth/sign-in", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: PASSWORD, estate: slug }),
      });
      expect(response.status).toBe(200);
      cookies.set(email, response.headers.get("set-cookie")!.split(";")[0]!);
    }
    const response = await app.request(path, { headers: { cookie: cookies.get(email)! } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
  const codes = async (query: string) => {
    const page = await get(`/api/customers?${query}`);
    expect(page.status).toBe(200);
    return (page.body.items as Array<{ code: string | null }>).map((c) => c.code).sort();
  };

  it.each([
    ["", ["C1", "C10", "C9", "P7"]],
    ["kind=trade", ["P7"]],
    ["kind=private", ["C1", "C10", "C9"]],
    ["tier=loyal", ["C1"]],
    ["consentEmail=opt_in", ["C1"]],
    ["consentEmail=unknown", ["C10", "C9"]],
    // Anne's last purchase is her Odoo order of 2026-10-01, which the merge brought to her.
    ["lastPurchaseAfter=2026-01-01", ["C1"]],
    ["lastPurchaseBefore=2026-01-01", ["P7"]],
    ["lastPurchaseAfter=2025-01-01&lastPurchaseBefore=2026-10-01", ["P7"]],
    ["noPurchaseForMonths=12", ["P7"]],
    ["noPurchaseForMonths=24", []],
    ["kind=private&noPurchaseForMonths=1", ["C1"]],
    ["kind=private&noPurchaseForMonths=2", []],
  ])("filters the list by %s", async (query, expected) => {
    expect(await codes(query)).toEqual(expected);
  });

  it("shows the last purchase from the orders, merged records' included", async () => {
    const page = await get("/api/customers?q=martin");
    expect(page.body.items).toEqual([
      expect.objectContaining({ code: "C1", lastOrderOn: "2026-10-01", tier: "loyal" }),
    ]);
  });

  it.each([
    ["noPurchaseForMonths=0", "noPurchaseForMonths"],
    ["noPurchaseForMonths=douze", "noPurchaseForMonths"],
    ["lastPurchaseBefore=2026-13-45", "lastPurchaseBefore"],
    ["lastPurchaseAfter=2026-05-01&lastPurchaseBefore=2026-01-01", "lastPurchaseBefore"],
    ["kind=wholesale", "kind"],
  ])("refuses %s with a 400 naming the field", async (query, field) => {
    const response = await get(`/api/customers?${query}`);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain(field);
  });

  it("shows a customer's consents with their source, orders by date with lines, and identities with the merged record", async () => {
    const { status, body } = await get(`/api/customers/${estate.anne}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      code: "C1",
      name: "Anne Martin",
      tier: "loyal",
      mergedInto: null,
    });
    // The survivor took the merged record's phone and city.
    expect(body).toMatchObject({ phone: "+33611223344", city: "Colmar" });
    expect(body.consents).toEqual([
      {
        channel: "email",
        status: "opt_in",
        source: "caveau 2024",
        at: "2024-05-02T09:00:00.000Z",
      },
      { channel: "post", status: "opt_out", source: "courrier de désinscription", at: null },
      { channel: "phone", status: "unknown", source: null, at: null },
    ]);
    expect(body.identities).toEqual([
      { source: "iSaVigne", sourceKind: "file", externalId: "C1", mergedFrom: null },
      {
        source: "Odoo boutique",
        sourceKind: "file",
        externalId: "ODOO-7",
        mergedFrom: { customerId: estate.anneOdoo, name: "Anne Martin", code: null },
      },
    ]);
    expect(body.merges).toEqual([
      expect.objectContaining({
        customerId: estate.anneOdoo,
        method: "probabilistic",
        score: 18.5,
        mergedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      }),
    ]);
    expect(body.orders).toEqual([
      {
        id: expect.any(String),
        orderDate: "2026-10-01",
        documentNumber: "SO-2026-4",
        source: "Odoo boutique",
        channel: "eshop",
        // No order total from that source: the lines' sum.
        total: 54,
        bottles: 3,
        creditNote: false,
        lines: [
          {
            sku: "PN22",
            product: "Pinot Noir VV 2022",
            kind: "wine",
            quantity: 3,
            unitPrice: 18,
            total: 54,
          },
        ],
      },
      expect.objectContaining({
        orderDate: "2024-03-10",
        documentNumber: "F-2024-1",
        total: 99,
        bottles: 8, // the carrier's charge is no bottle
        creditNote: false,
        lines: [
          expect.objectContaining({ sku: "CR21", quantity: 6, total: 75 }),
          expect.objectContaining({ sku: "PN22", quantity: 2, total: 24 }),
          expect.objectContaining({ sku: "PORT", kind: "shipping", quantity: 1 }),
        ],
      }),
    ]);
  });

  it("says where a merged record went, and finds nothing of another estate", async () => {
    const merged = await get(`/api/customers/${estate.anneOdoo}`);
    expect(merged.body).toMatchObject({ mergedInto: estate.anne, orders: [], identities: [] });
    expect((await get(`/api/customers/${other.anne}`)).status).toBe(404);
  });

  it("gives the merge queue both records' fields, sources and order counts", async () => {
    const queue = await get("/api/merge-candidates");
    const items = queue.body.items as Array<Record<string, Record<string, unknown>>>;
    expect(items).toHaveLength(1);
    const sides = [items[0]!.a!, items[0]!.b!].sort((p, q) =>
      String(p.code).localeCompare(String(q.code)),
    );
    expect(sides).toEqual([
      expect.objectContaining({
        code: "C10",
        name: "Paul Durand",
        kind: "private",
        sources: ["Odoo boutique"],
        orders: 0,
        phone: null,
        postalCode: null,
        addressLine1: null,
      }),
      expect.objectContaining({ code: "C9", name: "Durand", sources: ["iSaVigne"], orders: 0 }),
    ]);
    expect(items[0]).toMatchObject({ id: estate.candidate, reasons: ["nom"] });
    expect(items[0]!.score).toBeCloseTo(9.4, 4);
  });
});
