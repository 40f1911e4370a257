import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "../../adapters/db/database.ts";
import { availableDrivers } from "../../../test/databases.ts";
import { apiClient } from "../../../test/api-client.ts";
import { createTestServices } from "../../../test/services.ts";
import { createUser } from "../../auth/users.ts";
import {
  campaigns,
  customerSegments,
  customers,
  feedback,
  odooPushes,
  orderLines,
  orders,
  products,
  recommendationRuns,
  recommendations,
  sources,
} from "../../db/schema/index.ts";
import { ensureTenant } from "../../repos/tenants.ts";
import { saveCampaignRules } from "../../recommend/campaign-rules.ts";
import type { RecommendationContext } from "../../recommend/recommendation-context.ts";
import type { Services } from "../../services.ts";
import { createApp } from "../app.ts";

const PASSWORD = "correct horse battery";

interface Listed {
  id: string;
  customer: { code: string };
  product: { sku: string };
  emailRefusal: string | null;
}

/**
 * One estate: three customers (a private champion, a shop taken for private by default and with
 * no segment, a dormant trade customer), three wines, a campaign, nine recommendations with known
 * confidences and algorithms, two orders for the first customer, and two ratings of one proposal.
 */
async function seed(services: Services, slug: string) {
  const db = services.db.db;
  const tenant = await ensureTenant(db, { slug, name: `Domaine ${slug}` });
  const users: Record<string, string> = {};
  for (const role of ["editor", "viewer", "admin"] as const)
    users[role] = (
      await createUser(db, tenant.id, { email: `${role}@${slug}.fr`, password: PASSWORD, role })
    ).id;
  const people = await db
    .insert(customers)
    .values([
      {
        tenantId: tenant.id,
        customerCode: "K1",
        firstName: "Anne",
        lastName: "Martin",
        qualityScore: 82,
        kind: "private",
      },
      { tenantId: tenant.id, customerCode: "K2", company: "Cave du Port", email: "cave@port.fr" },
      {
        tenantId: tenant.id,
        customerCode: "K3",
        firstName: "Zoé",
        lastName: "Bernard",
        kind: "trade",
      },
    ])
    .returning({ id: customers.id });
  // Anne is a champion and Zoé dormant; the wine shop has no segment yet (no run saw it).
  await db.insert(customerSegments).values(
    (["champions", "dormant"] as const).map((tier, i) => ({
      customerId: people[i * 2]!.id,
      tenantId: tenant.id,
      recency: 3,
      frequency: 3,
      monetary: 3,
      tier,
    })),
  );
  const wines = await db
    .insert(products)
    .values([
      { tenantId: tenant.id, sku: "RI23", name: "Riesling Grand Cru 2023" },
      { tenantId: tenant.id, sku: "CR21", name: "Crémant 100%_Brut 2021" },
      { tenantId: tenant.id, sku: "PN22", name: "Pinot Noir 2022" },
    ])
    .returning({ id: products.id });
  const [campaign] = await db
    .insert(campaigns)
    .values({ tenantId: tenant.id, slug: "noel", name: "Noël" })
    .returning({ id: campaigns.id });
  const [run] = await db
    .insert(recommendationRuns)
    .values({ tenantId: tenant.id, algorithm: "hybrid", status: "succeeded" })
    .returning({ id: recommendationRuns.id });
  const recos = await db
    .insert(recommendations)
    .values(
      people.flatMap((p, i) =>
        wines.map((w, j) => ({
          tenantId: tenant.id,
          runId: run!.id,
          customerId: p.id,
          productId: w.id,
          campaignId: j === 2 ? campaign!.id : null,
          algorithm: j === 0 ? "itemknn" : "popularity",
          score: 1,
          confidence: 0.9 - i * 0.1 - j * 0.25,
          rank: j + 1,
          explanation: { fr: `Essai ${i}-${j}`, en: `Try ${i}-${j}`, fallback: false },
          createdAt: new Date(Date.UTC(2026, 10, 1 + i * 3 + j)),
        })),
      ),
    )
    .returning({ id: recommendations.id });
  const [source] = await db
    .insert(sources)
    .values({ tenantId: tenant.id, name: "iSaVigne", kind: "file" })
    .returning({ id: sources.id });
  const bought = await db
    .insert(orders)
    .values([
      {
        tenantId: tenant.id,
        sourceId: source!.id,
        documentNumber: "F1",
        customerId: people[0]!.id,
        orderDate: "2025-12-10",
      },
      {
        tenantId: tenant.id,
        sourceId: source!.id,
        documentNumber: "F2",
        customerId: people[0]!.id,
        orderDate: "2026-06-02",
      },
    ])
    .returning({ id: orders.id });
  await db.insert(orderLines).values([
    {
      tenantId: tenant.id,
      orderId: bought[0]!.id,
      lineKey: "1",
      productId: wines[1]!.id,
      quantity: "6",
      total: "75.00",
    },
    {
      tenantId: tenant.id,
      orderId: bought[1]!.id,
      lineKey: "1",
      productId: wines[2]!.id,
      quantity: "3",
      total: "54.00",
    },
  ]);
  await db.insert(feedback).values([
    {
      tenantId: tenant.id,
      recommendationId: recos[0]!.id,
      userId: users.editor!,
      rating: 4,
      comment: "Bonne idée",
      updatedAt: new Date("2026-11-20T09:00:00Z"),
    },
    {
      tenantId: tenant.id,
      recommendationId: recos[0]!.id,
      userId: users.admin!,
      rating: 2,
      comment: null,
      updatedAt: new Date("2026-11-21T09:00:00Z"),
    },
  ]);
  return {
    tenantId: tenant.id,
    customers: people.map((p) => p.id),
    products: wines.map((w) => w.id),
    campaignId: campaign!.id,
    recommendations: recos.map((r) => r.id),
  };
}

