import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../functions/src/adapters/db/database.ts";
import { readmeScreenshot, screenshotPath } from "./browser.ts";
import { browserReady, type EstateServer, startEstateServer } from "./estate-server.ts";

/** "72,3 %" → 72.3 */
const percent = (text: string | null) =>
  Number((text ?? "").replace(/[^\d,]/g, "").replace(",", "."));

describe.runIf(browserReady)(
  "reviewing recommendations in bulk and one by one, in Chromium",
  () => {
    let estate: EstateServer;
    let detailId: string;

    beforeAll(async () => {
      estate = await startEstateServer({ demo: { privateCustomers: 120, tradeCustomers: 12 } });
    }, 180_000);
    afterAll(async () => {
      await estate?.close();
    });

    const confidences = (page: Page) =>
      page
        .getByTestId("reco-row")
        .locator("td:nth-child(4)")
        .evaluateAll((cells) => cells.map((c) => c.firstChild?.textContent ?? ""));

    it("filters by algorithm and minimum confidence, then approves two rows with the keyboard", async () => {
      const page = await estate.signedInPage("editor", "/recommendations");
      const rows = page.getByTestId("reco-row");
      await expect.poll(() => rows.count()).toBeGreaterThan(2);
      const totalOf = async () => percent(await page.getByTestId("reco-total").textContent());
      const everything = await totalOf();

      const algorithm = page.getByLabel("Algorithme");
      // Its options come with the facets, a request apart from the list's.
      await expect.poll(() => algorithm.locator("option").count()).toBeGreaterThan(1);
      // Each option names a model in words; its value is the model's code, kept in the URL.
      const choices = (
        await algorithm
          .locator("option")
          .evaluateAll((options) =>
            (options as HTMLOptionElement[]).map((o) => ({ value: o.value, name: o.text })),
          )
      ).filter((o) => o.value !== "");
      expect(choices.length).toBeGreaterThan(0);
      expect(choices.every((o) => o.name !== o.value)).toBe(true);
      await algorithm.selectOption(choices[0]!.value);
      await expect.poll(() => page.url()).toContain(`algorithm=${choices[0]!.value}`);
      // The list keeps its previous rows while the filtered ones load: wait for only that algorithm.
      await expect
        .poll(
          async () =>
            new Set(
              (await rows.locator("td:nth-child(4) .muted").allTextContents()).filter((t) =>
                t.startsWith("algorithme "),
              ),
            ),
        )
        .toEqual(new Set([`algorithme ${choices[0]!.name}`]));
      await expect.poll(() => rows.count()).toBeGreaterThan(2);

      // A floor that keeps at least the three most confident rows.
      const floor = Math.floor(percent((await confidences(page))[2]!));
      await page.getByLabel("Confiance minimale (%)").fill(String(floor));
      await page.getByLabel("Confiance minimale (%)").press("Enter");
      await expect.poll(() => page.url()).toContain(`confidence=${floor}`);
      await expect
        .poll(async () => (await confidences(page)).every((c) => percent(c) >= floor))
        .toBe(true);
      expect(await rows.count()).toBeGreaterThan(2);
      expect(await totalOf()).toBeLessThanOrEqual(everything);

      // Keyboard only: focus the list, select the first two rows, approve them.
      const ids = await rows.evaluateAll((trs) =>
        trs
          .slice(0, 2)
          .map((tr) =>
            tr
              .querySelector('a[href^="/recommendations/"]')!
              .getAttribute("href")!
              .split("/")
              .pop()!,
          ),
      );
      await rows.nth(0).locator("td").nth(1).click();
      await page.keyboard.press("x");
      await page.keyboard.press("j");
      await page.keyboard.press("x");
      await expect
        .poll(() => page.getByTestId("selected-count").textContent())
        .toBe("2 sélectionnée(s)");
      await page.screenshot({ path: screenshotPath("recommendations-bulk-fr"), fullPage: true });
      const toReview = await totalOf();
      await page.keyboard.press("a");
      await expect
        .poll(() => page.getByRole("status").textContent())
        .toBe("2 recommandation(s) approuvée(s).");
      // The rows stay, approved; the count of those left to review goes down with them.
      expect(await totalOf()).toBe(toReview - 2);
      expect(await rows.nth(0).getAttribute("data-status")).toBe("approved");
      expect(await rows.nth(1).getAttribute("data-status")).toBe("approved");
      const saved = await queryRows<{ id: string; status: string }>(
        estate.services.db.db,
        sql`select id, status from recommendations where id = any(${`{${ids.join(",")}}`}::uuid[]) order by id`,
      );
      expect(saved.map((r) => r.status)).toEqual(["approved", "approved"]);

      // The detail of the third one, reached from its row.
      const third = rows.nth(2);
      const wine = (await third.locator("td").nth(2).locator("a").textContent())!;
      detailId = (await third.locator('a[href^="/recommendations/"]').getAttribute("href"))!
        .split("/")
        .pop()!;
      await third.getByRole("link", { name: wine }).click();
      await expect
        .poll(() => page.getByRole("heading", { level: 1 }).textContent())
        .toContain(wine);
      // Back to the list as it was left, filters included; the customer's record a click away.
      const back = await page
        .getByRole("link", { name: "← Retour à la liste" })
        .getAttribute("href");
      expect(back).toContain(`algorithm=${choices[0]!.value}`);
      expect(back).toContain(`confidence=${floor}`);
      expect(await page.getByTestId("detail-customer-link").getAttribute("href")).toMatch(
        /^\/customers\/[0-9a-f-]{36}$/,
      );
      expect((await page.getByTestId("detail-explanation").textContent())!.length).toBeGreaterThan(
        10,
      );
      expect(await page.getByTestId("detail-confidence").textContent()).toMatch(
        /^\d+(,\d)?\u202f%$/,
      );
      expect(await page.getByTestId("detail-quality").textContent()).toMatch(/\/ 100|non mesurée/);
      // The demo estate's years of sales: confidence is of a purchase within the usual 180 days.
      expect(await page.getByText(/acheté le vin proposé dans les 6\smois suivants/).count()).toBe(
        1,
      );
      await expect
        .poll(() => page.getByTestId("purchase-history").locator("tbody tr").count())
        .toBeGreaterThan(0);
      expect(
        await page.getByTestId("other-candidates").locator("tbody tr").count(),
      ).toBeGreaterThan(0);
      expect(await page.getByText("Aucun avis pour l'instant.").count()).toBe(1);

      await page.getByLabel("4 sur 5").check();
      await page.getByLabel("Commentaire (facultatif)").fill("Idéal pour les fêtes");
      await page.getByRole("button", { name: "Enregistrer l'avis" }).click();
      await expect.poll(() => page.getByRole("status").textContent()).toBe("Avis enregistré.");
      const entry = page.getByTestId("feedback-entry");
      await expect.poll(() => entry.count()).toBe(1);
      expect(await entry.textContent()).toContain("vente@domaine.fr");
      expect(await entry.textContent()).toContain("4 sur 5");
      expect(await entry.textContent()).toContain("Idéal pour les fêtes");
      const [feedback] = await queryRows<{ rating: number; comment: string }>(
        estate.services.db.db,
        sql`select rating, comment from feedback where recommendation_id = ${detailId}::uuid`,
      );
      expect(feedback).toEqual({ rating: 4, comment: "Idéal pour les fêtes" });
      await page.reload();
      await expect.poll(() => page.getByTestId("feedback-entry").count()).toBe(1);
      expect(await page.getByLabel("4 sur 5").isChecked()).toBe(true);
      await readmeScreenshot(page, "recommendation-detail-fr");

      // A decision taken by mistake is mended on the same page: rejected, then approved after all.
      const decision = page.getByTestId("decision");
      await decision.getByRole("button", { name: "Rejeter" }).click();
      await decision.getByLabel("Motif").fill("Déjà en cave");
      await decision.getByRole("button", { name: "Confirmer le rejet" }).click();
      await expect.poll(() => page.getByTestId("detail-status").textContent()).toBe("Rejetée");
      expect(await decision.getByText("Vous pouvez changer d'avis").count()).toBe(1);
      await decision.getByRole("button", { name: "Approuver" }).click();
      await expect.poll(() => page.getByTestId("detail-status").textContent()).toBe("Approuvée");
      const decided = () =>
        queryRows<{ status: string; reject_reason: string | null }>(
          estate.services.db.db,
          sql`select status, reject_reason from recommendations where id = ${detailId}::uuid`,
        );
      await expect.poll(decided).toEqual([{ status: "approved", reject_reason: null }]);
      expect(await decision.getByRole("button", { name: "Approuver" }).count()).toBe(0);
      await page.context().close();
    });

    it("shows a viewer the detail and its feedback history, without any decision or rating", async () => {
      const page = await estate.signedInPage("viewer", `/recommendations/${detailId}`);
      await expect.poll(() => page.getByTestId("feedback-entry").count()).toBe(1);
      // Approved by the editor after changing their mind; a viewer cannot change it.
      expect(await page.getByTestId("detail-status").textContent()).toBe("Approuvée");
      expect(await page.getByText("Vous pouvez changer d'avis").count()).toBe(0);
      expect(await page.getByRole("button", { name: "Approuver" }).count()).toBe(0);
      expect(await page.getByRole("button", { name: "Rejeter" }).count()).toBe(0);
      expect(await page.getByRole("button", { name: "Enregistrer l'avis" }).count()).toBe(0);
      await page.context().close();
    });

    it("recomputes the recommendations and follows the job to its end", async () => {
      const page = await estate.signedInPage("editor", "/recommendations");
      await expect.poll(() => page.getByTestId("reco-row").count()).toBeGreaterThan(0);
      await page.getByRole("button", { name: "Recalculer les recommandations" }).click();
      await expect
        .poll(() => page.getByTestId("regenerate-progress").textContent(), { timeout: 120_000 })
        .toMatch(
          /^Étape 3 sur 3 : terminé\. [\d\s\u202f]+ recommandations pour [\d\s\u202f]+ clients/,
        );
      await expect.poll(() => page.getByTestId("reco-row").count()).toBeGreaterThan(0);
      await page.context().close();
    });
  },
);
