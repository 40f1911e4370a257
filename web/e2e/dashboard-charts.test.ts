import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readmeScreenshot } from "./browser.ts";
import { browserReady, type EstateServer, startEstateServer } from "./estate-server.ts";

describe.runIf(browserReady)("the dashboard's figures and charts in Chromium", () => {
  let estate: EstateServer;

  beforeAll(async () => {
    estate = await startEstateServer({ demo: { privateCustomers: 120, tradeCustomers: 12 } });
  }, 180_000);
  afterAll(async () => {
    await estate?.close();
  });

  const chartDrawn = (page: Page) =>
    expect
      .poll(() => page.locator('[data-testid="orders-chart"]').getAttribute("data-ready"), {
        timeout: 30_000,
      })
      .toBe("true");

  it("draws the orders per month with a text alternative, and the figures beside it", async () => {
    const page = await estate.signedInPage("editor", "/");
    await chartDrawn(page);
    expect(await page.locator(".orders-plot canvas").count()).toBeGreaterThan(0);
    expect(await page.getByTestId("figure-customers").textContent()).toMatch(/^\d/);
    // The chart's alternative: a summary in words and the months' figures in a table: 24, or 23
    // while the month in progress has no order (the demo's sales end with last month).
    const summary =
      /^[\d\s\u202f]+ commandes pour .+ sur (23|24) mois ; le mois le plus actif est \S+ \d{4}/.exec(
        (await page.locator(".orders-chart figcaption").textContent()) ?? "",
      );
    expect(summary).not.toBeNull();
    const table = page.getByRole("table", { name: "Commandes par mois" });
    expect(await table.locator("tbody tr").count()).toBe(Number(summary![1]));
    const last = await table.locator("tbody tr").last().locator("td").first().textContent();
    expect(last).not.toBe("0");
    expect(
      await page.getByTestId("recommendations-by-status").locator("li").allTextContents(),
    ).toEqual([
      expect.stringMatching(/^À relire[\d\s\u202f]+$/),
      "Approuvée0",
      "Exportée0",
      "Rejetée0",
    ]);
    expect(await page.getByTestId("figure-approval").textContent()).toBe("—");
    const syncs = page.getByTestId("last-syncs");
    expect(await syncs.locator("tbody tr").count()).toBe(2);
    expect(await syncs.textContent()).toContain("ventes.csv");
    await readmeScreenshot(page, "dashboard-fr");
    await page.context().close();
  });

  it("lists what needs attention, each line leading to the page where it is dealt with", async () => {
    const page = await estate.signedInPage("editor", "/");
    const attention = page.getByTestId("needs-attention");
    await expect.poll(() => attention.getByRole("link").count()).toBeGreaterThan(0);
    const pending = attention.getByRole("link", { name: /recommandations à relire$/ });
    await pending.click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Recommandations");
    expect(new URL(page.url()).pathname).toBe("/recommendations");

    await page.getByRole("link", { name: "Tableau de bord" }).click();
    const grave = attention.getByRole("link", { name: /anomalies? graves? à examiner$/ });
    await expect.poll(() => grave.count()).toBe(1);
    await grave.click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Anomalies");
    await page.context().close();
  });
});
