import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCampaignRules } from "../../functions/src/recommend/campaign-rules.ts";
import { createSource } from "../../functions/src/repos/sources.ts";
import { screenshotPath } from "./browser.ts";
import { browserReady, type EstateServer, people, startEstateServer } from "./estate-server.ts";

// A busy machine (shared CPUs) can take seconds to answer: never the 1 s expect.poll default.
const slow = { timeout: 30_000 };

describe.runIf(browserReady)("the settings page in Chromium", () => {
  let estate: EstateServer;
  const ODOO = "Odoo du domaine";

  beforeAll(async () => {
    estate = await startEstateServer({ demo: { privateCustomers: 120, tradeCustomers: 12 } });
    // Only Odoo sources sync on a schedule; the demo estate's sources are files.
    await createSource(estate.services.db.db, estate.tenantId, {
      name: ODOO,
      kind: "odoo",
      config: {
        url: "https://domaine.odoo.com",
        database: "domaine",
        login: "robot@domaine.fr",
        timeZone: "Europe/Paris",
      },
      schedule: null,
    });
  }, 180_000);
  afterAll(async () => {
    await estate?.close();
  });

  it("lets the admin set K, create and revoke a key, change a role and schedule a nightly sync", async () => {
    const page = await estate.signedInPage("admin", "/settings");

    // Campaign rules: K = 2, still 2 after a reload, and stored for the next generation.
    const k = page.getByLabel("Recommandations par client, au plus");
    await expect.poll(() => k.inputValue(), slow).toBe("3");
    await k.fill("2");
    await page.getByRole("button", { name: "Enregistrer les règles" }).click();
    await expect
      .poll(() => page.locator("#rules").getByRole("status").textContent(), slow)
      .toBe("Règles enregistrées : elles s'appliqueront à la prochaine génération.");
    await page.reload();
    await expect.poll(() => k.inputValue(), slow).toBe("2");
    expect((await loadCampaignRules(estate.services.db.db, estate.tenantId)).perCustomer).toBe(2);

    // An API key: shown once with a copy button, then only its name in the list; revoked.
    await page.getByLabel("Nom de la clé").fill("Boutique en ligne");
    await page.getByLabel("Rôle de la clé").selectOption("editor");
    await page.getByRole("button", { name: "Créer la clé" }).click();
    const once = page.getByTestId("shown-once");
    await expect.poll(() => once.locator("code").textContent(), slow).toMatch(/^crk_[\w-]{8}_/);
    const key = (await once.locator("code").textContent())!;
    expect(await once.getByRole("button", { name: "Copier" }).count()).toBe(1);
    const viaKey = () =>
      fetch(`${estate.url}/api/dashboard`, { headers: { authorization: `Bearer ${key}` } }).then(
        (r) => r.status,
      );
    expect(await viaKey()).toBe(200);
    await once.getByRole("button", { name: "C'est noté" }).click();
    await expect.poll(() => once.count(), slow).toBe(0);
    const row = page.getByTestId("api-key-row").filter({ hasText: "Boutique en ligne" });
    await expect.poll(() => row.count(), slow).toBe(1);
    expect(await page.content()).not.toContain(key);
    await row.getByRole("button", { name: "Révoquer Boutique en ligne" }).click();
    await row.getByRole("button", { name: "Oui, révoquer" }).click();
    await expect.poll(() => row.textContent(), slow).toContain("Révoquée le");
    await expect.poll(viaKey, slow).toBe(401);

    // The viewer becomes an editor.
    await page.getByLabel(`Rôle de ${people.viewer}`).selectOption("editor");
    await expect
      .poll(async () => {
        const listed = await fetch(`${estate.url}/api/users`, {
          headers: {
            cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; "),
          },
        }).then((r) => r.json() as Promise<{ items: Array<{ email: string; role: string }> }>);
        return listed.items.find((u) => u.email === people.viewer)?.role;
      }, slow)
      .toBe("editor");

    // A nightly sync of the Odoo source, and when it next runs (the test clock: 25/11/2026 10:00 UTC).
    const schedule = page.getByTestId("schedule-row").filter({ hasText: ODOO });
    expect(await schedule.getByTestId("next-run").textContent()).toBe(
      "Pas de synchronisation planifiée.",
    );
    await page.getByLabel(`Fréquence de ${ODOO}`).selectOption("nightly");
    await schedule.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await expect
      .poll(() => schedule.getByTestId("next-run").textContent(), slow)
      .toBe("Prochaine synchronisation : 26/11/2026 02:00 (Europe/Paris)");
    await page.getByLabel(`Fréquence de ${ODOO}`).selectOption("custom");
    await page.getByLabel(`Expression cron de ${ODOO}`).fill("tous les soirs");
    await schedule.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await expect
      .poll(() => schedule.getByRole("alert").textContent(), slow)
      .toContain("n'est pas une planification valide");
    await page.getByLabel(`Fréquence de ${ODOO}`).selectOption("nightly");

    await page.screenshot({ path: screenshotPath("settings-fr"), fullPage: true });
    await page.setViewportSize({ width: 768, height: 1000 });
    await page.screenshot({ path: screenshotPath("settings-tablet-fr"), fullPage: true });
    await page.context().close();
  });

  it("tells an editor that settings are for administrators", async () => {
    const page = await estate.signedInPage("editor", "/settings");
    await expect
      .poll(() => page.getByRole("note").textContent(), slow)
      .toBe(
        "Les paramètres sont réservés aux administrateurs du domaine. Demandez à un administrateur si un réglage doit changer.",
      );
    expect(await page.getByLabel("Recommandations par client, au plus").count()).toBe(0);
    await page.context().close();
  });
});
