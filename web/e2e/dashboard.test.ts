import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServices } from "../../functions/test/services.ts";
import type { Services } from "../../functions/src/services.ts";
import { type RunningServer, startVpsServer } from "../../functions/src/vps/server.ts";
import { chromiumPath, launchChromium, screenshotPath } from "./browser.ts";

const webDist = fileURLToPath(new URL("../dist", import.meta.url));
const ready = Boolean(chromiumPath) || Boolean(process.env.CI);
if (!ready)
  console.warn(
    "\n!!! Debian chromium not installed: the browser tests are SKIPPED (apt-get install chromium) !!!\n",
  );

describe.runIf(ready)("the dashboard in Chromium, served by the VPS adapter", () => {
  let services: Services & { close(): Promise<void> };
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(`${webDist}/index.html`))
      throw new Error("web/dist is missing: run `npm run build:web` first (npm test does).");
    services = await createTestServices("pglite");
    server = await startVpsServer({ services, port: 0, host: "127.0.0.1", webDistDir: webDist });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await services?.close();
  });

  it("renders the health status in French, then in English after switching", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId("health-status").textContent()).toBe("Opérationnel");
    expect(await page.getByTestId("health-database").textContent()).toMatch(
      /^PGlite intégrée — répond en \d+ ms$/,
    );
    expect(
      await page.locator("nav[aria-label='Navigation principale'] a").allTextContents(),
    ).toEqual([
      "Tableau de bord",
      "Sources",
      "Correspondances",
      "Anomalies",
      "Clients",
      "Vins",
      "Recommandations",
      "Audit",
      "Paramètres",
    ]);
    await page.screenshot({ path: screenshotPath("health-fr"), fullPage: true });

    await page.getByLabel("Langue").selectOption("en");
    await expect.poll(() => page.getByTestId("health-status").textContent()).toBe("Operational");
    await page.reload();
    await expect.poll(() => page.getByTestId("health-status").textContent()).toBe("Operational");
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
    await page.screenshot({ path: screenshotPath("dashboard-en"), fullPage: true });
    await page.close();
  });

  it("opens a client-side route directly (SPA fallback) and navigates back", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/recommendations`);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Recommandations");
    await page.getByRole("link", { name: "Tableau de bord" }).click();
    await expect.poll(() => page.getByTestId("health-status").textContent()).toBe("Opérationnel");
    await page.close();
  });
});
