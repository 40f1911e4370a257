import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { MemoryRouter, Route } from "@solidjs/router";
import { createSignal, type JSX } from "solid-js";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Me, Product, ProductLead } from "../lib/api.ts";

const wine: Product = {
  id: "w1",
  sku: "CRE-2021-75",
  name: "Crémant 2021",
  cuvee: "Crémant",
  vintage: 2021,
  sizeMl: 750,
  color: "sparkling",
  appellation: "Crémant d'Alsace",
  priceInclTax: 14.5,
  active: true,
  kind: "wine",
  kindByStaff: false,
  category: null,
  buyers: 12,
  recommendations: { pending: 2, approved: 0 },
};
const lead = (n: number): ProductLead => ({
  customer: { id: `c${n}`, name: `Client ${n}`, code: `K${n}`, kind: "private", tier: "loyal" },
  confidence: 0.3 - n / 100,
  rankForCustomer: 1,
  explanation: { fr: `Parce que ${n}`, en: `Because ${n}`, fallback: false },
  emailRefusal: null,
  blockedBy: null,
  recommendation: { id: `r${n}`, status: "pending" },
});
const editor: Me = {
  email: "vente@domaine.fr",
  role: "editor",
  estate: { slug: "demo", name: "Domaine" },
  csrfToken: "t",
  locale: "fr",
};
const json = (body: unknown) =>
  new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });

let leadsServed: ProductLead[] = [lead(1), lead(2)];
/** The network boundary: every request is recorded; the session is an editor's. */
const requests: string[] = [];
vi.stubGlobal("fetch", async (url: string, init?: RequestInit) => {
  requests.push(`${init?.method ?? "GET"} ${url}`);
  if (url === "/api/auth/me") return json(editor);
  if (url.endsWith("/customers/approve"))
    return json({ approved: 2, alreadyApproved: 0, skipped: [], withoutEmail: 0 });
  return json({ items: leadsServed });
});
// The session module asks who is signed in when it loads: after fetch is in place.
const { TargetList } = await import("./target-list.tsx");
const { me } = await import("../lib/session.ts");

/** Rows link to customers: the list needs a router around it. */
const inRouter = (view: () => JSX.Element) => () => (
  <MemoryRouter>
    <Route path="*" component={view} />
  </MemoryRouter>
);

describe("TargetList", () => {
  afterEach(() => {
    cleanup();
    requests.length = 0;
  });

  it("selects by default only buyers who can be written to and have some chance, the others stay choosable", async () => {
    leadsServed = [
      lead(1),
      { ...lead(2), emailRefusal: "Sans consentement" },
      { ...lead(3), confidence: 0 },
    ];
    try {
      render(inRouter(() => <TargetList wine={wine} onApproved={() => {}} />));
      await waitFor(() => expect(screen.getAllByRole("checkbox").length).toBe(3));
      const box = (n: number) =>
        screen.getByRole("checkbox", { name: new RegExp(`Client ${n}`) }) as HTMLInputElement;
      await waitFor(() => expect(box(1).checked).toBe(true));
      expect([box(2).checked, box(3).checked]).toEqual([false, false]);
      expect([box(2).disabled, box(3).disabled]).toEqual([false, false]);
    } finally {
      leadsServed = [lead(1), lead(2)];
    }
  });

  it("asks for the list once after an approval, though the wine's facts come back anew", async () => {
    await waitFor(() => expect(me()?.role).toBe("editor"));
    requests.length = 0;
    const [current, setCurrent] = createSignal(wine);
    render(
      inRouter(() => (
        <TargetList
          wine={current()}
          // As the wine's page does: its facts (the approved count) are fetched again, and come
          // back (a new object, the same wine) after the list's refresh has been asked for.
          onApproved={() =>
            setTimeout(() => setCurrent({ ...wine, recommendations: { pending: 0, approved: 2 } }))
          }
        />
      )),
    );
    const approve = await screen.findByRole("button", { name: "Approuver la liste (2)" });
    fireEvent.click(approve);
    await screen.findByText("2 clients approuvés pour ce vin.");
    await waitFor(() =>
      expect(requests.filter((r) => r.startsWith("GET /api/products/w1/customers"))).toHaveLength(
        2,
      ),
    );
    // Let any second refresh through before counting again.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requests).toEqual([
      "GET /api/products/w1/customers?k=50",
      "POST /api/products/w1/customers/approve",
      "GET /api/products/w1/customers?k=50",
    ]);
  });

  it("asks again for another size of list", async () => {
    render(inRouter(() => <TargetList wine={wine} onApproved={() => {}} />));
    await screen.findByText("Client 2");
    fireEvent.change(screen.getByLabelText("Clients affichés", { exact: false }), {
      target: { value: "100" },
    });
    await waitFor(() => expect(requests).toContain("GET /api/products/w1/customers?k=100"));
  });

  it("asks for the leads of one kind and segment of customer, a campaign's target", async () => {
    render(inRouter(() => <TargetList wine={wine} onApproved={() => {}} />));
    await screen.findByText("Client 2");
    fireEvent.change(screen.getByLabelText("Type de client"), { target: { value: "trade" } });
    await waitFor(() =>
      expect(requests).toContain("GET /api/products/w1/customers?k=50&kind=trade"),
    );
    fireEvent.change(screen.getByLabelText("Segment du client"), { target: { value: "dormant" } });
    await waitFor(() =>
      expect(requests).toContain("GET /api/products/w1/customers?k=50&kind=trade&tier=dormant"),
    );
    fireEvent.change(screen.getByLabelText("Type de client"), { target: { value: "" } });
    await waitFor(() =>
      expect(requests).toContain("GET /api/products/w1/customers?k=50&tier=dormant"),
    );
  });
});
