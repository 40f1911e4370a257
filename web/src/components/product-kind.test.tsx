import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { createSignal } from "solid-js";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Me, Product } from "../lib/api.ts";

const port: Product = {
  id: "p1",
  sku: "PORT",
  name: "Frais de port",
  cuvee: null,
  vintage: null,
  sizeMl: null,
  color: null,
  appellation: null,
  priceInclTax: 15,
  active: true,
  kind: "shipping",
  kindByStaff: false,
  category: null,
  buyers: 40,
  recommendations: { pending: 0, approved: 0 },
};
let role: Me["role"] = "editor";
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** The network boundary: the PATCH bodies sent are recorded, and answered as the API would. */
const sent: unknown[] = [];
let refuse = false;
vi.stubGlobal("fetch", async (url: string, init?: RequestInit) => {
  if (url === "/api/auth/me")
    return json({ email: "x@domaine.fr", role, estate: { slug: "d", name: "D" }, csrfToken: "t" });
  if (init?.method === "PATCH" && url === "/api/products/p1") {
    if (refuse) return json({ error: { code: "server.failed", message: "down" } }, 503);
    const { kind } = JSON.parse(String(init.body)) as { kind: Product["kind"] | null };
    sent.push(kind);
    return json({ ...port, kind: kind ?? "shipping", kindByStaff: kind !== null });
  }
  return json({ error: { code: "route.not_found", message: url } }, 404);
});
const { ProductKindField } = await import("./product-kind.tsx");
const { me, refreshSession } = await import("../lib/session.ts");

function Field() {
  const [product, setProduct] = createSignal(port);
  return (
    <>
      <ProductKindField product={product()} onSaved={setProduct} />
      <output data-testid="saved">{`${product().kind}/${product().kindByStaff}`}</output>
    </>
  );
}

describe("ProductKindField", () => {
  afterEach(() => {
    cleanup();
    sent.length = 0;
    refuse = false;
  });

  it("lets an editor say a guessed charge is a wine, then hand it back to the guess", async () => {
    await waitFor(() => expect(me()?.role).toBe("editor"));
    render(() => <Field />);
    const select = screen.getByRole("combobox", { name: "Type d'article" }) as HTMLSelectElement;
    expect(select.value).toBe("shipping");
    expect(screen.getByText("deviné d'après sa famille ou son nom")).toBeTruthy();
    fireEvent.change(select, { target: { value: "wine" } });
    await waitFor(() => expect(screen.getByTestId("saved").textContent).toBe("wine/true"));
    expect(screen.getByText("choisi par l'équipe")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Revenir au type deviné" }));
    await waitFor(() => expect(screen.getByTestId("saved").textContent).toBe("shipping/false"));
    expect(sent).toEqual(["wine", null]);
  });

  it("says when the choice could not be saved, and keeps what was there", async () => {
    refuse = true;
    render(() => <Field />);
    const select = screen.getByRole("combobox") as HTMLSelectElement;
    fireEvent.change(select, { target: { value: "other" } });
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("pas pu"));
    expect(screen.getByTestId("saved").textContent).toBe("shipping/false");
    expect(select.value).toBe("shipping");
  });

  it("shows a viewer the type and how it was set, with nothing to change", async () => {
    role = "viewer";
    await refreshSession();
    await waitFor(() => expect(me()?.role).toBe("viewer"));
    render(() => <Field />);
    expect(screen.queryByRole("combobox")).toBeNull();
    expect(screen.getByText(/Frais de port, livraison/).textContent).toContain("deviné");
  });
});
