import { cleanup, fireEvent, render, screen } from "@solidjs/testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { setLocale } from "../../lib/i18n.ts";
import { ColumnRow } from "./column-row.tsx";
import { catalogue, customerFields, suggestion } from "./test-fixtures.ts";

const renderRow = (
  column: string,
  type: string,
  assigned: string[],
  onAssign: (previous: string | null, next: string | null) => void = () => {},
) =>
  render(() => (
    <ColumnRow
      column={column}
      type={type}
      samples={["a", "b"]}
      suggestion={suggestion.suggestions.find((s) => s.column === column)}
      fields={customerFields}
      assigned={assigned}
      refs={Object.fromEntries(assigned.map((k) => [k, { column, transforms: [] }]))}
      errors={{}}
      catalogue={catalogue}
      columns={[column]}
      readOnly={false}
      onAssign={onAssign}
      onSteps={() => {}}
    />
  ));

const options = (column: string) =>
  [
    ...(screen.getByLabelText(`Champ pour la colonne « ${column} »`) as HTMLSelectElement).options,
  ].map((o) => o.value);

describe("ColumnRow", () => {
  afterEach(() => {
    cleanup();
    setLocale("fr");
  });

  it.each([
    ["email", ["", "external_id", "last_name", "email"]],
    ["date", ["", "external_id", "last_name", "created_on"]],
    ["postal_code", ["", "external_id", "last_name", "postal_code"]],
    ["number", ["", "external_id", "last_name", "phone", "postal_code", "created_on"]],
    ["text", ["", "external_id", "last_name", "email", "phone", "postal_code"]],
  ])("offers a column of type %s only the fields that take it, and ignore", (type, expected) => {
    renderRow("Colonne", type, []);
    expect(options("Colonne")).toEqual(expected);
  });

  it("keeps a field already chosen for the column in the list, marked as another type", () => {
    renderRow("Colonne", "date", ["email"]);
    const select = screen.getByLabelText("Champ pour la colonne « Colonne »") as HTMLSelectElement;
    expect(select.value).toBe("email");
    expect(select.selectedOptions[0]!.textContent).toBe("E-mail (type différent de la colonne)");
  });

  it("shows the confidence as a percentage and flags a low one", () => {
    renderRow("CP", "postal_code", ["postal_code"]);
    const confidence = screen.getByTestId("confidence");
    expect(confidence.textContent).toMatch(
      /Suggestion : Code postal · confiance 82\s% \(nom proche\)/,
    );
    expect(confidence.textContent).toContain("Confiance faible : vérifiez ce choix.");
    expect(screen.getByTestId("column-row").classList.contains("low-confidence")).toBe(true);
    cleanup();
    renderRow("Courriel", "email", ["email"]);
    expect(screen.getByTestId("confidence").textContent).not.toContain("Confiance faible");
    expect(screen.getByTestId("column-row").classList.contains("low-confidence")).toBe(false);
  });

  it("reports the field picked instead of the current one, and ignore as null", () => {
    const calls: Array<[string | null, string | null]> = [];
    renderRow("Courriel", "email", ["email"], (p, n) => calls.push([p, n]));
    const select = screen.getByLabelText("Champ pour la colonne « Courriel »");
    fireEvent.change(select, { target: { value: "last_name" } });
    fireEvent.change(select, { target: { value: "" } });
    expect(calls).toEqual([
      ["email", "last_name"],
      ["email", null],
    ]);
  });
});
