import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readmeScreenshot, screenshotPath } from "./browser.ts";
import { browserReady, type EstateServer, startEstateServer } from "./estate-server.ts";

const SAVE = "Enregistrer une nouvelle version";

describe.runIf(browserReady)("the mapping editor in Chromium", () => {
  let estate: EstateServer;
  let savedPath = "";

  beforeAll(async () => {
    estate = await startEstateServer({ demo: { privateCustomers: 120, tradeCustomers: 12 } });
  }, 180_000);
  afterAll(async () => {
    await estate?.close();
  });

  it("opens the demo customers file from Sources, changes a column, sees the preview follow and saves a version", async () => {
    const page = await estate.signedInPage("editor", "/sources");
    const card = page.getByTestId("source").filter({ hasText: "iSaVigne (démo)" });
    await card.getByRole("link", { name: "Correspondance Clients" }).click();
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent(), { timeout: 60_000 })
      .toBe("Nouvelle correspondance — iSaVigne (démo) · Clients");

    // Suggested fields with their confidence, one row per column of the file.
    await expect.poll(() => page.getByTestId("column-row").count()).toBe(14);
    const city = page.getByLabel("Champ pour la colonne « Ville »");
    expect(await city.inputValue()).toBe("city");
    expect(
      await page
        .getByTestId("column-row")
        .filter({ has: page.getByRole("heading", { name: "Ville", exact: true }) })
        .getByTestId("confidence")
        .textContent(),
    ).toMatch(/^Suggestion : Ville · confiance 100\s%/);
    const headers = () => page.locator(".preview-table thead th").allTextContents();
    await expect.poll(headers, { timeout: 30_000 }).toContain("Ville");
    await expect.poll(() => page.getByTestId("quality-score").textContent()).toMatch(/^\d+\/100$/);
    // A step on the customer code: the chain shows it, with its buttons.
    await page
      .getByLabel("Transformation à ajouter à « Code client »")
      .selectOption({ label: "Supprimer les espaces superflus" });
    await page.getByRole("button", { name: "Ajouter" }).first().click();
    await expect
      .poll(() =>
        page.getByRole("button", { name: "Retirer « Supprimer les espaces superflus »" }).count(),
      )
      .toBe(1);
    await expect
      .poll(() => page.getByRole("button", { name: SAVE }).isEnabled(), { timeout: 30_000 })
      .toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await readmeScreenshot(page, "mapping-editor-fr");

    // Ignore the town: the preview no longer shows it, and once the server has answered for
    // this state a first name in capitals (a step added to it) comes back normalised so.
    const firstName = () =>
      page
        .locator('[data-testid="preview-cell"][data-field="first_name"] .normalized')
        .first()
        .textContent();
    expect(await firstName()).toBe("Françoise");
    await city.selectOption("");
    await page
      .getByLabel("Transformation à ajouter à « Prénom »")
      .selectOption({ label: "Majuscules / minuscules / Nom Propre" });
    await page.getByRole("button", { name: "Ajouter" }).nth(2).click();
    await expect.poll(firstName, { timeout: 30_000 }).toBe("FRANÇOISE");
    await expect
      .poll(() => page.locator(".preview-toolbar [role=status]").textContent(), { timeout: 30_000 })
      .toBe("");
    expect(await headers()).not.toContain("Ville");
    expect(await headers()).toContain("E-mail");
    await page
      .locator(".mapping-preview")
      .screenshot({ path: screenshotPath("mapping-preview-fr") });

    const save = page.getByRole("button", { name: SAVE });
    await expect.poll(() => save.isEnabled(), { timeout: 30_000 }).toBe(true);
    await save.click();
    await expect
      .poll(() => page.getByText("Version 2 enregistrée.").count(), { timeout: 30_000 })
      .toBe(1);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(
      "Version 2 — iSaVigne (démo) · Clients",
    );
    savedPath = new URL(page.url()).pathname;
    expect(savedPath).toMatch(/^\/mappings\/[0-9a-f-]{36}$/);
    // The saved version is what the editor shows: the town still ignored.
    await expect
      .poll(() => page.getByLabel("Champ pour la colonne « Ville »").inputValue())
      .toBe("");
    expect(
      await page
        .getByRole("button", { name: "Retirer « Supprimer les espaces superflus »" })
        .count(),
    ).toBe(1);

    await page.getByRole("link", { name: "Retour aux correspondances" }).click();
    const newest = page.getByTestId("mapping-row").first();
    await expect.poll(() => newest.textContent()).toContain("Ouvrir la version 2");
    expect(await newest.textContent()).toContain("vente@domaine.fr");
    expect(await newest.textContent()).toContain("iSaVigne (démo)");
    await page.screenshot({ path: screenshotPath("mappings-fr"), fullPage: true });
  }, 180_000);

  it("shows a viewer the saved version read-only, without a save button", async () => {
    expect(savedPath).not.toBe("");
    const page = await estate.signedInPage("viewer", savedPath);
    await expect
      .poll(() => page.getByText("Lecture seule : seul un éditeur", { exact: false }).count(), {
        timeout: 60_000,
      })
      .toBe(1);
    await expect.poll(() => page.getByTestId("column-row").count()).toBe(14);
    expect(await page.getByRole("button", { name: SAVE }).count()).toBe(0);
    expect(await page.getByLabel("Champ pour la colonne « Ville »").isDisabled()).toBe(true);
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.screenshot({ path: screenshotPath("mapping-editor-tablet-fr") });
  }, 120_000);
});
