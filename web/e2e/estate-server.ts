import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { expect } from "vitest";
import type { DbDriver } from "../../functions/src/adapters/db/database.ts";
import { createUser } from "../../functions/src/auth/users.ts";
import { loadDemoEstate } from "../../functions/src/demo/load-demo.ts";
import { ensureTenant } from "../../functions/src/repos/tenants.ts";
import type { Services } from "../../functions/src/services.ts";
import { type RunningServer, startVpsServer } from "../../functions/src/vps/server.ts";
import { createTestServices } from "../../functions/test/services.ts";
import { chromiumPath, launchChromium } from "./browser.ts";

const webDist = fileURLToPath(new URL("../dist", import.meta.url));

/** Browser tests run wherever Debian's Chromium is, and always in CI (where a missing one fails). */
export const browserReady = Boolean(chromiumPath) || Boolean(process.env.CI);

export const PASSWORD = "vendanges tardives 2026";

/** One account per role, the same in every browser test. */
export const people = {
  admin: "gerant@domaine.fr",
  editor: "vente@domaine.fr",
  viewer: "stagiaire@domaine.fr",
} as const;

export interface EstateServer {
  services: Services & { close(): Promise<void> };
  server: RunningServer;
  browser: Browser;
  tenantId: string;
  url: string;
  /** A fresh page (own cookies), signed in on `path` as the given person. */
  signedInPage(who: keyof typeof people, path?: string): Promise<Page>;
  close(): Promise<void>;
}

export interface EstateServerOptions {
  driver?: DbDriver;
  /** Load a (small) demo estate through the real import and recommendation paths. */
  demo?: { privateCustomers: number; tradeCustomers: number };
}

/**
 * The VPS server with the built web app on a private database, the three accounts, optionally a
 * small demo estate, and Debian's Chromium: what each browser test file starts in `beforeAll`.
 */
export async function startEstateServer(options: EstateServerOptions = {}): Promise<EstateServer> {
  if (!existsSync(`${webDist}/index.html`))
    throw new Error("web/dist is missing: run `npm run build:web` first (npm test does).");
  const services = await createTestServices(options.driver ?? "pglite");
  const tenant = await ensureTenant(services.db.db, { slug: "default", name: "Domaine de démo" });
  for (const [role, email] of Object.entries(people))
    await createUser(services.db.db, tenant.id, {
      email,
      password: PASSWORD,
      role: role as keyof typeof people,
    });
  if (options.demo) await loadDemoEstate(services, tenant.id, () => {}, options.demo);
  const server = await startVpsServer({
    services,
    port: 0,
    host: "127.0.0.1",
    webDistDir: webDist,
  });
  const browser = await launchChromium();
  return {
    services,
    server,
    browser,
    tenantId: tenant.id,
    url: server.url,
    async signedInPage(who, path = "/") {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${server.url}${path}`);
      // Scoped to the form: the page behind it may have its own fields whose label holds
      // "E-mail" (the mapping editor has 14), which once made "signed in" look like "not yet".
      const form = page.getByRole("form", { name: "Connexion", exact: true });
      await form.getByLabel("E-mail", { exact: true }).fill(people[who]);
      await form.getByLabel("Mot de passe", { exact: true }).fill(PASSWORD);
      await form.getByRole("button", { name: "Se connecter" }).click();
      // Signing in hashes the password (scrypt): slow on a busy machine, hence the long wait.
      // A refusal shows an alert in the form: report its words rather than a bare timeout.
      const outcome = async () => {
        if ((await form.count()) === 0) return "signed in";
        const alert = form.getByRole("alert");
        return (await alert.count()) > 0 ? await alert.textContent() : "still on the sign-in form";
      };
      await expect.poll(outcome, { timeout: 60_000 }).toBe("signed in");
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
      await services.close();
    },
  };
}
