import { eq } from "drizzle-orm";
import { trainRecommender } from "@crm-reco/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServices } from "../../test/services.ts";
import {
  contacts,
  customers,
  orderLines,
  orders,
  products,
  recommendationRuns,
  recommendations,
} from "../db/schema/index.ts";
import { createSource } from "../repos/sources.ts";
import { ensureTenant } from "../repos/tenants.ts";
import type { Services } from "../services.ts";
import { ruleContext } from "./generate.ts";
import { keysOf, loadHistory, sellableIds } from "./load-history.ts";

const AS_OF = "2026-03-01";

/**
 * Anne bought the 2025 Riesling; a record of hers merged into her had the Crémant rejected.
 * Bruno bought the 2023 Riesling and had the 2024 rejected ("too dear"). Anne's last mailing is
 * dated after the run's date (a run placed in the past), Bruno's before.
 */
async function seed(services: Services) {
  const db = services.db.db;
  const tenant = await ensureTenant(db, { slug: "rules", name: "Domaine" });
  const source = await createSource(db, tenant.id, { name: "iSaVigne", kind: "file" });
  const [anne, bruno, anneTwice] = await db
    .insert(customers)
    .values(
      ["Anne", "Bruno", "Anne bis"].map((lastName, i) => ({
        tenantId: tenant.id,
        customerCode: `C${i}`,
        lastName,
      })),
    )
    .returning({ id: customers.id });
  const wine = (
    sku: string,
    name: string,
    cuvee: string | null,
    vintage: number | null,
    sizeMl = 750,
    grapes: string[] = [],
  ) => ({
    tenantId: tenant.id,
    sku,
    name,
    cuvee,
    vintage,
    sizeMl,
    grapes,
    color: "white" as const,
    active: true,
  });
  const made = await db
    .insert(products)
    .values([
      wine("R23", "Riesling 2023", "Riesling", 2023),
      wine("R24", "Riesling 2024", "Riesling", 2024),
      wine("R25", "Riesling 2025", "Riesling", 2025),
      wine("RM23", "Riesling 2023 magnum", "Riesling", 2023, 1500),
      wine("G24", "Gewurztraminer Vendanges Tardives 2024", null, 2024),
      wine("G25", "Gewurztraminer Vendanges Tardives 2025", null, 2025),
      wine("CR", "Crémant Brut", "Crémant", null),
      // A range, its cuvée name given to several grapes: two wines.
      wine("RR24", "Riesling Réserve 2024", "Réserve", 2024, 750, ["Riesling"]),
      wine("RR25", "Riesling Réserve 2025", "Réserve", 2025, 750, ["Riesling"]),
      wine("GR25", "Gewurztraminer Réserve 2025", "Réserve", 2025, 750, ["Gewurztraminer"]),
      // One wine's vintages written differently (an accent), or made from a sales line (no grapes).
      wine("GR24", "Gewürztraminer Réserve 2024", "réserve", 2024, 750, ["Gewürztraminer"]),
      wine("P25", "Pinot Blanc 2025", "Pinot Blanc", 2025, 750, ["Pinot Blanc"]),
      wine("P24", "Pinot Blanc 2024", "Pinot Blanc", 2024),
    ])
    .returning({ id: products.id, sku: products.sku });
  const id = Object.fromEntries(made.map((p) => [p.sku, p.id])) as Record<string, string>;
  const buy = async (customerId: string, sku: string, day: string) => {
    const [order] = await db
      .insert(orders)
      .values({
        tenantId: tenant.id,
        sourceId: source.id,
        documentNumber: `F-${customerId}-${sku}`,
        customerId,
        orderDate: day,
      })
      .returning({ id: orders.id });
    await db.insert(orderLines).values({
      tenantId: tenant.id,
      orderId: order!.id,
      lineKey: "1",
      productId: id[sku]!,
      quantity: "6",
      unitPrice: "12.00",
    });
  };
  await buy(anne!.id, "R25", "2025-10-02");
  await buy(anne!.id, "G25", "2025-11-02");
  await buy(bruno!.id, "R23", "2024-05-02");
  await buy(bruno!.id, "CR", "2024-06-02");
  await db.update(customers).set({ mergedInto: anne!.id }).where(eqId(anneTwice!.id));
  const [run] = await db
    .insert(recommendationRuns)
    .values({ tenantId: tenant.id, algorithm: "hybrid", status: "succeeded" })
    .returning({ id: recommendationRuns.id });
  await db.insert(recommendations).values(
    [
      [anneTwice!.id, "CR"],
      [bruno!.id, "R24"],
    ].map(([customerId, sku]) => ({
      tenantId: tenant.id,
      runId: run!.id,
      customerId: customerId!,
      productId: id[sku!]!,
      algorithm: "hybrid",
      score: 1,
      confidence: 0.2,
      rank: 1,
      explanation: { fr: "", en: "", fallback: false },
      status: "rejected" as const,
      rejectReason: "Trop cher",
    })),
  );
  await db.insert(contacts).values([
    {
      tenantId: tenant.id,
      customerId: anne!.id,
      channel: "email" as const,
      contactedAt: new Date("2026-05-01T09:00:00Z"),
    },
    {
      tenantId: tenant.id,
      customerId: bruno!.id,
      channel: "email" as const,
      contactedAt: new Date("2026-02-01T09:00:00Z"),
    },
  ]);
  return { tenantId: tenant.id, anne: anne!.id, bruno: bruno!.id, id };
}

