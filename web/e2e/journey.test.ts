import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import iconv from "iconv-lite";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../functions/src/adapters/db/database.ts";
import { generateDemoEstate } from "../../functions/src/demo/demo-estate.ts";
import { availableDrivers } from "../../functions/test/databases.ts";
import { screenshotPath } from "./browser.ts";
import { browserReady, type EstateServer, startEstateServer } from "./estate-server.ts";

// What an estate hands over: iSaVigne's exports, saved through French Excel (`;`, Windows-1252).
const files = generateDemoEstate({ privateCustomers: 90, tradeCustomers: 10 });
const windows1252 = (text: string) => iconv.encode(text, "win1252");
const LONG = { timeout: 120_000 };

/**
 * The journey a new user makes, from an empty estate to an exported mailing list, on each
 * database the server runs on: the "done when", end to end in Chromium.
 */
describe.runIf(browserReady).each(availableDrivers.filter((d) => d !== "neon"))(
  "a new user's first hour, on %s",
  (driver) => {
    let estate: EstateServer;

    beforeAll(async () => {
      estate = await startEstateServer({ driver });
    }, 180_000);
    afterAll(async () => {
      await estate?.close();
    });

    it("uploads the exports, accepts the mappings, reviews, rates, exports, and reads the audit", async () => {
      const page = await estate.signedInPage("admin", "/sources");
      const shot = (name: string) =>
        page.screenshot({ path: screenshotPath(`journey-${driver}-${name}`), fullPage: true });

      // 1. A source, and its two files uploaded by drag-and-drop's fallback, the file picker.
      await page.getByLabel("Nouvelle source").fill("iSaVigne");
      await page.getByRole("button", { name: "Ajouter" }).click();
      const card = page.getByTestId("source").filter({ hasText: "iSaVigne" });
      await expect.poll(() => card.count()).toBe(1);
      await upload(card, "customers", "clients.csv", files.customers);
      await expect.poll(() => card.getByTestId("run-row").count(), LONG).toBe(1);
      await upload(card, "order_lines", "ventes.csv", files.sales);
      await expect.poll(() => card.getByTestId("run-row").count(), LONG).toBe(2);
      const history = (await card.getByTestId("run-row").allTextContents()).join(" ");
      expect(history).toContain("clients.csv");
      expect(history).toContain("ventes.csv");
      await shot("sources");

      // 2. The suggested mapping of the customers file, read and accepted as it is.
      await card.getByRole("link", { name: "Correspondance Clients" }).click();
      await expect.poll(() => page.getByTestId("column-row").count(), LONG).toBeGreaterThan(5);
      await expect
        .poll(() => page.getByTestId("quality-score").textContent(), LONG)
        .toMatch(/^\d+\/100$/);
      const save = page.getByRole("button", { name: "Enregistrer une nouvelle version" });
      await expect.poll(() => save.isEnabled(), LONG).toBe(true);
      await shot("mapping");
      await save.click();
      await expect.poll(() => page.getByText(/^Version \d+ enregistrée\.$/).count(), LONG).toBe(1);

      // 3. The quality score and the anomalies the mess in the files gave.
      await page.goto(`${estate.url}/sources`);
      await page.getByRole("link", { name: "iSaVigne", exact: true }).click();
      await expect.poll(() => page.getByTestId("run-row").count(), LONG).toBe(2);
      // The seventh cell of each run's row: both files' scores, not only the newest one's.
      const quality = await page
        .getByTestId("run-row")
        .locator("td:nth-child(7)")
        .allTextContents();
      expect(quality).toHaveLength(2);
      expect(quality.every((q) => /^\d+\/100$/.test(q))).toBe(true);
      await expect
        .poll(() => page.getByTestId("validation-anomaly").count(), LONG)
        .toBeGreaterThan(0);
      await shot("source");
      await page.getByRole("link", { name: "Anomalies", exact: true }).click();
      await expect.poll(() => page.getByTestId("anomaly-row").count(), LONG).toBeGreaterThan(0);
      await shot("anomalies");

      // 4. Recommendations computed on the history just imported.
      await page.getByRole("link", { name: "Recommandations", exact: true }).click();
      await page.getByRole("button", { name: "Recalculer les recommandations" }).click();
      const rows = page.getByTestId("reco-row");
      await expect.poll(() => rows.count(), { timeout: 180_000 }).toBeGreaterThan(3);

      // 5. Two approved, one rejected with a reason, a 2/5 rating and a comment.
      const pending = rows.filter({ has: page.getByRole("button", { name: "Approuver" }) });
      const ids = await pending.evaluateAll((trs) =>
        trs
          .slice(0, 3)
          .map((tr) =>
            tr
              .querySelector('a[href^="/recommendations/"]')!
              .getAttribute("href")!
              .split("/")
              .pop()!,
          ),
      );
      for (const id of ids.slice(0, 2)) {
        const row = rowOf(page, id);
        await row.getByRole("button", { name: "Approuver" }).click();
        await expect.poll(() => row.getAttribute("data-status")).toBe("approved");
      }
      const third = rowOf(page, ids[2]!);
      await third.getByRole("button", { name: "Rejeter" }).click();
      await third.getByLabel("Motif").fill("Ne boit que du blanc");
      await third.getByLabel("Note (1-5)").selectOption("2");
      await third.getByLabel("Commentaire").fill("Proposer plutôt un Riesling");
      await third.getByRole("button", { name: "Confirmer le rejet" }).click();
      await expect.poll(() => third.getAttribute("data-status")).toBe("rejected");
      // The row shows the decision at once (optimistic); the database follows
      // when the reject and then the rating requests have answered.
      const decided = () =>
        queryRows<{ id: string; status: string }>(
          estate.services.db.db,
          sql`select id, status from recommendations where status <> 'pending' order by status, id`,
        );
      await expect.poll(decided, { timeout: 10_000 }).toHaveLength(3);
      expect(await decided()).toEqual(
        expect.arrayContaining([
          { id: ids[0], status: "approved" },
          { id: ids[1], status: "approved" },
          { id: ids[2], status: "rejected" },
        ]),
      );
      const rated = () =>
        queryRows<{ rating: number; comment: string }>(
          estate.services.db.db,
          sql`select rating, comment from feedback where recommendation_id = ${ids[2]}::uuid`,
        );
      await expect
        .poll(rated, { timeout: 10_000 })
        .toEqual([{ rating: 2, comment: "Proposer plutôt un Riesling" }]);
      await shot("recommendations");

      // 6. The approved ones exported for mailing: each is in the file or counted as left out.
      // (No file when every one of them is left out: the notice says so.)
      const downloading = page.waitForEvent("download", { timeout: 10_000 }).catch(() => null);
      await page.getByRole("button", { name: "Exporter les approuvées (CSV)" }).click();
      const status = page.getByRole("status").filter({ hasText: /exportés|Aucun fichier/ });
      await expect.poll(() => status.count()).toBe(1);
      const notice = (await status.textContent())!;
      const sent = /^(\d+) clients? exportés? ; (\d+) exclu/.exec(notice);
      const exported = sent ? sent[1]! : "0";
      const excluded = sent ? sent[2]! : /; (\d+) clients exclus/.exec(notice)![1]!;
      const download = await downloading;
      expect(download === null).toBe(exported === "0");
      const csv = download ? readFileSync(await download.path()).toString("utf8") : "\ufeffheader";
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      const customers = new Set(
        (
          await queryRows<{ customer_id: string }>(
            estate.services.db.db,
            sql`select customer_id from recommendations where id in (${ids[0]}::uuid, ${ids[1]}::uuid)`,
          )
        ).map((r) => r.customer_id),
      );
      expect(Number(exported) + Number(excluded)).toBe(customers.size);
      expect(csv.trim().split("\r\n")).toHaveLength(1 + Number(exported));

      // 7. The audit: each model measured on this estate's history against the baseline.
      await page.getByRole("link", { name: "Audit", exact: true }).click();
      const metrics = page.getByTestId("metrics-all");
      await expect.poll(() => metrics.locator("tbody tr").count(), LONG).toBeGreaterThan(2);
      expect(await metrics.locator("tbody th").allTextContents()).toEqual(
        expect.arrayContaining([expect.stringContaining("popularity")]),
      );
      // And how the team received each algorithm's proposals: the two approvals and the rejection.
      const received = page.getByTestId("review-by-algorithm").locator("tbody tr");
      expect(await received.count()).toBeGreaterThan(0);
      const decisions = (await received.locator("td:nth-child(3)").allTextContents()).map((x) =>
        x.split("/").map((n) => Number(n.trim())),
      );
      expect(decisions.reduce((s, [approved]) => s + approved!, 0)).toBe(2);
      expect(decisions.reduce((s, [, rejected]) => s + rejected!, 0)).toBe(1);
      await shot("audit");

      // 8. The same app in English, then the dashboard with what was just done.
      await page.getByLabel("Langue").selectOption("en");
      await expect
        .poll(() => page.getByRole("link", { name: "Dashboard", exact: true }).count())
        .toBe(1);
      await shot("audit-en");
      // The choice is the person's, not the browser's: signed in elsewhere, it is English too.
      const elsewhere = await estate.signedInPage("admin", "/audit");
      await expect
        .poll(() => elsewhere.getByRole("link", { name: "Dashboard", exact: true }).count(), LONG)
        .toBe(1);
      await elsewhere.getByLabel("Language").selectOption("fr");
      await expect
        .poll(() => elsewhere.getByRole("link", { name: "Tableau de bord", exact: true }).count())
        .toBe(1);
      await elsewhere.context().close();
      await page.getByLabel("Language").selectOption("fr");
      await page.getByRole("link", { name: "Tableau de bord", exact: true }).click();
      await expect
        .poll(() => page.getByTestId("figure-customers").textContent(), LONG)
        .toMatch(/^\d/);
      await shot("dashboard");
      await page.context().close();
    }, 600_000);

    it("shows a viewer the reviewed list without any decision button, and the API refuses", async () => {
      const page = await estate.signedInPage("viewer", "/recommendations");
      await expect
        .poll(() => page.getByTestId("reco-row").count(), { timeout: 30_000 })
        .toBeGreaterThan(0);
      expect(await page.getByRole("button", { name: "Approuver" }).count()).toBe(0);
      expect(await page.getByRole("button", { name: "Rejeter" }).count()).toBe(0);
      const status = await page.evaluate(async () => {
        const list = await (await fetch("/api/recommendations?limit=1&status=pending")).json();
        const me = await (await fetch("/api/auth/me")).json();
        const answer = await fetch(`/api/recommendations/${list.items[0].id}/approve`, {
          method: "POST",
          headers: { "x-csrf-token": me.csrfToken },
        });
        return answer.status;
      });
      expect(status).toBe(403);
      await page.context().close();
    }, 120_000);
  },
);

async function upload(card: Locator, entity: string, name: string, text: string) {
  await card.getByLabel("Contenu du fichier").selectOption(entity);
  await card
    .getByLabel("Fichier CSV ou Excel")
    .setInputFiles({ name, mimeType: "text/csv", buffer: windows1252(text) });
}

function rowOf(page: Page, id: string) {
  return page.getByTestId("reco-row").filter({ has: page.locator(`a[href$="${id}"]`) });
}
