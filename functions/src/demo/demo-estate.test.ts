import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServices, fixedClock } from "../../test/services.ts";
import { queryRows } from "../adapters/db/database.ts";
import { ensureTenant } from "../repos/tenants.ts";
import type { Services } from "../services.ts";
import { sql } from "drizzle-orm";
import { loadHistory } from "../recommend/load-history.ts";
import { generateDemoEstate } from "./demo-estate.ts";
import { clearEstateData, endOfLastMonth, isEmptyEstate, loadDemoEstate } from "./load-demo.ts";

describe("the demo estate", () => {
  const small = { privateCustomers: 240, tradeCustomers: 24 };

  it("is the same for the same seed, different for another", () => {
    expect(generateDemoEstate({ ...small, seed: 7 })).toEqual(
      generateDemoEstate({ ...small, seed: 7 }),
    );
    expect(generateDemoEstate({ ...small, seed: 8 }).sales).not.toBe(
      generateDemoEstate({ ...small, seed: 7 }).sales,
    );
  });

  it("looks like a real iSaVigne export, mess included", () => {
    const files = generateDemoEstate();
    const customers = files.customers.split("\r\n");
    expect(customers[0]).toBe(
      "Code client;Civilité;Prénom;Nom;Raison sociale;E-mail;Téléphone;Adresse;CP;Ville;Pays;Type de client;Accepte e-mail;Accepte courrier",
    );
    expect(customers.length).toBeGreaterThan(3300);
    expect(files.customers).toMatch(/;Caviste;|;Restaurant;|;Importateur;/);
    expect(files.customers).toMatch(/;\d{4};(Bourg-en-Bresse|Saint-Quentin|Digne-les-Bains|Gap);/); // a lost leading zero
    expect(files.customers).toMatch(/@@/); // a typo in an e-mail
    expect(files.customers).toMatch(/;;0\d|;;;/); // missing e-mails
    expect(files.customers).toMatch(/;\d+ rue des Vignes;/);
    expect(files.customers).toMatch(/;\+?[\d .]+;;\d+;/); // a street missing
    const sales = files.sales.split("\r\n").slice(1, -1);
    const months = new Array<number>(12).fill(0);
    for (const line of sales) months[Number(line.split(";")[1]!.slice(3, 5)) - 1]!++;
    expect(months[11]).toBeGreaterThan(months[1]! * 1.5); // the December peak
    expect(files.products).toMatch(/Crémant d'Alsace Brut;Effervescent/);
    expect(files.odooCustomers.split("\n")[0]).toBe(
      "ID,Nom,E-mail,Téléphone,Code postal,Ville,Pays",
    );
    expect(files.odooSales).toMatch(/^S\d{5},\d+,20\d\d-\d\d-\d\d \d\d:\d\d:\d\d,/m);
    // Some e-shop customers are cellar-door customers under another id.
    const cellarEmails = new Set(files.customers.split("\r\n").map((l) => l.split(";")[5]));
    const shared = files.odooCustomers.split("\n").filter((l) => cellarEmails.has(l.split(",")[2]));
    expect(shared.length).toBeGreaterThan(50);
  });

  it("sells each vintage only once it is released, from the March after its harvest", () => {
    const files = generateDemoEstate(small);
    const sold: Array<{ on: string; vintage: number }> = [];
    for (const line of files.sales.split("\r\n").slice(1, -1)) {
      const [, date, , , name] = line.split(";");
      const vintage = / (20\d\d)\b/.exec(name!)?.[1];
      if (vintage)
        sold.push({ on: date!.split("/").reverse().join("-"), vintage: Number(vintage) });
    }
    for (const line of files.odooSales.trim().split("\n").slice(1)) {
      const vintage = /,[^,]* (20\d\d)\b[^,]*,\d+,[\d.]+,[\d.]+$/.exec(line)?.[1];
      if (vintage) sold.push({ on: line.split(",")[2]!.slice(0, 10), vintage: Number(vintage) });
    }
    expect(sold.length).toBeGreaterThan(1000);
    const early = sold.filter((s) => s.on < `${s.vintage + 1}-03-01`);
    expect(early).toEqual([]);
    // Five years of sales go through several vintages, and the oldest ones are sold out.
    expect(new Set(sold.map((s) => s.vintage)).size).toBeGreaterThanOrEqual(5);
    const catalogue = files.products.split("\r\n").slice(1, -1);
    const firstVintage = Math.min(...sold.map((s) => s.vintage));
    expect(catalogue.some((l) => l.includes(` ${firstVintage};`))).toBe(true);
    // This autumn's harvest is listed, not on sale yet; the last three released vintages are.
    const onSale = (vintage: number) =>
      catalogue.filter((l) => l.split(";")[6] === String(vintage)).map((l) => l.split(";").at(-1));
    expect(new Set(onSale(2026))).toEqual(new Set(["Non"]));
    for (const vintage of [2023, 2024, 2025])
      expect(new Set(onSale(vintage))).toEqual(new Set(["Oui"]));
    expect(new Set(onSale(2022))).toEqual(new Set(["Non"]));
  });

  it.each([
    ["2026-11-25T10:00:00Z", "2026-10-31"],
    ["2026-12-01T00:00:00Z", "2026-11-30"],
    ["2027-01-10T23:59:59Z", "2026-12-31"],
    ["2028-03-15T12:00:00Z", "2028-02-29"],
  ])("on %s, ends its sales on %s, the last day of the month before", (now, until) =>
    expect(endOfLastMonth(new Date(now))).toBe(until),
  );

  it("sells until the end of last month, whenever it is loaded", async () => {
    const later = await createTestServices("pglite", fixedClock("2027-02-10T09:00:00Z"));
    try {
      const tenantId = (await ensureTenant(later.db.db, { slug: "demo", name: "Démo" })).id;
      await loadDemoEstate(later, tenantId, () => {}, {
        privateCustomers: 60,
        tradeCustomers: 6,
      });
      const [last] = await queryRows<{ day: string }>(
        later.db.db,
        sql`select max(order_date)::text as day from orders where tenant_id = ${tenantId}::uuid`,
      );
      expect(last!.day.slice(0, 7)).toBe("2027-01");
    } finally {
      await later.close();
    }
  });

  describe("loaded through the import path", () => {
    let services: Services & { close(): Promise<void> };
    let tenantId: string;
    beforeAll(async () => {
      services = await createTestServices("pglite");
      tenantId = (await ensureTenant(services.db.db, { slug: "demo", name: "Démo" })).id;
    });
    afterAll(async () => services?.close());

    it("imports, merges duplicates, recommends with explanations, and can start over", async () => {
      expect(await isEmptyEstate(services, tenantId)).toBe(true);
      const summary = await loadDemoEstate(services, tenantId, () => {}, small);
      expect(summary.imported.map((i) => [i.fileName, i.status])).toEqual([
        ["articles.csv", "succeeded"],
        ["clients.csv", "succeeded"],
        ["ventes.csv", "succeeded"],
        ["odoo-contacts.csv", "succeeded"],
        ["odoo-commandes.csv", "succeeded"],
      ]);
      expect(summary.merged).toBeGreaterThan(0);
      // Cellar-door customers who also buy on the e-shop are one customer with two identities.
      const [both] = await queryRows<{ n: number }>(
        services.db.db,
        sql`select count(*)::int as n from (select customer_id from customer_identities
              where tenant_id = ${tenantId}::uuid group by customer_id having count(distinct source_id) = 2) x`,
      );
      expect(both!.n).toBeGreaterThan(0);
      expect(summary.recommendations).toBeGreaterThan(summary.customers);
      const [counts] = await queryRows<{ runs: number; anomalies: number; explained: number }>(
        services.db.db,
        sql`select (select count(*)::int from sync_runs where tenant_id = ${tenantId}::uuid and trigger = 'demo') as runs,
                   (select count(*)::int from anomalies where tenant_id = ${tenantId}::uuid) as anomalies,
                   (select count(*)::int from recommendations where tenant_id = ${tenantId}::uuid and explanation->>'fr' <> '') as explained`,
      );
      expect(counts).toMatchObject({ runs: 5, explained: summary.recommendations });
      // The carrier's charge is on many invoices, and proposed to no one.
      const [port] = await queryRows<{
        id: string;
        kind: string;
        lines: number;
        proposed: number;
      }>(
        services.db.db,
        sql`select p.id, p.kind, (select count(*)::int from order_lines l where l.product_id = p.id) as lines,
                   (select count(*)::int from recommendations r where r.product_id = p.id) as proposed
            from products p where p.tenant_id = ${tenantId}::uuid and p.sku = 'PORT'`,
      );
      expect(port).toMatchObject({ kind: "shipping", proposed: 0 });
      expect(port!.lines).toBeGreaterThan(50);
      // Nor does it teach the models, nor count in their evaluation, as a purchase.
      const history = await loadHistory(services.db.db, tenantId);
      expect(history.purchases.length).toBeGreaterThan(1000);
      expect(history.purchases.filter((p) => p.itemId === port!.id)).toEqual([]);
      expect(counts!.anomalies).toBeGreaterThan(0);
      expect(await isEmptyEstate(services, tenantId)).toBe(false);
      await clearEstateData(services, tenantId);
      expect(await isEmptyEstate(services, tenantId)).toBe(true);
    });
  });
});
