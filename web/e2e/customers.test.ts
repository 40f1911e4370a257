import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../functions/src/adapters/db/database.ts";
import { screenshotPath } from "./browser.ts";
import { browserReady, type EstateServer, startEstateServer } from "./estate-server.ts";

describe.runIf(browserReady)("customers in Chromium", () => {
  let estate: EstateServer;
  /** A customer seen in both demo sources, merged into one record, with orders. */
  let merged: { id: string; code: string; name: string };

  beforeAll(async () => {
    estate = await startEstateServer({ demo: { privateCustomers: 120, tradeCustomers: 12 } });
    const [row] = await queryRows<{ id: string; code: string; name: string }>(
      estate.services.db.db,
      sql`select c.id, c.customer_code as code, trim(coalesce(c.first_name || ' ', '') || coalesce(c.last_name, c.company, '')) as name
          from customer_merges m join customers c on c.id = m.survivor_id
          where m.undone_at is null and c.customer_code is not null and c.merged_into is null
            and exists (select 1 from orders o where o.customer_id = c.id)
            and (select count(*) from customer_identities i where i.customer_id = c.id) >= 2
          order by c.customer_code limit 1`,
    );
    merged = row!;
  }, 180_000);
  afterAll(async () => {
    await estate?.close();
  });

  it("filters the list (kept in the URL), opens a customer and shows the timeline and identities, without GDPR actions for an editor", async () => {
    const page = await estate.signedInPage("editor", "/customers");
    await expect.poll(() => page.getByTestId("customer-row").count()).toBeGreaterThan(10);
    const all = await page.getByTestId("customers-total").textContent();
    await page.getByLabel("Type").selectOption("trade");
    await expect.poll(() => page.getByTestId("customers-total").textContent()).not.toBe(all);
    expect(page.url()).toContain("kind=trade");
    expect(
      await page.getByTestId("customer-row").filter({ hasNotText: "Professionnel" }).count(),
    ).toBe(0);
    await page.getByLabel("Sans achat depuis (mois)").fill("240");
    await page.getByLabel("Sans achat depuis (mois)").press("Tab");
    await expect.poll(() => page.url()).toContain("noPurchaseForMonths=240");
    await expect.poll(() => page.getByText("Aucun client ne correspond.").count()).toBe(1);
    // Back undoes the last filter, then the one before.
    await page.goBack();
    await expect.poll(() => page.getByTestId("customer-row").count()).toBeGreaterThan(0);
    await page.goBack();
    await expect.poll(() => page.getByTestId("customers-total").textContent()).toBe(all);
    expect(await page.getByLabel("Type").inputValue()).toBe("");

    await page.getByLabel("Rechercher").fill(merged.code);
    await expect.poll(() => page.getByTestId("customer-row").count()).toBe(1);
    await page.getByTestId("customer-row").getByRole("link").click();
    await expect.poll(() => page.getByTestId("customer-name").textContent()).toContain(merged.name);
    expect(page.url()).toMatch(new RegExp(`/customers/${merged.id}$`));
    await expect.poll(() => page.getByTestId("timeline-order").count()).toBeGreaterThan(0);
    expect(await page.getByTestId("timeline-year").first().textContent()).toMatch(
      /^\d{4} \d+ commandes? · \d+ bouteilles? · [\d\s\u202f]+,\d\d\s€/,
    );
    const identities = page.getByTestId("identity-row");
    expect(await identities.count()).toBeGreaterThanOrEqual(2);
    expect(await identities.filter({ hasText: "Fusionnée depuis" }).count()).toBeGreaterThan(0);
    expect(await page.getByRole("button", { name: "Effacer" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Exporter ses données" }).count()).toBe(0);
    await page.setViewportSize({ width: 768, height: 1000 });
    await page.screenshot({ path: screenshotPath("customer-detail-tablet-fr"), fullPage: true });
    await page.context().close();
  });

  it("lets an admin download a customer's data as JSON, then erase another after typing their code", async () => {
    const page = await estate.signedInPage("admin", `/customers/${merged.id}`);
    await expect.poll(() => page.getByTestId("timeline-order").count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath("customer-detail-fr"), fullPage: true });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Exporter ses données" }).click(),
    ]);
    const data = JSON.parse(readFileSync(await download.path(), "utf8"));
    expect(data.customer).toMatchObject({ id: merged.id, customer_code: merged.code });
    expect(data.orders.length).toBeGreaterThan(0);
    expect(data.mergedRecords.length).toBeGreaterThan(0);

    const [victim] = await queryRows<{ id: string; code: string; name: string }>(
      estate.services.db.db,
      sql`select c.id, c.customer_code as code, trim(coalesce(c.first_name || ' ', '') || coalesce(c.last_name, c.company, '')) as name
          from customers c where c.customer_code is not null and c.merged_into is null and c.erased_at is null
            and c.id <> ${merged.id}::uuid order by c.customer_code desc limit 1`,
    );
    await page.goto(`${estate.url}/customers/${victim!.id}`);
    await page.getByRole("button", { name: "Effacer" }).click();
    const dialog = page.getByRole("dialog");
    const confirm = dialog.getByRole("button", { name: "Effacer définitivement" });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(/Pour confirmer/).fill(`${victim!.code}x`);
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(/Pour confirmer/).fill(victim!.code);
    await confirm.click();
    await expect.poll(() => page.getByTestId("customer-erased").count()).toBe(1);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Données effacées");
    const [after] = await queryRows<{ erased: boolean; code: string | null }>(
      estate.services.db.db,
      sql`select erased_at is not null as erased, customer_code as code from customers where id = ${victim!.id}::uuid`,
    );
    expect(after).toEqual({ erased: true, code: null });
    await page.context().close();
  });

  it("lets an editor merge one candidate pair from the queue linked from the list", async () => {
    // The small demo's duplicates share an e-mail and merge on their own; when no unsure pair is
    // left, queue one the way the resolver does: two private customers of one postcode.
    await estate.services.db.db.execute(
      sql`insert into merge_candidates (tenant_id, customer_a, customer_b, score, reasons)
          select x.tenant_id, least(x.id, y.id), greatest(x.id, y.id), 9.5, '["code postal", "ville"]'::jsonb
          from customers x join customers y on y.postal_code = x.postal_code and y.id <> x.id
          where x.kind = 'private' and y.kind = 'private' and x.merged_into is null and y.merged_into is null
            and x.erased_at is null and y.erased_at is null
            and not exists (select 1 from merge_candidates where status = 'pending')
          order by x.customer_code, y.customer_code limit 1`,
    );
    const page = await estate.signedInPage("editor", "/customers");
    const link = page.getByTestId("merges-link");
    await expect.poll(() => link.count()).toBe(1);
    const [{ n }] = (await queryRows<{ n: number }>(
      estate.services.db.db,
      sql`select count(*)::int as n from merge_candidates where status = 'pending'`,
    )) as [{ n: number }];
    expect(n).toBeGreaterThan(0);
    expect(await link.textContent()).toBe(`Doublons à vérifier (${n})`);
    await link.click();
    const cards = page.getByTestId("merge-candidate");
    await expect.poll(() => cards.count()).toBe(Math.min(n, 20));
    expect(await cards.first().locator("tr.differs, tr[data-differs]").count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath("customers-merges-fr"), fullPage: true });
    await cards.first().getByRole("button", { name: "Fusionner" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Fiches fusionnées.");
    await expect
      .poll(() => page.getByTestId("merges-total").textContent())
      .toBe(n - 1 === 1 ? "1 paire en attente" : `${n - 1} paires en attente`);
    const decided = await queryRows<{ status: string }>(
      estate.services.db.db,
      sql`select status from merge_candidates where status <> 'pending'`,
    );
    expect(decided).toEqual([{ status: "accepted" }]);
    await page.context().close();
  });
});
