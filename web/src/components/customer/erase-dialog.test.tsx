import { cleanup, fireEvent, render, screen } from "@solidjs/testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "../../lib/api.ts";
import { confirmsCustomer, EraseDialog } from "./erase-dialog.tsx";

describe("EraseDialog", () => {
  afterEach(cleanup);

  const open = (onConfirm: () => Promise<void>) => {
    let cancelled = 0;
    render(() => (
      <EraseDialog
        name="Anne Martin"
        code="C0042"
        onConfirm={onConfirm}
        onCancel={() => cancelled++}
      />
    ));
    return {
      input: screen.getByLabelText(/Pour confirmer, tapez son nom ou son n° client/),
      button: screen.getByRole("button", { name: "Effacer définitivement" }),
      cancelled: () => cancelled,
    };
  };

  it("keeps the button disabled until the customer's name or code is typed", async () => {
    let erased = 0;
    const { input, button } = open(async () => {
      erased++;
    });
    expect(document.activeElement).toBe(input);
    expect(button).toHaveProperty("disabled", true);
    for (const wrong of ["", "Anne", "Anne Martine", "C004"]) {
      fireEvent.input(input, { target: { value: wrong } });
      expect(button, wrong).toHaveProperty("disabled", true);
    }
    fireEvent.click(button);
    expect(erased).toBe(0);
    fireEvent.input(input, { target: { value: "  anne   MARTIN " } });
    expect(button).toHaveProperty("disabled", false);
    fireEvent.input(input, { target: { value: "c0042" } });
    expect(button).toHaveProperty("disabled", false);
    fireEvent.click(button);
    await Promise.resolve();
    expect(erased).toBe(1);
  });

  it("says why it failed and erases nothing, and Escape closes it", async () => {
    const { input, button, cancelled } = open(async () => {
      throw new ApiError(403, "auth.forbidden", "Admins only.");
    });
    fireEvent.input(input, { target: { value: "C0042" } });
    fireEvent.click(button);
    expect((await screen.findByRole("alert")).textContent).toBe(
      "L'effacement n'a pas abouti, rien n'a été supprimé : votre rôle ne le permet pas.",
    );
    fireEvent.keyDown(input, { key: "Escape" });
    expect(cancelled()).toBe(1);
  });

  it.each([
    ["Anne Martin", "Anne Martin", "C1", true],
    ["c1", "Anne Martin", "C1", true],
    ["", "", null, false],
    ["  ", "Anne Martin", null, false],
    ["Martin", "Anne Martin", "C1", false],
  ])("confirmsCustomer(%j, %j, %j) is %s", (typed, name, code, expected) => {
    expect(confirmsCustomer(typed, name, code)).toBe(expected);
  });
});
