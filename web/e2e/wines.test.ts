import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshotPath } from "./browser.ts";
import { browserReady, type EstateServer, startEstateServer } from "./estate-server.ts";

describe.runIf(browserReady)("launching a wine: its target list, in Chromium", () => {
  let estate: EstateServer;
  let wineUrl = "";

  beforeAll(async () => {
    estate = await startEstateServer({ demo: { privateCustomers: 120, tradeCustomers: 12 } });
  }, 180_000);
  afterAll(async () => {
    await estate?.close();
  });

  it("searches a wine, opens its newest vintage on sale, and approves the top 3 of its target list", async () => {
    const page = await estate.signedInPage("editor", "/wines");
    await expect
      .poll(() => page.locator("nav[aria-label='Navigation principale'] a").allTextContents())
      .toContain("Vins");
    const rows = page.getByTestId("wine-row");
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(5);
    const vintages = (await rows.locator("td:nth-child(3)").allTextContents()).map(Number);
    expect(vintages.filter(Boolean)).toEqual([...vintages.filter(Boolean)].sort((a, b) => b - a));

    // This autumn's vintage is in the cellar, not on sale yet: the launch is of the one before.
    await page.getByLabel("En vente").selectOption("true");
    await page.getByLabel("Rechercher un vin").fill("Schlossberg");
    await expect
      .poll(
        async () => {
          const names = await rows.locator("td:first-child a").allTextContents();
          return names.length > 0 && names.every((n) => n.includes("Schlossberg"));
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const newest = rows.first().locator("td:first-child a");
    const name = (await newest.textContent())!;
    await newest.focus();
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.getByRole("heading", { level: 1, name: "Clients pour ce vin" }).count(), {
        timeout: 30_000,
      })
      .toBe(1);
    wineUrl = new URL(page.url()).pathname;
    const productId = wineUrl.split("/").pop()!;
    // The title is the page's own; the wine's name comes with its facts, a request later.
    await expect
      .poll(() => page.getByRole("heading", { level: 2, name }).count(), { timeout: 30_000 })
      .toBe(1);

    const leads = page.getByTestId("lead-row");
    await expect.poll(() => leads.count(), { timeout: 60_000 }).toBeGreaterThan(3);
    expect(await page.getByRole("checkbox", { checked: true }).count()).toBeGreaterThan(3);
    const firstExplanation = await leads.first().locator("td:nth-child(6)").textContent();
    expect(firstExplanation?.length).toBeGreaterThan(10);

    await page.getByRole("button", { name: "Tout désélectionner" }).click();
    await expect
      .poll(() => page.getByRole("checkbox", { checked: true }).count(), { timeout: 10_000 })
      .toBe(0);
    const choosable = page.locator("[data-testid=lead-row]:has(input[type=checkbox]:enabled)");
    const chosen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const row = choosable.nth(i);
      await row.getByRole("checkbox").focus();
      await page.keyboard.press("Space");
      expect(await row.getByRole("checkbox").isChecked()).toBe(true);
      const href = await row.locator("td:nth-child(3) a").getAttribute("href");
      chosen.push(href!.split("/").pop()!);
    }
    expect(new Set(chosen).size).toBe(3);
    // Approving asks for the list again, whose rows are then drawn anew; until it comes, a row not
    // chosen (the optimistic update redraws only the chosen ones) stays: its leaving says that the
    // refreshed list is the one shown.
    const unchosen = await leads.last().elementHandle();
    await page.getByRole("button", { name: "Approuver la liste (3)" }).click();
    await expect
      .poll(() => page.getByRole("status").allTextContents(), { timeout: 30_000 })
      .toContainEqual(expect.stringContaining("3 clients approuvés pour ce vin"));

    const approved = await page.evaluate(async (id) => {
      const response = await fetch(`/api/recommendations?status=approved&productId=${id}`);
      return (await response.json()) as { items: Array<{ customer: { id: string } }> };
    }, productId);
    expect(approved.items.map((r) => r.customer.id).sort()).toEqual([...chosen].sort());
    await expect
      .poll(() => page.locator("[data-testid=lead-row][data-state=approved]").count(), {
        timeout: 30_000,
      })
      .toBe(3);
    await expect
      .poll(() => page.getByTestId("wine-recommendations").textContent(), { timeout: 30_000 })
      .toContain("3 approuvées");
    await expect
      .poll(() => unchosen!.evaluate((row) => row.isConnected), { timeout: 60_000 })
      .toBe(false);
    // The refreshed list keeps the (now empty) selection instead of selecting everyone again.
    expect(await page.getByRole("checkbox", { checked: true }).count()).toBe(0);
    await page.screenshot({ path: screenshotPath("wine-customers-fr"), fullPage: true });
  });

  it("shows a viewer the same list without anything to approve", async () => {
    expect(wineUrl).not.toBe("");
    const page = await estate.signedInPage("viewer", wineUrl);
    await expect
      .poll(() => page.getByTestId("lead-row").count(), { timeout: 60_000 })
      .toBeGreaterThan(3);
    expect(await page.getByText("Seuls les éditeurs peuvent approuver la liste.").count()).toBe(1);
    expect(await page.getByRole("button", { name: /Approuver/ }).count()).toBe(0);
    expect(await page.getByRole("checkbox").count()).toBe(0);
    expect(await page.locator("[data-testid=lead-row][data-state=approved]").count()).toBe(3);
  });

  it("lists the customers for a vintage still in the cellar, none of them approvable yet", async () => {
    const page = await estate.signedInPage("editor", "/wines");
    await page.getByLabel("En vente").selectOption("false");
    await page.getByLabel("Rechercher un vin").fill("Schlossberg");
    const rows = page.getByTestId("wine-row");
    // Both filters applied: only Schlossbergs, none on sale.
    await expect
      .poll(
        async () => {
          const texts = await rows.allTextContents();
          return (
            texts.length > 0 &&
            texts.every((t) => t.includes("Schlossberg") && t.includes("pas en vente"))
          );
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const cellar = page.getByRole("link", {
      name: "Riesling Grand Cru Schlossberg 2026",
      exact: true,
    });
    await cellar.focus();
    await page.keyboard.press("Enter");
    const leads = page.getByTestId("lead-row");
    await expect.poll(() => leads.count(), { timeout: 60_000 }).toBeGreaterThan(3);
    expect(await leads.first().textContent()).toContain("Écarté : vin pas en vente");
    expect(await page.getByRole("checkbox", { checked: true }).count()).toBe(0);
    // A campaign to the trade: only professional customers, ranked among themselves.
    await page.getByLabel("Type de client").selectOption("trade");
    await expect
      .poll(
        async () => {
          const rows = await leads.allTextContents();
          return rows.length > 0 && rows.every((row) => row.includes("Professionnel"));
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    await page.screenshot({ path: screenshotPath("wine-customers-cellar-fr"), fullPage: true });
  });

  it("tags the carrier's charge as no wine, without a target list, until an editor says otherwise", async () => {
    const page = await estate.signedInPage("editor", "/wines");
    const rows = page.getByTestId("wine-row");
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(5);
    await page.getByLabel("Type d'article").selectOption("shipping");
    await expect
      .poll(() => rows.locator("td:first-child a").allTextContents(), { timeout: 30_000 })
      .toEqual(["Frais de port"]);
    expect(await rows.first().getByTestId("wine-kind-tag").textContent()).toBe(
      "Frais de port, livraison",
    );
    await page.screenshot({ path: screenshotPath("wines-shipping-fr"), fullPage: true });
    await rows.first().locator("td:first-child a").click();
    const notice = page.getByTestId("not-a-wine");
    await expect.poll(() => notice.count(), { timeout: 30_000 }).toBe(1);
    expect(await notice.textContent()).toContain("n'est jamais recommandé");
    expect(await page.getByTestId("lead-row").count()).toBe(0);
    const kind = page.getByRole("combobox", { name: "Type d'article" });
    expect(await kind.inputValue()).toBe("shipping");
    expect(await page.getByText("deviné d'après sa famille ou son nom").count()).toBe(1);
    await page.screenshot({ path: screenshotPath("not-a-wine-fr"), fullPage: true });

    // Said to be a wine, it gets a target list; handed back to the guess, it is shipping again.
    await kind.selectOption("wine");
    await expect.poll(() => notice.count(), { timeout: 30_000 }).toBe(0);
    await expect
      .poll(() => page.getByTestId("lead-row").count(), { timeout: 60_000 })
      .toBeGreaterThan(0);
    expect(await page.getByText("choisi par l'équipe").count()).toBe(1);
    await page.getByRole("button", { name: "Revenir au type deviné" }).click();
    await expect.poll(() => notice.count(), { timeout: 30_000 }).toBe(1);
    expect(await kind.inputValue()).toBe("shipping");
  });
});
