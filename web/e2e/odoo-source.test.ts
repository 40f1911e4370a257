import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../functions/src/adapters/db/database.ts";
import { createUser } from "../../functions/src/auth/users.ts";
import { type FakeOdoo, startFakeOdoo } from "../../functions/src/odoo/test-server/fake-odoo.ts";
import { ensureTenant } from "../../functions/src/repos/tenants.ts";
import type { Services } from "../../functions/src/services.ts";
import { type RunningServer, startVpsServer } from "../../functions/src/vps/server.ts";
import { seedOdooEstate } from "../../functions/test/odoo-estate.ts";
import { createTestServices } from "../../functions/test/services.ts";
import { chromiumPath, launchChromium, screenshotPath } from "./browser.ts";

const webDist = fileURLToPath(new URL("../dist", import.meta.url));
const ready = Boolean(chromiumPath) || Boolean(process.env.CI);
const PASSWORD = "vendanges tardives 2026";

describe.runIf(ready)("connecting Odoo in Chromium", () => {
  let services: Services & { close(): Promise<void> };
  let server: RunningServer;
  let browser: Browser;
  let odoo: FakeOdoo;

  beforeAll(async () => {
    if (!existsSync(`${webDist}/index.html`))
      throw new Error("web/dist is missing: run `npm run build:web` first (npm test does).");
    services = await createTestServices("pglite");
    const tenant = await ensureTenant(services.db.db, { slug: "default", name: "Domaine" });
    await createUser(services.db.db, tenant.id, {
      email: "gerant@domaine.fr",
      password: PASSWORD,
      role: "admin",
    });
    odoo = await startFakeOdoo({
      version: "19.0",
      users: [{ uid: 2, login: "crm-reco", password: "x", apiKeys: ["cle-secrete-0123456789"] }],
    });
    seedOdooEstate(odoo, { people: 8 });
    server = await startVpsServer({ services, port: 0, host: "127.0.0.1", webDistDir: webDist });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await odoo?.close();
    await services?.close();
  });

  it("adds an Odoo source, tests it, syncs it, and never shows the key again", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/sources`);
    await page.getByLabel("E-mail").fill("gerant@domaine.fr");
    await page.getByLabel("Mot de passe").fill(PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByText("Ajouter une source Odoo").click();
    const form = page.getByRole("form", { name: "Ajouter une source Odoo" });
    await form.getByLabel("Adresse d'Odoo").fill(odoo.url);
    await form.getByLabel("Base de données").fill("estate");
    await form.getByLabel("Utilisateur").fill("crm-reco");
    await form.getByLabel("Clé d'API").fill("cle-secrete-0123456789");
    await form.getByRole("button", { name: "Ajouter" }).click();

    const card = page.getByTestId("source").filter({ hasText: "Odoo" });
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.textContent()).toContain("base estate · crm-reco · clé …6789");
    expect(await page.content()).not.toContain("cle-secrete");

    await card.getByRole("button", { name: "Tester la connexion" }).click();
    const report = card.getByTestId("connection-report");
    await expect.poll(() => report.locator("li").count(), { timeout: 30_000 }).toBe(11);
    expect(await report.locator("li").first().textContent()).toContain(
      "Odoo 19.0 répond, via l'API JSON-2.",
    );
    expect(await report.locator("li").nth(9).textContent()).toContain("Pas de caisse");
    expect(await report.locator("li").last().textContent()).toContain("Pas de listes de diffusion");
    expect(await report.locator("li.error").count()).toBe(0);

    await card.getByRole("button", { name: "Synchroniser" }).click();
    await expect
      .poll(() => card.getByRole("status").textContent(), { timeout: 60_000 })
      .toMatch(/^Synchronisation terminée : \d+ enregistrements lus, 0 rejetés\.$/);
    await expect.poll(() => card.getByTestId("run-row").count()).toBe(3);
    expect(await card.getByTestId("run-row").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining("Odoo res.partner")]),
    );
    const [{ n }] = (await queryRows<{ n: number }>(
      services.db.db,
      sql`select count(*)::int as n from customer_identities`,
    )) as [{ n: number }];
    expect(n).toBeGreaterThan(8);
    await page.screenshot({ path: screenshotPath("sources-odoo-fr"), fullPage: true });

    // Work the queue gave up on shows with its error, and runs again from here.
    await services.db.db.execute(
      sql`insert into jobs (tenant_id, kind, status, payload, error_code, error_message, finished_at)
          select id, 'regenerate', 'dead', '{}'::jsonb, 'job.interrupted', 'Abandonné après 5 tentatives.', now() from tenants`,
    );
    await page.reload();
    const failed = page.getByTestId("failed-job");
    await expect.poll(() => failed.count()).toBe(1);
    expect(await failed.textContent()).toContain("Calcul des recommandations");
    expect(await failed.textContent()).toContain("Abandonné après 5 tentatives.");
    await failed.getByRole("button", { name: "Relancer" }).click();
    await expect.poll(() => failed.count(), { timeout: 60_000 }).toBe(0);
    await page.close();
  });
});
