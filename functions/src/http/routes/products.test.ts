import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../../../test/api-client.ts";
import { availableDrivers } from "../../../test/databases.ts";
import { createTestServices } from "../../../test/services.ts";
import { queryRows } from "../../adapters/db/database.ts";
import { createUser } from "../../auth/users.ts";
import {
  contacts,
  customerSegments,
  customers,
  orderLines,
  orders,
  products,
  recommendationRuns,
  recommendations,
} from "../../db/schema/index.ts";
import { applyMigrations } from "../../db/apply-migrations.ts";
import { reguessProducts } from "../../repos/product-kinds.ts";
import { createSource } from "../../repos/sources.ts";
import { ensureTenant } from "../../repos/tenants.ts";
import type { Services } from "../../services.ts";
import { createApp } from "../app.ts";
import { ReadCache } from "../read-cache.ts";
import { productLeads } from "../../recommend/product-leads.ts";

const PASSWORD = "correct horse battery";

const WINES = [
  { sku: "TR20", name: "Rouge Tradition 2020", cuvee: "Tradition", vintage: 2020, color: "red" },
  { sku: "TR21", name: "Rouge Tradition 2021", cuvee: "Tradition", vintage: 2021, color: "red" },
  { sku: "TR22", name: "Rouge Tradition 2022", cuvee: "Tradition", vintage: 2022, color: "red" },
  {
    sku: "CH22",
    name: "Blanc Chardonnay 2022",
    cuvee: "Chardonnay",
    vintage: 2022,
    color: "white",
  },
  { sku: "CR21", name: "Crémant Brut 2021", cuvee: "Crémant", vintage: 2021, color: "sparkling" },
  { sku: "VR18", name: "Vieux Rouge 2018", cuvee: "Vieux", vintage: 2018, color: "red" },
] as const;

/**
 * An estate whose customers bought the 2020 and 2021 Tradition, the Chardonnay and the Crémant
 * over two years; nobody has the 2022 Tradition yet (the new vintage to launch). The 2018 is off
 * sale. Consent varies so the list has people who may and may not be e-mailed.
 */
async function seedEstate(services: Services, slug: string) {
  const db = services.db.db;
  const tenant = await ensureTenant(db, { slug, name: `Domaine ${slug}` });
  for (const role of ["admin", "editor", "viewer"] as const)
    await createUser(db, tenant.id, { email: `${role}@${slug}.fr`, password: PASSWORD, role });
  const source = await createSource(db, tenant.id, { name: "iSaVigne", kind: "file" });
  const people = await db
    .insert(customers)
    .values(
      Array.from({ length: 36 }, (_, i) => ({
        tenantId: tenant.id,
        customerCode: `${slug}-${i}`,
        lastName: `Client ${i}`,
        email: i % 5 === 4 ? null : `c${i}@${slug}.fr`,
        kind: i % 6 === 5 ? ("trade" as const) : ("private" as const),
        consentEmail: (["opt_in", "unknown", "soft_opt_in", "opt_out"] as const)[i % 4],
      })),
    )
    .returning({ id: customers.id });
  const wines = await db
    .insert(products)
    .values(
      WINES.map((w) => ({
        tenantId: tenant.id,
        ...w,
        sizeMl: 750,
        appellation: "Alsace",
        priceInclTax: String(10 + w.vintage - 2018),
        active: w.sku !== "VR18",
      })),
    )
    .returning({ id: products.id, sku: products.sku });
  const wine = Object.fromEntries(wines.map((w) => [w.sku, w.id])) as Record<string, string>;
  const bought = (i: number): string[] =>
    [
      i % 3 !== 2 ? "TR20" : null,
      i % 2 === 0 ? "TR21" : null,
      i % 3 === 1 ? "CH22" : null,
      i % 4 === 3 ? "CR21" : null,
      i === 7 ? "VR18" : null,
    ].filter((s): s is string => s !== null);
  for (const [i, person] of people.entries()) {
    for (const [n, sku] of bought(i).entries()) {
      const day = `2025-0${1 + ((i + n * 3) % 9)}-${String(1 + ((i * 7 + n) % 27)).padStart(2, "0")}`;
      const [order] = await db
        .insert(orders)
        .values({
          tenantId: tenant.id,
          sourceId: source.id,
          documentNumber: `F${i}-${n}`,
          customerId: person.id,
          orderDate: i % 2 ? day.replace("2025", "2024") : day,
        })
        .returning({ id: orders.id });
      await db.insert(orderLines).values({
        tenantId: tenant.id,
        orderId: order!.id,
        lineKey: sku,
        productId: wine[sku],
        quantity: String(1 + (i % 3)),
        unitPrice: "12.00",
      });
    }
  }
  return { tenant, customers: people.map((p) => p.id), wine };
}

