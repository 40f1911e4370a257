import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../../../test/api-client.ts";
import { createTestServices } from "../../../test/services.ts";
import { createUser } from "../../auth/users.ts";
import { ensureTenant } from "../../repos/tenants.ts";
import type { Services } from "../../services.ts";
import { createApp } from "../app.ts";

const PASSWORD = "correct horse battery";

describe("the language a person chose", () => {
  let services: Services & { close(): Promise<void> };
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    services = await createTestServices("pglite");
    app = createApp(services);
    const tenant = await ensureTenant(services.db.db, { slug: "alpha", name: "alpha" });
    for (const role of ["admin", "viewer"] as const)
      await createUser(services.db.db, tenant.id, {
        email: `${role}@alpha.fr`,
        password: PASSWORD,
        role,
      });
  });
  afterAll(async () => {
    await services?.close();
  });

  it("is French until changed, then follows the person to a new sign-in, not to others", async () => {
    const first = apiClient(app, PASSWORD);
    expect((await first.call("GET", "/api/auth/me", { as: "viewer@alpha.fr" })).body.locale).toBe(
      "fr",
    );
    const saved = await first.call("PUT", "/api/auth/me/locale", {
      as: "viewer@alpha.fr",
      body: { locale: "en" },
    });
    expect(saved.status).toBe(204);
    expect((await first.call("GET", "/api/auth/me", { as: "viewer@alpha.fr" })).body.locale).toBe(
      "en",
    );

    // Another browser: a new session, the same choice; the admin keeps French.
    const signIn = await app.request("/api/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "viewer@alpha.fr", password: PASSWORD, estate: "alpha" }),
    });
    expect(((await signIn.json()) as { locale: string }).locale).toBe("en");
    const other = apiClient(app, PASSWORD);
    expect((await other.call("GET", "/api/auth/me", { as: "admin@alpha.fr" })).body.locale).toBe(
      "fr",
    );
  });

  it("refuses a language it does not speak, and an API key (which has no person)", async () => {
    const client = apiClient(app, PASSWORD);
    const wrong = await client.call("PUT", "/api/auth/me/locale", {
      as: "viewer@alpha.fr",
      body: { locale: "de" },
    });
    expect(wrong.status).toBe(400);
    const none = await client.call("PUT", "/api/auth/me/locale", { as: "viewer@alpha.fr" });
    expect(none.status).toBe(400);
    const key = await client.call("POST", "/api/api-keys", {
      as: "admin@alpha.fr",
      body: { name: "script", role: "viewer" },
    });
    const byKey = await app.request("/api/auth/me/locale", {
      method: "PUT",
      headers: {
        authorization: `Bearer ${key.body.key as string}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ locale: "en" }),
    });
    expect(byKey.status).toBe(403);
    const me = await app.request("/api/auth/me", {
      headers: { authorization: `Bearer ${key.body.key as string}` },
    });
    expect(((await me.json()) as { locale: string | null }).locale).toBeNull();
  });
});
