import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { createSignal } from "solid-js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Recommendation } from "../lib/api.ts";
import { setLocale } from "../lib/i18n.ts";
import { ReviewTable } from "./review-table.tsx";

const reco = (n: number, status: Recommendation["status"] = "pending"): Recommendation => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  customer: { id: `c${n}`, name: `Client ${n}`, code: `K${n}` },
  product: { id: `p${n}`, sku: `SKU${n}`, name: `Vin ${n}` },
  algorithm: "hybrid",
  rank: 1,
  confidence: 0.5,
  confidenceHorizonDays: 180,
  customerQualityScore: 80,
  explanation: { fr: `Parce que ${n}`, en: `Because ${n}`, fallback: false },
  status,
  rejectReason: null,
  feedback: { count: 0, meanRating: null },
  emailRefusal: null,
});

/** The network boundary: each call is recorded and answered by `answer`. */
let calls: Array<{ url: string; method: string; body: unknown }> = [];
let answer: (url: string) => Promise<Response>;
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

function mount(items: Recommendation[], editable = true) {
  const [list, setList] = createSignal(items);
  let stale = 0;
  render(() => (
    <ReviewTable
      items={list()}
      editable={editable}
      onItems={(update) => setList(update)}
      onStale={() => stale++}
    />
  ));
  return { list, stale: () => stale };
}
const rows = () => screen.getAllByTestId("reco-row");
const boxes = () =>
  rows().map((row) => row.querySelector<HTMLInputElement>('input[type="checkbox"]')!);
const checked = () => boxes().map((b) => b.checked);
const statuses = () => rows().map((row) => row.dataset.status);
const selectedCount = () => screen.getByTestId("selected-count").textContent;

