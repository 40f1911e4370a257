import { cleanup, fireEvent, render, screen } from "@solidjs/testing-library";
import { createSignal } from "solid-js";
import { afterEach, describe, expect, it } from "vitest";
import type { Transformation } from "../../lib/api.ts";
import { setLocale } from "../../lib/i18n.ts";
import { TransformChain } from "./transform-chain.tsx";
import { catalogue } from "./test-fixtures.ts";

function renderChain(initial: Transformation[], readOnly = false) {
  const [steps, setSteps] = createSignal(initial);
  render(() => (
    <TransformChain
      field="E-mail"
      column="Courriel"
      steps={steps()}
      catalogue={catalogue}
      columns={["Courriel", "Nom"]}
      readOnly={readOnly}
      onChange={setSteps}
    />
  ));
  return steps;
}
const shown = () =>
  screen
    .queryAllByTestId("transform-step")
    .map((li) => li.querySelector(".step-name")!.textContent);
const add = (label: string) => {
  fireEvent.change(screen.getByLabelText("Transformation à ajouter à « E-mail »"), {
    target: { value: catalogue.find((c) => c.label.fr === label)!.kind },
  });
  fireEvent.click(screen.getByRole("button", { name: "Ajouter" }));
};

describe("TransformChain", () => {
  afterEach(() => {
    cleanup();
    setLocale("fr");
  });

  it("adds steps in order, with their parameters set to the usual choice", () => {
    const steps = renderChain([]);
    expect(shown()).toEqual([]);
    add("Supprimer les espaces superflus");
    add("Majuscules / minuscules / Nom Propre");
    expect(steps()).toEqual([{ kind: "trim" }, { kind: "case", to: "upper" }]);
    expect(shown()).toEqual([
      "Supprimer les espaces superflus",
      "Majuscules / minuscules / Nom Propre",
    ]);
    fireEvent.change(screen.getByLabelText("Casse"), { target: { value: "title" } });
    expect(steps()[1]).toEqual({ kind: "case", to: "title" });
  });

  it("moves a step up and down, and removes one", () => {
    const steps = renderChain([{ kind: "trim" }, { kind: "email" }, { kind: "case", to: "lower" }]);
    expect(
      (
        screen.getByRole("button", {
          name: "Monter « Supprimer les espaces superflus »",
        }) as HTMLButtonElement
      ).disabled,
    ).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Monter « Normaliser l'e-mail »" }));
    expect(steps().map((s) => s.kind)).toEqual(["email", "trim", "case"]);
    fireEvent.click(
      screen.getByRole("button", { name: "Descendre « Supprimer les espaces superflus »" }),
    );
    expect(steps().map((s) => s.kind)).toEqual(["email", "case", "trim"]);
    fireEvent.click(screen.getByRole("button", { name: "Retirer « Normaliser l'e-mail »" }));
    expect(steps()).toEqual([{ kind: "case", to: "lower" }, { kind: "trim" }]);
    expect(shown()).toEqual([
      "Majuscules / minuscules / Nom Propre",
      "Supprimer les espaces superflus",
    ]);
  });

  it("shows a read-only chain without buttons", () => {
    renderChain([{ kind: "trim" }], true);
    expect(shown()).toEqual(["Supprimer les espaces superflus"]);
    expect(screen.queryAllByRole("button")).toHaveLength(0);
  });
});
