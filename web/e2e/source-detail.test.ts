import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshotPath } from "./browser.ts";
import { browserReady, type EstateServer, startEstateServer } from "./estate-server.ts";

describe.runIf(browserReady)("a source's detail page in Chromium", () => {
  let estate: EstateServer;

  beforeAll(async () => {
    estate = await startEstateServer({ demo: { privateCustomers: 120, tradeCustomers: 12 } });
  }, 180_000);
  afterAll(async () => {
    await estate?.close();
  });

  it("jumps from an anomaly to its line in the file, then reads the report, the data and the history", async () => {
    const page = await estate.signedInPage("editor", "/anomalies");
    const jump = page.getByTestId("jump-to-row").first();
    await expect.poll(() => jump.count()).toBe(1);
    const [, line] = /(\d+)/.exec((await jump.textContent()) ?? "") ?? [];
    await jump.click();

    // The line as it is in the file, highlighted, with the anomaly that sent us here.
    const excerpt = page.getByTestId("row-excerpt");
    await expect.poll(() => excerpt.getByRole("heading").textContent()).toContain(`${line} `);
    expect(await excerpt.getByTestId("target-row").locator("th").textContent()).toBe(line);
    expect(await excerpt.locator("ul.issues li").count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("H2");

    // The validation report names what is wrong in plain words, with a link to those anomalies.
    const report = page.getByTestId("validation-report");
    await expect.poll(() => report.getByTestId("validation-anomaly").count()).toBeGreaterThan(0);
    const first = (await report.getByTestId("validation-anomaly").first().textContent()) ?? "";
    expect(first).not.toMatch(/^\s*[a-z_]+\.[a-z_]+\s*$/);

    // The data as read: the first rows of the customers file, the rejected ones flagged.
    await expect.poll(() => page.getByTestId("preview-row").count()).toBe(20);
    const headers = () => page.getByTestId("file-preview").locator("thead th").allTextContents();
    const customerColumns = await headers();
    await page.getByLabel("Fichier", { exact: true }).selectOption("order_lines");
    await expect.poll(headers).not.toEqual(customerColumns);
    expect(await page.getByTestId("preview-row").count()).toBeGreaterThan(0);

    // The history: one run per file, with its duration.
    await expect.poll(() => page.getByTestId("run-row").count()).toBeGreaterThan(1);
    expect(await page.getByTestId("run-row").first().locator("td").nth(5).textContent()).toMatch(
      /\d/,
    );
    await page.screenshot({ path: screenshotPath("source-detail-fr"), fullPage: true });

    await page.getByRole("button", { name: "Fermer" }).click();
    await expect.poll(() => excerpt.count()).toBe(0);
    await page.getByRole("button", { name: "Synchroniser maintenant" }).click();
    // The outcome, success or failure, so that a failure says why.
    const outcome = page.locator(".card [role=status], .card [role=alert]");
    await expect
      .poll(() => outcome.last().textContent(), { timeout: 90_000 })
      .toMatch(/^Synchronisation terminée : [\d\s\u202f]+ lignes lues/);
    await page.context().close();
  });

  it("lets a viewer read it without the sync button", async () => {
    const page = await estate.signedInPage("viewer", "/sources");
    const sources = await page.evaluate(async () => (await fetch("/api/sources")).json());
    await page.goto(`${estate.url}/sources/${sources.items[0].id}`);
    await expect.poll(() => page.getByTestId("run-row").count()).toBeGreaterThan(0);
    expect(await page.getByRole("button", { name: "Synchroniser maintenant" }).count()).toBe(0);
    await page.context().close();
  });

  // A user trial followed "Modifier dans les paramètres" from a file source to a settings page
  // that had nothing to schedule: files come when someone uploads one.
  it("shows an admin no schedule to edit for a file source", async () => {
    const page = await estate.signedInPage("admin", "/sources");
    const sources = await page.evaluate(async () => (await fetch("/api/sources")).json());
    const file = sources.items.find((s: { kind: string }) => s.kind === "file");
    await page.goto(`${estate.url}/sources/${file.id}`);
    await expect.poll(() => page.getByTestId("run-row").count()).toBeGreaterThan(0);
    expect(await page.getByRole("link", { name: "Modifier dans les paramètres" }).count()).toBe(0);
    await page.context().close();
  });

  it("says, after an upload, which columns were recognised without certainty, and leads to the mapping", async () => {
    const page = await estate.signedInPage("admin", "/sources");
    await page.getByLabel("Nouvelle source").fill("Fichier de Marie");
    await page.getByRole("button", { name: "Ajouter" }).click();
    const card = page.getByTestId("source").filter({ hasText: "Fichier de Marie" });
    await expect.poll(() => card.count()).toBe(1);
    await card.getByLabel("Contenu du fichier").selectOption("customers");
    await card.getByLabel("Fichier CSV ou Excel").setInputFiles({
      name: "clients-marie.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("N° client;Nom;Prenon;Vile\r\nM1;Keller;Anne;Colmar\r\n"),
    });
    const notice = card.getByTestId("uncertain-mapping");
    await expect.poll(() => notice.count(), { timeout: 90_000 }).toBe(1);
    expect(await notice.textContent()).toMatch(
      /« Vile » lue comme Ville \(80\s%\) ; « Prenon » lue comme Prénom \(83\s%\)/,
    );
    await page.screenshot({ path: screenshotPath("sources-uncertain-mapping"), fullPage: true });
    await notice.getByRole("link", { name: "Vérifier la correspondance" }).click();
    await expect.poll(() => page.getByTestId("column-row").count(), { timeout: 30_000 }).toBe(4);

    // Next year's file, without Anne: she is kept, and staff are told.
    await page.goBack();
    await card.getByLabel("Contenu du fichier").selectOption("customers");
    await card.getByLabel("Fichier CSV ou Excel").setInputFiles({
      name: "clients-marie-2.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("N° client;Nom;Prenon;Vile\r\nM2;Roth;Léa;Sélestat\r\n"),
    });
    const absent = card.getByTestId("absent-customers");
    await expect.poll(() => absent.count(), { timeout: 90_000 }).toBe(1);
    expect(await absent.textContent()).toMatch(
      /^1 client\(s\) des fichiers précédents de cette source ne sont pas dans celui-ci \(M1\)/,
    );
    expect(await card.getByTestId("uncertain-mapping").count()).toBe(0); // the mapping is saved now
    await page.screenshot({ path: screenshotPath("sources-absent-customers"), fullPage: true });
    await page.context().close();
  });
});
