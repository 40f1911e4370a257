import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../functions/src/adapters/db/database.ts";
import { createUser } from "../../functions/src/auth/users.ts";
import { loadDemoEstate } from "../../functions/src/demo/load-demo.ts";
import { ensureTenant } from "../../functions/src/repos/tenants.ts";
import type { Services } from "../../functions/src/services.ts";
import { type RunningServer, startVpsServer } from "../../functions/src/vps/server.ts";
import { createTestServices } from "../../functions/test/services.ts";
import { chromiumPath, launchChromium, screenshotPath } from "./browser.ts";

const webDist = fileURLToPath(new URL("../dist", import.meta.url));
const ready = Boolean(chromiumPath) || Boolean(process.env.CI);
const PASSWORD = "vendanges tardives 2026";

describe.runIf(ready)("reviewing recommendations in Chromium", () => {
  let services: Services & { close(): Promise<void> };
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(`${webDist}/index.html`))
      throw new Error("web/dist is missing: run `npm run build:web` first (npm test does).");
    services = await createTestServices("pglite");
    const tenant = await ensureTenant(services.db.db, { slug: "default", name: "Domaine de démo" });
    await createUser(services.db.db, tenant.id, {
      email: "vente@domaine.fr",
      password: PASSWORD,
      role: "editor",
    });
    await createUser(services.db.db, tenant.id, {
      email: "stagiaire@domaine.fr",
      password: PASSWORD,
      role: "viewer",
    });
    await createUser(services.db.db, tenant.id, {
      email: "gerant@domaine.fr",
      password: PASSWORD,
      role: "admin",
    });
    await loadDemoEstate(services, tenant.id, () => {}, {
      privateCustomers: 120,
      tradeCustomers: 12,
    });
    server = await startVpsServer({ services, port: 0, host: "127.0.0.1", webDistDir: webDist });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await services?.close();
  });

  const signIn = async (page: Page, email: string) => {
    await page.goto(`${server.url}/recommendations`);
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Mot de passe").fill(PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    // Signing in hashes the password (scrypt) and the list loads after: slow on a busy machine.
    await expect
      .poll(() => page.getByTestId("reco-row").count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
  };

  it("signs in, approves one, rejects one with a reason and a 2/5 rating, and sees the figures", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/recommendations`);
    await page.getByLabel("E-mail").fill("vente@domaine.fr");
    await page.getByLabel("Mot de passe").fill("pas le bon");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await expect
      .poll(() => page.getByRole("alert").textContent(), { timeout: 30_000 })
      .toBe("E-mail ou mot de passe incorrect.");
    await signIn(page, "vente@domaine.fr");
    expect(await page.getByText("Connecté : vente@domaine.fr").count()).toBe(1);

    const rows = page.getByTestId("reco-row");
    const first = rows.nth(0);
    const second = rows.nth(1);
    const explanation = await first.locator("td").nth(4).textContent();
    expect(explanation!.length).toBeGreaterThan(10);
    await first.getByRole("button", { name: "Approuver" }).click();
    await expect.poll(() => first.getAttribute("data-status")).toBe("approved");

    await second.getByRole("button", { name: "Rejeter" }).click();
    await second.getByLabel("Motif").fill("Ne boit que du blanc");
    await second.getByLabel("Note (1-5)").selectOption("2");
    await second.getByLabel("Commentaire").fill("Proposer plutôt un Riesling");
    await page.screenshot({ path: screenshotPath("recommendations-reject-fr"), fullPage: true });
    await second.getByRole("button", { name: "Confirmer le rejet" }).click();
    await expect.poll(() => second.getAttribute("data-status")).toBe("rejected");

    // The row shows the decision at once (optimistic); the database follows
    // when the reject and then the rating requests have answered.
    const saved = () =>
      queryRows<{ rating: number; comment: string; reason: string }>(
        services.db.db,
        sql`select f.rating, f.comment, r.reject_reason as reason from feedback f join recommendations r on r.id = f.recommendation_id`,
      );
    await expect
      .poll(saved, { timeout: 10_000 })
      .toEqual([
        { rating: 2, comment: "Proposer plutôt un Riesling", reason: "Ne boit que du blanc" },
      ]);
    await page.screenshot({ path: screenshotPath("recommendations-fr"), fullPage: true });

    // The one approved recommendation, exported for a postal mailing: in the file with the
    // customer's address, or counted as left out.
    await page.getByLabel("Exporter pour").selectOption({ label: "un courrier" });
    const downloading = page.waitForEvent("download", { timeout: 10_000 }).catch(() => null);
    await page.getByRole("button", { name: "Exporter les approuvées (CSV)" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toMatch(/export|fichier/i);
    const notice = await page.getByRole("status").textContent();
    const sent = /^(\d+) clients exportés ; (\d+) exclus/.exec(notice ?? "");
    const none = /^Aucun fichier.*; (\d+) clients exclus/.exec(notice ?? "");
    const exported = sent ? Number(sent[1]) : 0;
    const excluded = Number(sent ? sent[2] : none?.[1]);
    expect(exported + excluded).toBe(1);
    const download = await downloading;
    if (exported === 0) expect(download).toBeNull();
    else {
      expect(notice).toContain("passent en « Exportée »");
      expect(download!.suggestedFilename()).toMatch(/^crm-reco-post-/);
      const file = readFileSync(await download!.path());
      expect(file.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      expect(file.toString("utf8").slice(1)).toMatch(
        /^Adresse 1;Adresse 2;Code postal;Ville;Pays;Civilité;Prénom;Nom;Société;N° client;Segment;Base légale/,
      );
      expect(file.toString("utf8").trim().split("\r\n")).toHaveLength(1 + exported);
      // A second export for another channel has nothing left to send, and says so.
      await page.getByLabel("Exporter pour").selectOption({ label: "un e-mailing" });
      await page.getByRole("button", { name: "Exporter les approuvées (CSV)" }).click();
      await expect
        .poll(() => page.getByRole("status").textContent())
        .toMatch(/^Aucun fichier : pas de recommandation approuvée à exporter/);
    }

    await page.getByRole("link", { name: "Tableau de bord" }).click();
    await expect.poll(() => page.getByTestId("figure-customers").textContent()).toMatch(/^\d/);
    await page.screenshot({ path: screenshotPath("dashboard-signed-in-fr"), fullPage: true });
    await page.close();
  });

  // The user trial: after a rejection typed and confirmed with Enter, focus fell to the page and
  // the next shortcut did nothing.
  it("reviews with the keyboard alone: after each decision, focus is on the next row to review", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, "vente@domaine.fr");
    const focused = () =>
      page.evaluate(() => {
        const row = document.activeElement?.closest<HTMLElement>("[data-testid=reco-row]");
        return row
          ? `${[...row.parentElement!.children].indexOf(row)} ${row.dataset.status}`
          : null;
      });
    const rows = page.getByTestId("reco-row");
    await rows.nth(2).focus();
    await page.keyboard.press("r");
    await rows.nth(2).getByLabel("Motif").waitFor();
    await page.keyboard.type("Hors saison");
    await page.keyboard.press("Enter");
    await expect.poll(focused).toBe("3 pending");
    await page.keyboard.press("a");
    await expect.poll(focused).toBe("4 pending");
    expect(await rows.nth(3).getAttribute("data-status")).toBe("approved");
    await page.close();
  });

  it("shows a viewer the list without any approve button (and the API refuses anyway)", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, "stagiaire@domaine.fr");
    expect(await page.getByRole("button", { name: "Approuver" }).count()).toBe(0);
    const status = await page.evaluate(async () => {
      const list = await (await fetch("/api/recommendations?limit=1&status=pending")).json();
      const me = await (await fetch("/api/auth/me")).json();
      const response = await fetch(`/api/recommendations/${list.items[0].id}/approve`, {
        method: "POST",
        headers: { "x-csrf-token": me.csrfToken },
      });
      return response.status;
    });
    expect(status).toBe(403);
    await page.getByLabel("Langue").selectOption("en");
    await expect.poll(() => page.locator("th").nth(0).textContent()).toBe("Customer");
    await page.screenshot({ path: screenshotPath("recommendations-viewer-en"), fullPage: true });
    await context.close();
  });

  it("narrows the list to one kind and segment of customer, and searches as one types", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, "vente@domaine.fr"); // the viewer saved English as their language above
    const shown = async () =>
      Number((await page.getByTestId("reco-total").textContent())!.replace(/\D/g, ""));
    const pending = async (where: string) => {
      const [row] = await queryRows<{ n: number }>(
        services.db.db,
        sql.raw(`select count(*)::int as n from recommendations r
          join customers c on c.id = r.customer_id
          left join customer_segments s on s.customer_id = c.id
          where r.status = 'pending' and ${where}`),
      );
      return row!.n;
    };
    const everyone = await shown();
    expect(everyone).toBe(await pending("true"));

    await page.getByLabel("Type de client").selectOption("trade");
    const trade = await pending("c.kind = 'trade'");
    expect(trade).toBeGreaterThan(0);
    expect(trade).toBeLessThan(everyone);
    await expect.poll(shown).toBe(trade);
    expect(page.url()).toContain("kind=trade");

    const [{ tier }] = await queryRows<{ tier: string }>(
      services.db.db,
      sql`select s.tier from customer_segments s join customers c on c.id = s.customer_id
          where c.kind = 'trade' group by s.tier order by count(*) desc, s.tier limit 1`,
    );
    await page.getByLabel("Segment du client").selectOption(tier!);
    await expect.poll(shown).toBe(await pending(`c.kind = 'trade' and s.tier = '${tier}'`));

    // The customer box searches once typing pauses: no Enter needed.
    const code = (await page
      .getByTestId("reco-row")
      .first()
      .locator("td")
      .nth(1) // after the selection's box
      .locator(".muted")
      .first()
      .textContent())!.trim();
    await page.getByLabel("Client (nom, code, courriel)").pressSequentially(code);
    await expect.poll(() => page.url()).toContain(`customer=${code}`);
    const theirs = await pending(`c.customer_code = '${code}'`);
    expect(theirs).toBeGreaterThan(0);
    await expect.poll(shown).toBe(theirs);
    await page.screenshot({ path: screenshotPath("recommendations-filtered-fr"), fullPage: true });

    await page.getByRole("button", { name: "Effacer les filtres" }).click();
    await expect.poll(shown).toBe(everyone);
    expect(await page.getByLabel("Client (nom, code, courriel)").inputValue()).toBe("");
    expect(await page.getByLabel("Type de client").inputValue()).toBe("");
    await page.close();
  });

  it("shows the measured metrics against the popularity baseline, and finds customers", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, "vente@domaine.fr");
    await page.getByRole("link", { name: "Audit" }).click();
    const all = page.getByTestId("metrics-all");
    await expect.poll(() => all.locator("tbody tr").count()).toBeGreaterThan(3);
    expect(await all.locator("tbody th").allTextContents()).toEqual(
      // Each model in words, its code name beside it for the IT person.
      expect.arrayContaining([
        expect.stringContaining("Meilleures ventes popularity"),
        expect.stringContaining("Mélange mesuré hybrid"),
      ]),
    );
    expect(await page.getByTestId("approval-rate").textContent()).toMatch(/^\d+(,\d)?\u202f%$/);
    await page.screenshot({ path: screenshotPath("audit-fr"), fullPage: true });

    await page.getByRole("link", { name: "Clients" }).click();
    await expect.poll(() => page.getByTestId("customer-row").count()).toBeGreaterThan(10);
    const total = await page.getByTestId("customers-total").textContent();
    await page.getByLabel("Rechercher").fill("P0001");
    await expect.poll(() => page.getByTestId("customers-total").textContent()).not.toBe(total);
    expect(await page.getByTestId("customer-row").count()).toBe(1);
    expect(await page.getByTestId("customer-row").textContent()).toContain("Professionnel");
    await page.screenshot({ path: screenshotPath("customers-fr"), fullPage: true });
    await page.close();
  });

  it("adds a source and imports a French Excel CSV (Windows-1252, ;) through the upload, with its history", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, "gerant@domaine.fr");
    await page.getByRole("link", { name: "Sources" }).click();
    // The demo's three iSaVigne exports and the e-shop's two Odoo exports, each with its history.
    const cellar = page.getByTestId("source").filter({ hasText: "iSaVigne (démo)" });
    await expect.poll(() => cellar.getByTestId("run-row").count()).toBe(3);
    const eshop = page.getByTestId("source").filter({ hasText: "Odoo e-boutique (exports)" });
    await expect.poll(() => eshop.getByTestId("run-row").count()).toBe(2);
    await page.getByLabel("Nouvelle source").fill("Export Odoo");
    await page.getByRole("button", { name: "Ajouter" }).click();
    const card = page.getByTestId("source").filter({ hasText: "Export Odoo" });
    await expect.poll(() => card.count()).toBe(1);
    const csv = [
      "N° client;Nom;Prénom;E-mail;CP;Ville;Accepte e-mail",
      "OD1;Müller;Hélène;helene.muller@exemple.fr;68000;Colmar;Oui",
      "OD2;Lefèvre;François;francois@exemple;6800;Colmar;Non",
      ";Sans code;;;;;",
    ].join("\r\n");
    const bytes = Buffer.from(csv, "latin1"); // Windows-1252 for these characters
    await card.getByLabel("Contenu du fichier").selectOption("customers");
    await card
      .getByLabel("Fichier CSV ou Excel")
      .setInputFiles({ name: "clients-odoo.csv", mimeType: "text/csv", buffer: bytes });
    await expect
      .poll(() => card.getByRole("status").textContent(), { timeout: 60_000 })
      .toBe("Import terminé : 3 lignes lues ; lignes rejetées : 1.");
    await expect.poll(() => card.getByTestId("run-row").count()).toBe(1);
    expect(await card.getByTestId("run-row").textContent()).toContain("clients-odoo.csv");
    const rejectedCsv = await card.getByRole("link", { name: "1 (CSV)" }).getAttribute("href");
    expect(rejectedCsv).toMatch(/rejected-rows\?format=csv&lang=fr$/);
    // In French, as the screen: its headers and the reason.
    const downloaded = await card.page().request.get(new URL(rejectedCsv!, card.page().url()).href);
    expect(await downloaded.text()).toMatch(/^\uFEFFligne;raisons;contenu\r\n/);
    const [hel] = await queryRows<{ last_name: string; first_name: string }>(
      services.db.db,
      sql`select last_name, first_name from customers where email = 'helene.muller@exemple.fr'`,
    );
    expect(hel).toEqual({ last_name: "Müller", first_name: "Hélène" });
    // The same file sent as sales lines has none of their required columns: the import fails,
    // and says so in French (the job itself ran to its end).
    await card.getByLabel("Contenu du fichier").selectOption("order_lines");
    await card
      .getByLabel("Fichier CSV ou Excel")
      .setInputFiles({ name: "ventes-odoo.csv", mimeType: "text/csv", buffer: bytes });
    const missing = "Des colonnes obligatoires manquent pour ce contenu (N° facture";
    await expect
      .poll(() => card.getByRole("alert").textContent(), { timeout: 60_000 })
      .toContain(`L'import a échoué. ${missing}`);
    await expect.poll(() => card.getByTestId("run-row").count()).toBe(2);
    expect(await card.getByTestId("run-row").first().textContent()).toContain(missing);
    expect(await card.getByTestId("source-summary").textContent()).toContain("Échoué");
    await page.screenshot({ path: screenshotPath("sources-fr"), fullPage: true });

    await page.getByRole("link", { name: "Anomalies" }).click();
    await page.getByLabel("Gravité").selectOption("high");
    // Wait for the filtered list, not the one shown before the filter applied.
    await expect
      .poll(() => page.getByTestId("anomaly-row").filter({ hasNotText: "Élevée" }).count())
      .toBe(0);
    await expect.poll(() => page.getByTestId("anomaly-row").count()).toBeGreaterThan(0);
    const before = await page.getByTestId("anomaly-row").count();
    const total = await page.getByTestId("anomalies-total").textContent();
    await page.getByTestId("anomaly-row").first().getByRole("button", { name: "Ignorer" }).click();
    await expect.poll(() => page.getByTestId("anomalies-total").textContent()).not.toBe(total);
    expect(await page.getByTestId("anomaly-row").count()).toBe(before - 1);
    // The row gone, focus is on the one that took its place, not lost to the page.
    expect(
      await page.evaluate(
        () => document.activeElement?.closest("[data-testid=anomaly-row]") !== null,
      ),
    ).toBe(true);
    await page.screenshot({ path: screenshotPath("anomalies-fr"), fullPage: true });
    await page.close();
  });
});