describe.each(availableDrivers.filter((d) => d !== "neon"))("products API on %s", (driver) => {
  let services: Services & { close(): Promise<void> };
  let app: ReturnType<typeof createApp>;
  let api: ReturnType<typeof apiClient>;
  let a: Awaited<ReturnType<typeof seedEstate>>;
  let b: Awaited<ReturnType<typeof seedEstate>>;

  beforeAll(async () => {
    services = await createTestServices(driver);
    app = createApp(services);
    api = apiClient(app, PASSWORD);
    a = await seedEstate(services, "alpha");
    b = await seedEstate(services, "beta");
  }, 120_000);
  afterAll(async () => {
    await services?.close();
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies read in assertions
  const call = async (method: string, path: string, as: string, body?: unknown): Promise<any> =>
    api.call(method, path, { as, body });
  const skus = (page: { items: Array<{ sku: string }> }) => page.items.map((p) => p.sku);

  it.each([
    ["", ["CH22", "TR22", "CR21", "TR21", "TR20", "VR18"]],
    ["?q=tradition", ["TR22", "TR21", "TR20"]],
    ["?q=ch22", ["CH22"]],
    ["?q=cr%C3%A9mant", ["CR21"]],
    ["?color=white", ["CH22"]],
    ["?vintage=2021", ["CR21", "TR21"]],
    ["?active=false", ["VR18"]],
    ["?active=true&color=red", ["TR22", "TR21", "TR20"]],
    ["?q=100%25", []],
  ])("lists the estate's wines newest vintage first: %s", async (query, expected) => {
    const page = await call("GET", `/api/products${query}`, "viewer@alpha.fr");
    expect(page.status).toBe(200);
    expect(skus(page.body)).toEqual(expected);
    expect(page.body.total).toBe(expected.length);
  });

  it("pages the list and says who bought each wine", async () => {
    const first = await call("GET", "/api/products?limit=2", "viewer@alpha.fr");
    const second = await call("GET", "/api/products?limit=2&offset=2", "viewer@alpha.fr");
    expect(skus(first.body)).toEqual(["CH22", "TR22"]);
    expect(skus(second.body)).toEqual(["CR21", "TR21"]);
    expect(first.body).toMatchObject({ total: 6, limit: 2, offset: 0 });
    const tr20 = await call("GET", `/api/products/${a.wine.TR20}`, "viewer@alpha.fr");
    expect(tr20.body).toMatchObject({
      sku: "TR20",
      cuvee: "Tradition",
      vintage: 2020,
      sizeMl: 750,
      color: "red",
      priceInclTax: 12,
      active: true,
      buyers: 24,
      recommendations: { pending: 0, approved: 0 },
    });
    expect((await call("GET", "/api/products?color=blue", "viewer@alpha.fr")).status).toBe(400);
  });

  it("keeps each estate to its own wines", async () => {
    const beta = await call("GET", "/api/products", "viewer@beta.fr");
    const alphaIds = new Set(Object.values(a.wine));
    expect(beta.body.items.some((p: { id: string }) => alphaIds.has(p.id))).toBe(false);
    expect((await call("GET", `/api/products/${b.wine.TR22}`, "viewer@alpha.fr")).status).toBe(404);
    const leads = await call("GET", `/api/products/${b.wine.TR22}/customers`, "viewer@alpha.fr");
    expect(leads.status).toBe(404);
    const approve = await call(
      "POST",
      `/api/products/${b.wine.TR22}/customers/approve`,
      "editor@alpha.fr",
      { customerIds: [b.customers[0]] },
    );
    expect(approve.status).toBe(404);
  });

  it("ranks every wine on sale with one model, kept while nothing is written, and the same leads as a fresh one", async () => {
    const db = services.db.db;
    const tenantId = a.tenant.id;
    const cache = new ReadCache({ maxBytes: 1 << 20, maxAgeMs: 60_000, now: () => 0 });
    cache.watching(true);
    const cached = (sku: keyof typeof a.wine) =>
      productLeads(db, tenantId, a.wine[sku]!, { cache });
    const fresh = (sku: keyof typeof a.wine) => productLeads(db, tenantId, a.wine[sku]!);
    const summary = (r: Awaited<ReturnType<typeof fresh>>) =>
      r.leads.map((l) => [l.customerId, l.confidence, l.explanation.fr, l.blockedBy]);

    const tr22 = await cached("TR22");
    const ch22 = await cached("CH22");
    expect(ch22.trained).toBe(tr22.trained); // both on sale: one training
    expect(summary(ch22)).toEqual(summary(await fresh("CH22")));
    expect(summary(tr22)).toEqual(summary(await fresh("TR22")));
    // A wine off sale is ranked by a model of its own, as if it were on sale; the other stays.
    const vr18 = await cached("VR18");
    expect(vr18.trained).not.toBe(tr22.trained);
    expect(summary(vr18)).toEqual(summary(await fresh("VR18")));
    expect((await cached("TR21")).trained).toBe(tr22.trained);
    expect((await cached("VR18")).trained).toBe(vr18.trained);
    // Anything written: trained again.
    cache.changed();
    expect((await cached("TR22")).trained).not.toBe(tr22.trained);
  });

  const leadsOf = async (sku: string, as = "viewer@alpha.fr", query = "") => {
    const response = await call("GET", `/api/products/${a.wine[sku]}/customers?k=50${query}`, as);
    expect(response.status).toBe(200);
    return response.body.items as Array<{
      customer: { id: string; name: string; kind: string | null };
      confidence: number;
      explanation: { fr: string; en: string };
      emailRefusal: string | null;
      blockedBy: string | null;
      recommendation: { id: string; status: string } | null;
    }>;
  };
  const approvedOf = async (sku: string) =>
    (
      await call(
        "GET",
        `/api/recommendations?status=approved&productId=${a.wine[sku]}&limit=500`,
        "viewer@alpha.fr",
      )
    ).body as {
      total: number;
      items: Array<{
        id: string;
        customer: { id: string };
        confidence: number;
        explanation: object;
      }>;
    };

  it("ranks the new vintage's likely buyers, marks who may be e-mailed, and approves the top 3 once", async () => {
    const leads = await leadsOf("TR22");
    expect(leads.length).toBeGreaterThanOrEqual(5);
    const confidences = leads.map((l) => l.confidence);
    expect(confidences).toEqual([...confidences].sort((x, y) => y - x));
    expect(leads[0]).toMatchObject({
      customer: { name: expect.stringMatching(/^Client \d+$/) },
      explanation: { fr: expect.any(String), en: expect.any(String) },
      blockedBy: null,
      recommendation: null,
    });
    // Customer i: consent cycles opt_in, unknown, soft_opt_in, opt_out; every 5th has no e-mail.
    for (const lead of leads) {
      const i = Number(lead.customer.name.split(" ")[1]);
      const expected =
        i % 5 === 4
          ? "no_email"
          : i % 4 === 3
            ? "opted_out"
            : i % 6 === 5 || i % 4 !== 1
              ? null
              : "no_consent";
      expect(lead.emailRefusal, lead.customer.name).toBe(expected);
    }

    const top3 = leads.slice(0, 3).map((l) => l.customer.id);
    const denied = await call(
      "POST",
      `/api/products/${a.wine.TR22}/customers/approve`,
      "viewer@alpha.fr",
      { customerIds: top3 },
    );
    expect(denied.status).toBe(403);
    expect((await approvedOf("TR22")).total).toBe(0);

    const first = await call(
      "POST",
      `/api/products/${a.wine.TR22}/customers/approve`,
      "editor@alpha.fr",
      { customerIds: top3 },
    );
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ approved: 3, alreadyApproved: 0, skipped: [] });
    const again = await call(
      "POST",
      `/api/products/${a.wine.TR22}/customers/approve`,
      "editor@alpha.fr",
      { customerIds: top3 },
    );
    expect(again.body).toMatchObject({ approved: 0, alreadyApproved: 3, skipped: [] });

    const approved = await approvedOf("TR22");
    expect(approved.total).toBe(3);
    expect(approved.items.map((r) => r.customer.id).sort()).toEqual([...top3].sort());
    const lead0 = approved.items.find((r) => r.customer.id === top3[0])!;
    expect(lead0.confidence).toBeCloseTo(leads[0]!.confidence, 3);
    expect(lead0.explanation).toMatchObject({ fr: leads[0]!.explanation.fr });
    const [{ n }] = (await queryRows<{ n: number }>(
      services.db.db,
      sql`select count(*)::int as n from recommendations where product_id = ${a.wine.TR22}::uuid`,
    )) as [{ n: number }];
    expect(n).toBe(3);
    const after = await leadsOf("TR22");
    expect(after.slice(0, 3).map((l) => l.recommendation?.status)).toEqual([
      "approved",
      "approved",
      "approved",
    ]);
    const wine = await call("GET", `/api/products/${a.wine.TR22}`, "viewer@alpha.fr");
    expect(wine.body.recommendations).toEqual({ pending: 0, approved: 3 });
  });

  it("applies the campaign rules the list shows: rejected before, contacted recently, not a lead; approves a pending one in place", async () => {
    const leads = await leadsOf("TR22");
    const [rejected, contacted, pending] = leads.slice(3, 6).map((l) => l.customer.id) as [
      string,
      string,
      string,
    ];
    const [run] = await services.db.db
      .insert(recommendationRuns)
      .values({ tenantId: a.tenant.id, algorithm: "hybrid", status: "succeeded" })
      .returning({ id: recommendationRuns.id });
    const made = await services.db.db
      .insert(recommendations)
      .values(
        [rejected, pending].map((customerId, i) => ({
          tenantId: a.tenant.id,
          runId: run!.id,
          customerId,
          productId: a.wine.TR22!,
          algorithm: "hybrid",
          score: 0.5,
          confidence: 0.4,
          rank: 1,
          explanation: { fr: "Déjà proposé", en: "Already proposed", fallback: false },
          status: i === 0 ? ("rejected" as const) : ("pending" as const),
          rejectReason: i === 0 ? "N'aime pas le rouge" : null,
        })),
      )
      .returning({ id: recommendations.id });
    await services.db.db.insert(contacts).values({
      tenantId: a.tenant.id,
      customerId: contacted,
      channel: "email",
      // A campaign going out now reckons the gap from today.
      contactedAt: new Date(services.clock.now().getTime() - 30 * 86_400_000),
    });

    const marked = new Map((await leadsOf("TR22")).map((l) => [l.customer.id, l]));
    expect(marked.get(rejected)).toMatchObject({
      blockedBy: "rejected_before",
      recommendation: { status: "rejected" },
    });
    expect(marked.get(contacted)?.blockedBy).toBe("contacted_recently");
    expect(marked.get(pending)).toMatchObject({
      blockedBy: null,
      recommendation: { id: made[1]!.id, status: "pending" },
    });

    const notALead = a.customers.find((id) => !marked.has(id))!;
    const result = await call(
      "POST",
      `/api/products/${a.wine.TR22}/customers/approve`,
      "editor@alpha.fr",
      { customerIds: [rejected, contacted, pending, notALead] },
    );
    expect(result.status).toBe(200);
    expect(result.body.approved).toBe(1);
    expect(result.body.skipped).toEqual(
      expect.arrayContaining([
        { customerId: rejected, reason: "rejected_before" },
        { customerId: contacted, reason: "contacted_recently" },
        { customerId: notALead, reason: "not_a_lead" },
      ]),
    );
    const approved = await approvedOf("TR22");
    expect(approved.items.find((r) => r.customer.id === pending)?.id).toBe(made[1]!.id);
    expect(approved.items.some((r) => r.customer.id === rejected)).toBe(false);

    // The estate's own rules: without a gap between contacts, the contacted customer may join.
    const rules = await call("PUT", "/api/settings/rules", "admin@alpha.fr", {
      perCustomer: 3,
      rebuyWindowDays: 60,
      contactGapDays: 0,
      onlyActiveProducts: true,
    });
    expect(rules.status).toBe(200);
    const relaxed = new Map((await leadsOf("TR22")).map((l) => [l.customer.id, l]));
    expect(relaxed.get(contacted)?.blockedBy).toBeNull();
    expect(relaxed.get(rejected)?.blockedBy).toBe("rejected_before");
  });

  it("marks every lead of a wine off sale as kept off by a rule and approves none", async () => {
    const leads = await leadsOf("VR18");
    expect(leads.length).toBeGreaterThan(0);
    // A customer contacted recently is kept off by that rule first, like in a run.
    const contacted = new Set(["contacted_recently"]);
    expect(leads.every((l) => l.blockedBy === "inactive" || contacted.has(l.blockedBy!))).toBe(
      true,
    );
    const result = await call(
      "POST",
      `/api/products/${a.wine.VR18}/customers/approve`,
      "editor@alpha.fr",
      { customerIds: leads.map((l) => l.customer.id) },
    );
    expect(result.body.approved).toBe(0);
  });

  it("narrows the leads to one kind and RFM tier of customer before cutting the list", async () => {
    const everyone = await leadsOf("TR21");
    const trade = await leadsOf("TR21", "viewer@alpha.fr", "&kind=trade");
    expect(trade.length).toBeGreaterThan(0);
    expect(trade.every((l) => l.customer.kind === "trade")).toBe(true);
    expect(trade.map((l) => l.customer.id)).toEqual(
      everyone.filter((l) => l.customer.kind === "trade").map((l) => l.customer.id),
    );
    // A segment set by a run: the last lead of the full list is the one dormant customer.
    const sleeper = everyone.at(-1)!.customer.id;
    await services.db.db.insert(customerSegments).values({
      customerId: sleeper,
      tenantId: a.tenant.id,
      recency: 1,
      frequency: 1,
      monetary: 1,
      tier: "dormant",
    });
    const dormant = await call(
      "GET",
      `/api/products/${a.wine.TR21}/customers?k=1&tier=dormant`,
      "viewer@alpha.fr",
    );
    expect(dormant.body.items.map((l: { customer: { id: string } }) => l.customer.id)).toEqual([
      sleeper,
    ]);
    const dormantTrade = await leadsOf("TR21", "viewer@alpha.fr", "&tier=dormant&kind=trade");
    expect(dormantTrade.map((l) => l.customer.id)).toEqual(
      everyone
        .filter((l) => l.customer.id === sleeper && l.customer.kind === "trade")
        .map((l) => l.customer.id),
    );
    expect(dormant.body.items[0].customer.tier).toBe("dormant");
    const refused = await call(
      "GET",
      `/api/products/${a.wine.TR21}/customers?tier=gold`,
      "viewer@alpha.fr",
    );
    expect(refused.status).toBe(400);
  });

  it("ranks the customers for a vintage still in the cellar (not on sale, bought by nobody)", async () => {
    const onSale = (active: boolean) =>
      queryRows(
        services.db.db,
        sql`update products set active = ${active} where id = ${a.wine.TR22!}::uuid`,
      );
    await onSale(false);
    try {
      const leads = await leadsOf("TR22");
      expect(leads.length).toBeGreaterThan(5);
      expect(leads.filter((l) => l.blockedBy === "inactive").length).toBeGreaterThan(0);
      expect(
        leads.every((l) => l.blockedBy === "inactive" || l.blockedBy === "contacted_recently"),
      ).toBe(true);
      expect(leads[0]!.explanation.fr).toContain("Rouge Tradition");
    } finally {
      await onSale(true);
    }
  });

  it("keeps the carrier's charge out of the wines proposed, and lets an editor say what a product is", async () => {
    const g = await seedEstate(services, "gamma");
    const db = services.db.db;
    // Written before products had kinds (they default to a wine), on every customer's invoice;
    // and a glass the staff already said is a wine (they know best).
    const [port, glass] = await db
      .insert(products)
      .values([
        { tenantId: g.tenant.id, sku: "PORT", name: "Frais de port", priceInclTax: "15" },
        { tenantId: g.tenant.id, sku: "VERRE", name: "Verre gravé", kindByStaff: true },
      ])
      .returning({ id: products.id });
    const invoices = await queryRows<{ id: string }>(
      db,
      sql`select id from orders where tenant_id = ${g.tenant.id}::uuid`,
    );
    await db.insert(orderLines).values(
      invoices.map((o) => ({
        tenantId: g.tenant.id,
        orderId: o.id,
        lineKey: "PORT",
        productId: port!.id,
        quantity: "1",
        unitPrice: "15.00",
      })),
    );
    const [run] = await db
      .insert(recommendationRuns)
      .values({ tenantId: g.tenant.id, algorithm: "hybrid", status: "succeeded" })
      .returning({ id: recommendationRuns.id });
    const recommend = (status: "pending" | "approved", customer: number, productId = port!.id) =>
      db.insert(recommendations).values({
        tenantId: g.tenant.id,
        runId: run!.id,
        customerId: g.customers[customer]!,
        productId,
        algorithm: "hybrid",
        score: 1,
        confidence: 0.5,
        rank: 1,
        explanation: { fr: "Frais de port", en: "Shipping", fallback: true },
        status,
      });
    await recommend("pending", 0);
    await recommend("approved", 1);
    const before = await call("GET", "/api/products?kind=shipping", "viewer@gamma.fr");
    expect(skus(before.body)).toEqual([]);
    // Applying the migrations guesses the kinds SQL could not, and the review list loses the
    // pending proposal of a product found to be no wine.
    await applyMigrations(services.db);
    const path = `/api/products/${port!.id}`;
    const leads = await call("GET", `${path}/customers`, "viewer@gamma.fr");
    expect(leads.status).toBe(422);
    expect(leads.body.error.code).toBe("product.not_a_wine");
    const shipping = await call("GET", "/api/products?kind=shipping", "viewer@gamma.fr");
    expect(skus(shipping.body)).toEqual(["PORT"]);
    expect(shipping.body.items[0]).toMatchObject({
      kind: "shipping",
      kindByStaff: false,
      recommendations: { pending: 0, approved: 1 },
    });
    const wines = await call("GET", "/api/products?kind=wine", "viewer@gamma.fr");
    expect(skus(wines.body)).toEqual(["CH22", "TR22", "CR21", "TR21", "TR20", "VR18", "VERRE"]);
    expect(wines.body.items.at(-1)).toMatchObject({ id: glass!.id, kindByStaff: true });
    const tr22 = await call(
      "GET",
      `/api/products/${g.wine.TR22}/customers?k=50`,
      "viewer@gamma.fr",
    );
    expect(tr22.body.items.length).toBeGreaterThan(5);
    expect(
      tr22.body.items.some((l: { explanation: { fr: string } }) =>
        l.explanation.fr.includes("port"),
      ),
    ).toBe(false);

    expect((await call("PATCH", path, "viewer@gamma.fr", { kind: "wine" })).status).toBe(403);
    expect((await call("PATCH", path, "editor@gamma.fr", { kind: "tip" })).status).toBe(400);
    const asWine = await call("PATCH", path, "editor@gamma.fr", { kind: "wine" });
    expect(asWine.status).toBe(200);
    expect(asWine.body).toMatchObject({ sku: "PORT", kind: "wine", kindByStaff: true });
    await applyMigrations(services.db);
    expect((await call("GET", path, "viewer@gamma.fr")).body).toMatchObject({ kind: "wine" });
    expect((await call("GET", `${path}/customers`, "viewer@gamma.fr")).status).toBe(200);

    // Said to be no wine again, its pending recommendations leave the review list; an approved
    // one stays.
    await recommend("pending", 2);
    const other = await call("PATCH", path, "editor@gamma.fr", { kind: "other" });
    expect(other.body).toMatchObject({ kind: "other", kindByStaff: true });
    expect(other.body.recommendations).toEqual({ pending: 0, approved: 1 });
    const guessed = await call("PATCH", path, "editor@gamma.fr", { kind: null });
    expect(guessed.body).toMatchObject({ kind: "shipping", kindByStaff: false });
    const [audit] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from audit_log where tenant_id = ${g.tenant.id}::uuid and action = 'product.kind_changed'`,
    );
    expect(audit!.n).toBe(3);

    // A wine filed since among the accessories (a products file gave its family) leaves the
    // review list when its kind is guessed again after that write.
    await recommend("pending", 3, g.wine.VR18!);
    await db.execute(
      sql`update products set category = 'Tous / Accessoires' where id = ${g.wine.VR18!}::uuid`,
    );
    await db.transaction((tx) => reguessProducts(tx, g.tenant.id, ["VR18"]));
    const vr18 = await call("GET", `/api/products/${g.wine.VR18}`, "viewer@gamma.fr");
    expect(vr18.body).toMatchObject({
      kind: "other",
      category: "Tous / Accessoires",
      recommendations: { pending: 0 },
    });
  });
});
