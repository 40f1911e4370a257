import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../functions/src/adapters/db/database.ts";
import { screenshotPath } from "./browser.ts";
import { browserReady, type EstateServer, startEstateServer } from "./estate-server.ts";

// Evaluated rather than added as a <script>: the app's Content-Security-Policy (script-src 'self')
// rightly refuses inline scripts, and the test must not weaken it.
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** axe-core's WCAG 2.x A and AA rules (labels, names, contrast, landmarks…) on the page as it is. */
async function wcagViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(...args: unknown[]): Promise<unknown> } }).axe;
    const result = (await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    })) as { violations: Violation[] };
    return result.violations;
  });
  // One line per offending element: the rule, and where it is, so a failure says what to mend.
  return violations.flatMap((v) =>
    v.nodes.map((node) => `${v.id} (${v.impact}): ${node.target.join(" ")} — ${v.help}`),
  );
}

/** The page once its data has arrived: no request in flight and no "loading" message left. */
async function settled(page: Page) {
  await page.waitForLoadState("networkidle");
  await expect
    .poll(() => page.locator("[role=status]:has-text('Chargement')").count(), { timeout: 30_000 })
    .toBe(0);
}

// Every page of the app, with real data, checked by axe-core in Chromium (WCAG 2.1 A and AA:
// contrast, labels, names, structure), then on a tablet held upright and on a phone: nothing
// wider than the screen (wide tables scroll inside their own box).
describe.runIf(browserReady)("accessibility of every page, in Chromium", () => {
  let estate: EstateServer;
  let pages: Array<[string, string]>;

  beforeAll(async () => {
    estate = await startEstateServer({ demo: { privateCustomers: 60, tradeCustomers: 6 } });
    const one = async (query: ReturnType<typeof sql>) =>
      (await queryRows<{ id: string }>(estate.services.db.db, query))[0]!.id;
    const tenant = estate.tenantId;
    pages = [
      ["dashboard", "/"],
      ["sources", "/sources"],
      [
        "source",
        `/sources/${await one(sql`select id from sources where tenant_id = ${tenant}::uuid order by name limit 1`)}`,
      ],
      ["mappings", "/mappings"],
      [
        "mapping",
        `/mappings/${await one(sql`select id from mappings where tenant_id = ${tenant}::uuid limit 1`)}`,
      ],
      ["anomalies", "/anomalies"],
      ["customers", "/customers"],
      [
        "customer",
        `/customers/${await one(sql`select customer_id as id from recommendations where tenant_id = ${tenant}::uuid limit 1`)}`,
      ],
      ["merges", "/customers/merges"],
      ["wines", "/wines"],
      [
        "wine",
        `/wines/${await one(sql`select product_id as id from recommendations where tenant_id = ${tenant}::uuid limit 1`)}`,
      ],
      ["recommendations", "/recommendations"],
      [
        "recommendation",
        `/recommendations/${await one(sql`select id from recommendations where tenant_id = ${tenant}::uuid order by confidence desc, id limit 1`)}`,
      ],
      ["audit", "/audit"],
      ["settings", "/settings"],
    ];
  }, 180_000);
  afterAll(async () => {
    await estate?.close();
  });

  it("the sign-in page has no WCAG A/AA violation", async () => {
    const context = await estate.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(estate.url);
    await page.getByLabel("E-mail").waitFor();
    await settled(page);
    expect(await wcagViolations(page)).toEqual([]);
    await context.close();
  });

  it("every page, signed in as the admin (who sees every control), has no WCAG A/AA violation", async () => {
    const page = await estate.signedInPage("admin");
    const found: Record<string, string[]> = {};
    for (const [name, path] of pages) {
      await page.goto(`${estate.url}${path}`);
      await page.locator("h1").first().waitFor();
      await settled(page);
      found[name] = await wcagViolations(page);
    }
    expect(found).toEqual(Object.fromEntries(pages.map(([name]) => [name, []])));
    await page.context().close();
  });

  // A tablet held upright, and a phone (390 px: the user trial found every page scrolling
  // sideways there, the shell's grid column growing to its widest content).
  it.each([
    ["tablet", 768, 1024],
    ["phone", 390, 844],
  ])("every page fits a %s (%i px) without scrolling sideways", async (device, width, height) => {
    const page = await estate.signedInPage("admin");
    await page.setViewportSize({ width, height });
    const wider: Record<string, number> = {};
    // Above the page, the menu takes its own height: no blank block between it and the page.
    const blankUnderMenu: Record<string, number> = {};
    for (const [name, path] of pages) {
      await page.goto(`${estate.url}${path}`);
      await page.locator("h1").first().waitFor();
      await settled(page);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      if (scrollWidth > width) wider[name] = scrollWidth;
      const blank = await page.evaluate(() => {
        const menu = document.querySelector(".sidebar");
        const list = menu?.querySelector("ul");
        if (!menu || !list) return 0;
        return menu.getBoundingClientRect().bottom - list.getBoundingClientRect().bottom;
      });
      if (width < 768 && blank > 48) blankUnderMenu[name] = Math.round(blank);
      await page.screenshot({ path: screenshotPath(`${device}-${name}-fr`), fullPage: true });
    }
    expect(wider).toEqual({});
    expect(blankUnderMenu).toEqual({});
    await page.context().close();
  });
});
