import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Me, Source } from "../lib/api.ts";

const source: Source = {
  id: "s1",
  name: "Odoo",
  kind: "odoo",
  config: {
    url: "https://domaine.odoo.com",
    database: "domaine",
    login: "bot",
    secretHint: "…cdef",
  },
  hasSecret: true,
  schedule: null,
  lastRun: null,
};
let role: Me["role"] = "admin";
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** The network boundary: the key sent is recorded, and answered as the API would. */
const sent: unknown[] = [];
vi.stubGlobal("fetch", async (url: string, init?: RequestInit) => {
  if (url === "/api/auth/me")
    return json({ email: "x@domaine.fr", role, estate: { slug: "d", name: "D" }, csrfToken: "t" });
  if (init?.method === "PUT" && url === "/api/sources/s1/credentials") {
    const body = JSON.parse(String(init.body)) as { secret: string; login?: string };
    sent.push(body);
    return json({
      id: "s1",
      config: { ...source.config, secretHint: `…${body.secret.slice(-4)}` },
    });
  }
  return json({ error: { code: "route.not_found", message: url } }, 404);
});
const { OdooSourceActions } = await import("./odoo-source-actions.tsx");
const { me, refreshSession } = await import("../lib/session.ts");

describe("OdooSourceActions", () => {
  afterEach(() => {
    cleanup();
    sent.length = 0;
  });

  it("lets an admin give the source a new key, and a new user, then says which key it holds", async () => {
    await waitFor(() => expect(me()?.role).toBe("admin"));
    let reloads = 0;
    render(() => <OdooSourceActions source={source} onSynced={() => reloads++} />);
    fireEvent.click(screen.getByRole("button", { name: "Changer la clé d'API" }));
    const form = screen.getByRole("form", { name: "Changer la clé d'API" });
    fireEvent.input(screen.getByLabelText("Clé d'API"), { target: { value: " new-key-9876 " } });
    fireEvent.submit(form);
    await waitFor(() =>
      expect(screen.getByRole("status").textContent).toBe(
        "Clé enregistrée (se termine par …9876). Testez la connexion pour la vérifier.",
      ),
    );
    expect(sent).toEqual([{ secret: "new-key-9876" }]); // the same user: not sent again
    expect(reloads).toBe(1);
    expect(screen.queryByRole("form")).toBeNull();

    fireEvent.click(screen.getByRole("button", { name: "Changer la clé d'API" }));
    fireEvent.input(screen.getByLabelText("Utilisateur"), { target: { value: "crm-reco" } });
    fireEvent.input(screen.getByLabelText("Clé d'API"), { target: { value: "key-of-crm-0001" } });
    fireEvent.submit(screen.getByRole("form"));
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1]).toEqual({ secret: "key-of-crm-0001", login: "crm-reco" });
  });

  it("offers an editor no way to change the key", async () => {
    role = "editor";
    await refreshSession();
    await waitFor(() => expect(me()?.role).toBe("editor"));
    render(() => <OdooSourceActions source={source} onSynced={() => {}} />);
    expect(screen.getByRole("button", { name: "Tester la connexion" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Changer la clé d'API" })).toBeNull();
  });
});