describe.each(availableDrivers.filter((d) => d !== "neon"))(
  "recommendations review API on %s",
  (driver) => {
    let services: Services & { close(): Promise<void> };
    let app: ReturnType<typeof createApp>;
    let a: Awaited<ReturnType<typeof seed>>;
    let b: Awaited<ReturnType<typeof seed>>;
    const cookies = new Map<string, string>();

    beforeAll(async () => {
      services = await createTestServices(driver);
      app = createApp(services);
      a = await seed(services, "alpha");
      b = await seed(services, "beta");
    });
    afterAll(async () => {
      await services?.close();
    });

    const get = async (path: string, as = "viewer@alpha.fr") => {
      if (!cookies.has(as)) {
        const response = await app.request("/api/auth/sign-in", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: as, password: PASSWORD, estate: as.split(/[@.]/)[1] }),
        });
        expect(response.status).toBe(200);
        cookies.set(as, response.headers.get("set-cookie")!.split(";")[0]!);
      }
      const response = await app.request(path, { headers: { cookie: cookies.get(as)! } });
      // The shape each test reads: a list page, a context, or an error.
      type Body = Partial<RecommendationContext & { error: { code: string; message: string } }>;
      return { status: response.status, body: (await response.json()) as Body };
    };
    const listed = async (query: string) => {
      const page = await get(`/api/recommendations?${query}`);
      expect(page.status, query).toBe(200);
      return page.body as unknown as { total: number; items: Listed[] };
    };
    const pairs = (items: Listed[]) => items.map((r) => `${r.customer.code}/${r.product.sku}`);

    it.each([
      ["algorithm=itemknn", ["K1/RI23", "K2/RI23", "K3/RI23"]],
      ["minConfidence=0.6", ["K1/RI23", "K2/RI23", "K3/RI23", "K1/CR21"]],
      ["algorithm=popularity&minConfidence=0.5", ["K1/CR21", "K2/CR21"]],
      ["customer=cave", ["K2/RI23", "K2/CR21", "K2/PN22"]],
      ["customer=k3&product=pinot", ["K3/PN22"]],
      ["product=100%25_", ["K1/CR21", "K2/CR21", "K3/CR21"]],
      ["product=100%25x", []],
      ["product=ri23", ["K1/RI23", "K2/RI23", "K3/RI23"]],
      ["kind=private", ["K1/RI23", "K2/RI23", "K1/CR21", "K2/CR21", "K1/PN22", "K2/PN22"]],
      ["kind=trade", ["K3/RI23", "K3/CR21", "K3/PN22"]],
      ["tier=dormant", ["K3/RI23", "K3/CR21", "K3/PN22"]],
      ["tier=champions&algorithm=itemknn", ["K1/RI23"]],
      ["tier=dormant&kind=private", []],
      ["tier=loyal", []],
    ])("filters by %s", async (query, expected) => {
      const page = await listed(query);
      expect(pairs(page.items)).toEqual(expected);
      expect(page.total).toBe(expected.length);
    });

    it("filters by campaign and never shows another estate's", async () => {
      const page = await listed(`campaignId=${a.campaignId}`);
      expect(pairs(page.items)).toEqual(["K1/PN22", "K2/PN22", "K3/PN22"]);
      expect((await listed(`campaignId=${b.campaignId}`)).total).toBe(0);
      const all = await listed("limit=500");
      expect(all.total).toBe(9);
      for (const id of b.recommendations) expect(all.items.map((r) => r.id)).not.toContain(id);
    });

    it.each([
      ["", ["K1/RI23", "K2/RI23", "K3/RI23", "K1/CR21"]],
      ["sort=confidence&order=asc", ["K3/PN22", "K2/PN22", "K1/PN22", "K3/CR21"]],
      ["sort=customer", ["K1/RI23", "K1/CR21", "K1/PN22", "K2/RI23"]],
      ["sort=customer&order=desc", ["K3/RI23", "K3/CR21", "K3/PN22", "K2/RI23"]],
      ["sort=product", ["K1/CR21", "K2/CR21", "K3/CR21", "K1/PN22"]],
      ["sort=date", ["K3/PN22", "K3/CR21", "K3/RI23", "K2/PN22"]],
      ["sort=date&order=asc", ["K1/RI23", "K1/CR21", "K1/PN22", "K2/RI23"]],
    ])("sorts by %j, with stable pages", async (query, expected) => {
      const first = await listed(`${query}&limit=2`);
      const second = await listed(`${query}&limit=2&offset=2`);
      expect(pairs([...first.items, ...second.items])).toEqual(expected);
      expect(first.total).toBe(9);
      expect(second.total).toBe(9);
    });

    it("says which customers cannot be written to by e-mail, before any export", async () => {
      const all = await listed("limit=500");
      const refusal = new Map(all.items.map((r) => [r.customer.code, r.emailRefusal]));
      // Anne Martin and Zoé Bernard have no address; the wine shop has one, but no consent known.
      expect(Object.fromEntries(refusal)).toEqual({
        K1: "no_email",
        K2: "no_consent",
        K3: "no_email",
      });
    });

    it("counts the whole list on a page past its end, which has no row to carry the total", async () => {
      const past = await listed("limit=5&offset=20");
      expect(past.items).toEqual([]);
      expect(past.total).toBe(9);
      const filteredPast = await listed("algorithm=itemknn&offset=3");
      expect(filteredPast.items).toEqual([]);
      expect(filteredPast.total).toBe(3);
    });

    it.each([
      "sort=price",
      "order=up",
      "minConfidence=2",
      "customer=" + "x".repeat(101),
      "product=",
      "campaignId=noel",
      "tier=gold",
      "kind=pro",
    ])("refuses %s with a 400 naming the field", async (query) => {
      const response = await get(`/api/recommendations?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.error!.message.length).toBeGreaterThan(0);
    });

    it("lists the algorithms and campaigns to filter by, those the recommendations are in", async () => {
      // The estate's rules live on a campaign of their own, which no recommendation belongs to:
      // offered as a filter, it would only ever show an empty list.
      await saveCampaignRules(services.db.db, a.tenantId, {
        perCustomer: 3,
        rebuyWindowDays: 60,
        contactGapDays: 135,
        onlyActiveProducts: true,
      });
      const facets = await get("/api/recommendations/facets");
      expect(facets.status).toBe(200);
      expect(facets.body).toEqual({
        algorithms: ["itemknn", "popularity"],
        campaigns: [{ id: a.campaignId, name: "Noël" }],
      });
    });

    it("gives a recommendation's context: customer, purchases, other candidates, feedback history", async () => {
      const context = await get(`/api/recommendations/${a.recommendations[0]}/context`);
      expect(context.status).toBe(200);
      expect(context.body.customer).toMatchObject({
        id: a.customers[0],
        name: "Anne Martin",
        code: "K1",
        qualityScore: 82,
        orders: 2,
      });
      expect(context.body.purchases).toEqual([
        {
          orderDate: "2026-06-02",
          documentNumber: "F2",
          sku: "PN22",
          product: "Pinot Noir 2022",
          quantity: 3,
          total: 54,
        },
        {
          orderDate: "2025-12-10",
          documentNumber: "F1",
          sku: "CR21",
          product: "Crémant 100%_Brut 2021",
          quantity: 6,
          total: 75,
        },
      ]);
      expect(context.body.candidates!.map((c) => [c.product.sku, c.rank, c.status])).toEqual([
        ["CR21", 2, "pending"],
        ["PN22", 3, "pending"],
      ]);
      expect(context.body.candidates![0]!.confidence).toBeCloseTo(0.65, 5);
      expect(context.body.feedback!.map((f) => [f.by, f.rating, f.comment])).toEqual([
        ["admin@alpha.fr", 2, null],
        ["editor@alpha.fr", 4, "Bonne idée"],
      ]);
      expect(context.body.feedback![0]!.updatedAt).toBe("2026-11-21T09:00:00Z");

      const limited = await get(`/api/recommendations/${a.recommendations[0]}/context?purchases=1`);
      expect(limited.body.purchases).toHaveLength(1);
      const empty = await get(`/api/recommendations/${a.recommendations[4]}/context`);
      expect(empty.body).toMatchObject({ purchases: [], feedback: [] });
      expect(empty.body.candidates).toHaveLength(2);
    });

    it("answers 404 for another estate's recommendation and 400 for a malformed id", async () => {
      const foreign = await get(`/api/recommendations/${b.recommendations[0]}/context`);
      expect(foreign.status).toBe(404);
      expect(foreign.body.error!.code).toBe("recommendation.not_found");
      expect((await get("/api/recommendations/nope/context")).status).toBe(400);
      expect(
        (await get(`/api/recommendations/${a.recommendations[0]}/context?purchases=0`)).status,
      ).toBe(400);
    });

    it("approves in bulk every pending proposal to one tier and kind of customer", async () => {
      const client = apiClient(app, PASSWORD);
      // Nobody is both private and dormant: a filter left out would approve someone.
      const none = await client.call("POST", "/api/recommendations/bulk", {
        as: "editor@alpha.fr",
        body: { action: "approve", filter: { tier: "dormant", kind: "private" } },
      });
      expect(none.body).toEqual({ updated: 0 });
      const bulk = await client.call("POST", "/api/recommendations/bulk", {
        as: "editor@alpha.fr",
        body: { action: "approve", filter: { tier: "dormant", kind: "trade" } },
      });
      expect(bulk.status).toBe(200);
      expect(bulk.body).toEqual({ updated: 3 });
      const approved = await listed("status=approved");
      expect(pairs(approved.items)).toEqual(["K3/RI23", "K3/CR21", "K3/PN22"]);
    });

    it("keeps a decision once a sales activity was made from it in Odoo", async () => {
      const client = apiClient(app, PASSWORD);
      const [row] = await queryRows<{ id: string; source_id: string }>(
        services.db.db,
        sql`select r.id, s.id as source_id from recommendations r
            join customers c on c.id = r.customer_id join products p on p.id = r.product_id
            join sources s on s.tenant_id = r.tenant_id
            where r.tenant_id = ${a.tenantId}::uuid and c.customer_code = 'K3' and p.sku = 'RI23'`,
      );
      await services.db.db.insert(odooPushes).values({
        tenantId: a.tenantId,
        sourceId: row!.source_id,
        recommendationId: row!.id,
        odooActivityId: 41,
        odooPartnerId: 7,
      });
      const one = await client.call("POST", `/api/recommendations/${row!.id}/reject`, {
        as: "editor@alpha.fr",
        body: { reason: "Changé d'avis" },
      });
      expect(one.status).toBe(409);
      expect(one.body).toMatchObject({ error: { code: "recommendation.conflict" } });
      const many = await client.call("POST", "/api/recommendations/bulk", {
        as: "editor@alpha.fr",
        body: { action: "reject", reason: "Changé d'avis", ids: [row!.id] },
      });
      expect(many.body).toEqual({ updated: 0 });
      expect(pairs((await listed("status=approved")).items)).toContain("K3/RI23");
    });
  },
);