const eqId = (id: string) => eq(customers.id, id);

describe("the campaign rules' view of an estate", () => {
  let services: Services & { close(): Promise<void> };
  let estate: Awaited<ReturnType<typeof seed>>;
  let context: Awaited<ReturnType<typeof ruleContext>>;
  let today: Awaited<ReturnType<typeof ruleContext>>;
  let item: (sku: string) => number;
  let customer: (id: string) => number;
  beforeAll(async () => {
    services = await createTestServices("pglite");
    estate = await seed(services);
    const history = await loadHistory(services.db.db, estate.tenantId);
    const { data } = trainRecommender(history.purchases, {
      algorithm: "popularity",
      asOf: AS_OF,
      describe: (id) => history.catalogue.get(id),
      catalogue: sellableIds(history),
      ...keysOf(history),
    });
    context = await ruleContext(services.db.db, estate.tenantId, data, history, AS_OF, AS_OF);
    // A campaign going out today, after the history's last sale: every contact counts, to today.
    today = await ruleContext(services.db.db, estate.tenantId, data, history, AS_OF, "2026-06-01");
    item = (sku) => data.itemIndex.get(estate.id[sku]!)!;
    customer = (id) => data.customerIndex.get(id)!;
  }, 60_000);
  afterAll(async () => services?.close());

  it("knows which products are vintages of one wine: its cuvée, else its name, its size and grapes", () => {
    const wineOf = (sku: string) => context.wineOf(item(sku));
    expect(wineOf("R23")).toBe(wineOf("R25"));
    expect(wineOf("RM23")).not.toBe(wineOf("R23"));
    expect(wineOf("G24")).toBe(wineOf("G25"));
    expect(wineOf("G24")).not.toBe(wineOf("R24"));
    expect(wineOf("CR")).toBeNull(); // no vintage: no other vintage to mistake it for
    expect(wineOf("RR24")).toBe(wineOf("RR25"));
    expect(wineOf("RR24")).not.toBe(wineOf("GR25"));
    expect(wineOf("GR24")).toBe(wineOf("GR25"));
    expect(wineOf("P24")).toBe(wineOf("P25"));
  });

  it("says when the customer already has a newer vintage of the wine", () => {
    const anne = customer(estate.anne);
    expect(context.boughtNewerVintage(anne, item("R24"))).toBe(true);
    expect(context.boughtNewerVintage(anne, item("G24"))).toBe(true);
    expect(context.boughtNewerVintage(anne, item("R25"))).toBe(false);
    expect(context.boughtNewerVintage(anne, item("RM23"))).toBe(false);
    expect(context.boughtNewerVintage(customer(estate.bruno), item("R24"))).toBe(false);
  });

  it("keeps a rejected wine off in its older vintages too, and a merged record's rejections", () => {
    const bruno = customer(estate.bruno);
    expect(context.wasRejected(bruno, item("R24"))).toBe(true);
    expect(context.wasRejected(bruno, item("R23"))).toBe(true);
    expect(context.wasRejected(bruno, item("R25"))).toBe(false);
    expect(context.wasRejected(bruno, item("RM23"))).toBe(false);
    expect(context.wasRejected(customer(estate.anne), item("CR"))).toBe(true);
  });

  it("counts only the contacts made by the day a run placed in the past stands on", () => {
    expect(context.daysSinceContact(customer(estate.anne))).toBeUndefined();
    expect(context.daysSinceContact(customer(estate.bruno))).toBe(28);
  });

  it("reckons the gap from today for a campaign going out now, after the last sale", () => {
    expect(today.daysSinceContact(customer(estate.anne))).toBe(31); // mailed 1 May, today 1 June
    expect(today.daysSinceContact(customer(estate.bruno))).toBe(120);
  });
});