describe("ReviewTable: bulk selection and review", () => {
  beforeEach(() => {
    setLocale("fr");
    calls = [];
    answer = async () => json(200, { updated: 2 });
    vi.stubGlobal("fetch", async (url: string, init: RequestInit = {}) => {
      calls.push({
        url,
        method: init.method ?? "GET",
        body: init.body ? JSON.parse(String(init.body)) : undefined,
      });
      return answer(url);
    });
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("says on the row which customer cannot be written to, and why", () => {
    mount([reco(1), { ...reco(2), emailRefusal: "opted_out" }]);
    const refusals = screen.getAllByTestId("email-refusal").map((e) => e.textContent);
    expect(refusals).toEqual(["Pas d'e-mail : Désinscrit"]);
    expect(screen.getByTestId("email-refusal").closest("tr")!.textContent).toContain("Client 2");
  });

  it("selects all on this page (pending rows only), then none", () => {
    mount([reco(1), reco(2, "approved"), reco(3), reco(4)]);
    const all = screen.getByLabelText("Tout sélectionner sur cette page") as HTMLInputElement;
    fireEvent.click(all);
    expect(checked()).toEqual([true, false, true, true]);
    expect(all.checked).toBe(true);
    expect(selectedCount()).toBe("3 sélectionnée(s)");
    fireEvent.click(all);
    expect(checked()).toEqual([false, false, false, false]);
    expect(selectedCount()).toBe("0 sélectionnée(s)");
    expect(screen.getByRole("button", { name: "Approuver la sélection (0)" })).toHaveProperty(
      "disabled",
      true,
    );
  });

  it("shows a mixed 'select all' box when only some rows are selected", () => {
    mount([reco(1), reco(2), reco(3)]);
    fireEvent.click(boxes()[1]!);
    const all = screen.getByLabelText("Tout sélectionner sur cette page") as HTMLInputElement;
    expect(all.indeterminate).toBe(true);
    expect(all.checked).toBe(false);
  });

  it("selects a range with shift-click, skipping rows already decided, and unselects it the same way", () => {
    mount([reco(1), reco(2), reco(3, "rejected"), reco(4), reco(5)]);
    fireEvent.click(boxes()[0]!);
    fireEvent.click(boxes()[3]!, { shiftKey: true });
    expect(checked()).toEqual([true, true, false, true, false]);
    expect(selectedCount()).toBe("3 sélectionnée(s)");
    fireEvent.click(boxes()[1]!, { shiftKey: true });
    expect(checked()).toEqual([true, false, false, false, false]);
  });

  it("moves with j/k and the arrows, toggles with x, and approves the selection with a", async () => {
    const { list } = mount([reco(1), reco(2), reco(3)]);
    rows()[0]!.focus();
    fireEvent.keyDown(rows()[0]!, { key: "j" });
    expect(document.activeElement).toBe(rows()[1]);
    fireEvent.keyDown(rows()[1]!, { key: "x" });
    fireEvent.keyDown(rows()[1]!, { key: "ArrowDown" });
    expect(document.activeElement).toBe(rows()[2]);
    fireEvent.keyDown(rows()[2]!, { key: "x" });
    fireEvent.keyDown(rows()[2]!, { key: "k" });
    fireEvent.keyDown(rows()[1]!, { key: "ArrowUp" });
    expect(document.activeElement).toBe(rows()[0]);
    expect(checked()).toEqual([false, true, true]);
    expect(rows()[0]!.tabIndex).toBe(0);
    expect(rows()[1]!.tabIndex).toBe(-1);

    fireEvent.keyDown(rows()[0]!, { key: "a" });
    expect(statuses()).toEqual(["pending", "approved", "approved"]); // at once, before the answer
    await waitFor(() =>
      expect(screen.getByRole("status").textContent).toBe("2 recommandation(s) approuvée(s)."),
    );
    expect(calls).toEqual([
      {
        url: "/api/recommendations/bulk",
        method: "POST",
        body: { action: "approve", ids: [reco(2).id, reco(3).id] },
      },
    ]);
    expect(list().map((r) => r.status)).toEqual(["pending", "approved", "approved"]);
    expect(selectedCount()).toBe("0 sélectionnée(s)");
  });

  it("approves the focused row with a when nothing is selected, and opens its rejection with r", async () => {
    answer = async (url) =>
      json(200, { ...reco(Number(url.split("/")[3]!.slice(-1))), status: "approved" });
    mount([reco(1), reco(2)]);
    rows()[1]!.focus();
    fireEvent.keyDown(rows()[1]!, { key: "a" });
    await waitFor(() => expect(statuses()).toEqual(["pending", "approved"]));
    expect(calls[0]).toMatchObject({ url: `/api/recommendations/${reco(2).id}/approve` });
    fireEvent.keyDown(rows()[1]!, { key: "k" });
    fireEvent.keyDown(rows()[0]!, { key: "r" });
    expect(rows()[0]!.querySelector("form")).not.toBeNull();
    // Typing in the reason is not a shortcut.
    const reason = screen.getByLabelText("Motif") as HTMLInputElement;
    fireEvent.keyDown(reason, { key: "a" });
    expect(calls).toHaveLength(1);
  });

  // Each decision removes the control that had focus: without this, focus fell to the page and
  // the next shortcut did nothing.
  it("carries on at the next row still to review after approving with a", async () => {
    answer = async () => json(200, { ...reco(2), status: "approved" });
    mount([reco(1), reco(2), reco(3, "approved"), reco(4)]);
    rows()[1]!.focus();
    fireEvent.keyDown(rows()[1]!, { key: "a" });
    expect(document.activeElement).toBe(rows()[3]);
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(document.activeElement).toBe(rows()[3]);
  });

  it("carries on at the next row still to review after rejecting one with a reason", async () => {
    answer = async () => json(200, { ...reco(1), status: "rejected", rejectReason: "Trop cher" });
    mount([reco(1), reco(2, "rejected"), reco(3)]);
    rows()[0]!.focus();
    fireEvent.keyDown(rows()[0]!, { key: "r" });
    const reason = screen.getByLabelText("Motif") as HTMLInputElement;
    await waitFor(() => expect(document.activeElement).toBe(reason));
    fireEvent.input(reason, { target: { value: "Trop cher" } });
    fireEvent.submit(reason.form!);
    expect(statuses()).toEqual(["rejected", "rejected", "pending"]);
    expect(document.activeElement).toBe(rows()[2]);
    fireEvent.keyDown(rows()[2]!, { key: "k" });
    expect(document.activeElement).toBe(rows()[1]);
  });

  it("goes back into the table after a bulk rejection, and after leaving its form with Escape", async () => {
    mount([reco(1), reco(2), reco(3), reco(4)]);
    rows()[0]!.focus();
    fireEvent.keyDown(rows()[0]!, { key: "x" });
    fireEvent.keyDown(rows()[0]!, { key: "j" });
    fireEvent.keyDown(rows()[1]!, { key: "x" });
    fireEvent.keyDown(rows()[1]!, { key: "r" });
    const escaped = screen.getByLabelText("Motif du rejet");
    escaped.focus();
    fireEvent.keyDown(escaped, { key: "Escape" });
    expect(document.activeElement).toBe(rows()[1]);
    fireEvent.keyDown(rows()[1]!, { key: "r" });
    const reason = screen.getByLabelText("Motif du rejet") as HTMLInputElement;
    fireEvent.input(reason, { target: { value: "Hors saison" } });
    fireEvent.submit(reason.form!);
    expect(statuses()).toEqual(["rejected", "rejected", "pending", "pending"]);
    expect(document.activeElement).toBe(rows()[2]);
    await waitFor(() => expect(calls).toHaveLength(1));
  });

  it("rejects the selection with a reason", async () => {
    mount([reco(1), reco(2), reco(3)]);
    fireEvent.click(boxes()[0]!);
    fireEvent.click(boxes()[2]!);
    fireEvent.click(screen.getByRole("button", { name: "Rejeter la sélection (2)" }));
    fireEvent.input(screen.getByLabelText("Motif du rejet"), { target: { value: "Hors saison" } });
    fireEvent.click(screen.getByRole("button", { name: "Confirmer le rejet (2)" }));
    expect(statuses()).toEqual(["rejected", "pending", "rejected"]);
    await waitFor(() =>
      expect(screen.getByRole("status").textContent).toBe("2 recommandation(s) rejetée(s)."),
    );
    expect(calls[0]!.body).toEqual({
      action: "reject",
      ids: [reco(1).id, reco(3).id],
      reason: "Hors saison",
    });
  });

  it.each([
    [
      "the server is unreachable",
      () => Promise.reject(new TypeError("fetch failed")),
      "le serveur ne répond pas.",
    ],
    [
      "the server fails",
      () => Promise.resolve(json(500, { error: { code: "internal", message: "boom" } })),
      "le serveur a rencontré un problème.",
    ],
    [
      "the role may not decide",
      () => Promise.resolve(json(403, { error: { code: "auth.forbidden", message: "no" } })),
      "votre rôle ne permet pas de décider.",
    ],
  ])(
    "puts the rows and the selection back when %s, and says why in plain words",
    async (_, failure, why) => {
      answer = failure;
      const { list } = mount([reco(1), reco(2), reco(3)]);
      fireEvent.click(boxes()[0]!);
      fireEvent.click(boxes()[1]!);
      fireEvent.click(screen.getByRole("button", { name: "Approuver la sélection (2)" }));
      expect(statuses()).toEqual(["approved", "approved", "pending"]);
      await waitFor(() =>
        expect(screen.getByRole("alert").textContent).toBe(
          `L'approbation n'a pas abouti : ${why} Rien n'a changé ; réessayez.`,
        ),
      );
      expect(statuses()).toEqual(["pending", "pending", "pending"]);
      expect(list().map((r) => r.status)).toEqual(["pending", "pending", "pending"]);
      expect(checked()).toEqual([true, true, false]);
      expect(selectedCount()).toBe("2 sélectionnée(s)");
    },
  );

  it("reloads the page when the server changed fewer rows than asked", async () => {
    answer = async () => json(200, { updated: 1 });
    const table = mount([reco(1), reco(2)]);
    fireEvent.click(screen.getByLabelText("Tout sélectionner sur cette page"));
    fireEvent.click(screen.getByRole("button", { name: "Approuver la sélection (2)" }));
    await waitFor(() => expect(table.stale()).toBe(1));
  });

  it("gives a viewer neither checkboxes nor decisions, and ignores the decision keys", () => {
    mount([reco(1), reco(2)], false);
    expect(boxes()).toEqual([null, null]);
    expect(screen.queryByTestId("bulk-bar")).toBeNull();
    expect(screen.queryByRole("button")).toBeNull();
    rows()[0]!.focus();
    fireEvent.keyDown(rows()[0]!, { key: "a" });
    fireEvent.keyDown(rows()[0]!, { key: "j" });
    expect(document.activeElement).toBe(rows()[1]);
    expect(calls).toEqual([]);
  });
});
