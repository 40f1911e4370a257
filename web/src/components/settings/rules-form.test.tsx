import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CampaignRules } from "../../lib/api.ts";
import { setLocale } from "../../lib/i18n.ts";
import { RulesForm } from "./rules-form.tsx";

// Shared CPUs can be slow: wait up to 10 s rather than testing-library's 1 s.
const patient = { timeout: 10_000 };

const defaults: CampaignRules = {
  perCustomer: 3,
  rebuyWindowDays: 60,
  contactGapDays: 135,
  onlyActiveProducts: true,
};

/** The server at the network boundary: answers GET and PUT /api/settings/rules, records the PUTs. */
function fakeServer(stored: CampaignRules, answer?: { status: number; body: unknown }) {
  const puts: unknown[] = [];
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    expect(url).toBe("/api/settings/rules");
    if (init?.method === "PUT") {
      puts.push(JSON.parse(String(init.body)));
      if (answer) return new Response(JSON.stringify(answer.body), { status: answer.status });
      stored = puts.at(-1) as CampaignRules;
    }
    return new Response(JSON.stringify({ rules: stored, defaults }), { status: 200 });
  });
  vi.stubGlobal("fetch", fetch);
  return puts;
}

describe("RulesForm", () => {
  beforeEach(() => setLocale("fr"));
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("shows the stored numbers, each explained with its default", async () => {
    fakeServer({ ...defaults, perCustomer: 5 });
    render(() => <RulesForm />);
    const k = await screen.findByLabelText("Recommandations par client, au plus", {}, patient);
    expect((k as HTMLInputElement).value).toBe("5");
    expect(
      (screen.getByLabelText("Délai avant de reproposer un vin acheté (jours)") as HTMLInputElement)
        .value,
    ).toBe("60");
    expect(
      screen.getByText(
        /moins de ce nombre de jours, quelle que soit la campagne\. Par défaut : 135\./,
      ),
    ).toBeTruthy();
    expect((screen.getByLabelText("Seulement les vins en vente") as HTMLInputElement).checked).toBe(
      true,
    );
  });

  it.each([
    ["0", "Saisissez un nombre entier entre 1 et 20."],
    ["21", "Saisissez un nombre entier entre 1 et 20."],
    ["2,5", "Saisissez un nombre entier entre 1 et 20."],
    ["", "Saisissez un nombre entier entre 1 et 20."],
  ])("refuses K = %j with a plain message and sends nothing", async (typed, message) => {
    const puts = fakeServer(defaults);
    render(() => <RulesForm />);
    const k = await screen.findByLabelText("Recommandations par client, au plus", {}, patient);
    fireEvent.input(k, { target: { value: typed } });
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer les règles" }));
    expect((await screen.findByRole("alert", {}, patient)).textContent).toBe(message);
    expect(k.getAttribute("aria-invalid")).toBe("true");
    expect(puts).toEqual([]);
  });

  it("saves the numbers as numbers, then says the next generation applies them", async () => {
    const puts = fakeServer(defaults);
    render(() => <RulesForm />);
    fireEvent.input(
      await screen.findByLabelText("Recommandations par client, au plus", {}, patient),
      {
        target: { value: "2" },
      },
    );
    fireEvent.input(screen.getByLabelText("Écart minimal entre deux sollicitations (jours)"), {
      target: { value: "90" },
    });
    fireEvent.click(screen.getByLabelText("Seulement les vins en vente"));
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer les règles" }));
    expect((await screen.findByRole("status", {}, patient)).textContent).toBe(
      "Règles enregistrées : elles s'appliqueront à la prochaine génération.",
    );
    expect(puts).toEqual([
      { perCustomer: 2, rebuyWindowDays: 60, contactGapDays: 90, onlyActiveProducts: false },
    ]);
    expect(
      (screen.getByLabelText("Recommandations par client, au plus") as HTMLInputElement).value,
    ).toBe("2");
  });

  it("fills the defaults back, and says so in plain words when the server refuses", async () => {
    const puts = fakeServer(
      { ...defaults, perCustomer: 7 },
      { status: 403, body: { error: { code: "auth.forbidden", message: "needs admin" } } },
    );
    render(() => <RulesForm />);
    const k = (await screen.findByLabelText(
      "Recommandations par client, au plus",
      {},
      patient,
    )) as HTMLInputElement;
    expect(k.value).toBe("7");
    fireEvent.click(screen.getByRole("button", { name: "Revenir aux valeurs par défaut" }));
    await waitFor(() => expect(k.value).toBe("3"), patient);
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer les règles" }));
    expect((await screen.findByRole("alert", {}, patient)).textContent).toBe(
      "L'enregistrement a échoué. Réessayez dans un instant.",
    );
    expect(puts).toEqual([defaults]);
  });
});
