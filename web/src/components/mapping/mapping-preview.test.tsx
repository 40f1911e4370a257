import { cleanup, render, screen, within } from "@solidjs/testing-library";
import { afterEach, describe, expect, it } from "vitest";
import type { MappingPreview as Preview } from "../../lib/api.ts";
import { setLocale } from "../../lib/i18n.ts";
import { MappingPreview } from "./mapping-preview.tsx";
import { previewScored } from "./test-fixtures.ts";

const refs = {
  external_id: { column: "N° client", transforms: [] },
  email: { column: "Courriel", transforms: [] },
  postal_code: { column: "CP", transforms: [] },
};
const labels: Record<string, string> = {
  external_id: "Code client",
  email: "E-mail",
  postal_code: "Code postal",
};

function renderPreview(preview: Preview) {
  render(() => (
    <MappingPreview
      preview={preview}
      fieldKeys={["external_id", "email", "postal_code"]}
      refs={refs}
      labelOf={(k) => labels[k]!}
      pending={false}
      message={null}
    />
  ));
}
const cell = (row: number, field: string) => {
  const rows = screen.getAllByTestId("preview-row");
  return rows[row]!.querySelector(`[data-field="${field}"]`) as HTMLElement;
};

describe("MappingPreview", () => {
  afterEach(() => {
    cleanup();
    setLocale("fr");
  });

  it("shows each value read beside its normalised value, and explains a cell's issue", () => {
    const preview = previewScored(80);
    preview.rows[1]!.issues.push({
      code: "postal_code.invalid",
      severity: "medium",
      field: "postal_code",
      value: "6800",
      message: { fr: "Code postal invalide : 6800", en: "Invalid postal code: 6800" },
    });
    renderPreview(preview);
    expect(cell(0, "email").textContent).toBe("anne@exemple.fr → anne@exemple.fr");
    expect(cell(0, "email").className).toBe("");
    expect(cell(0, "postal_code").textContent).toBe("68000 → vide");
    expect(cell(1, "email").className).toBe("cell-issue severity-high");
    expect(within(cell(1, "email")).getByText("E-mail invalide : paul@")).toBeTruthy();
    expect(cell(1, "postal_code").className).toBe("cell-issue severity-medium");
    expect(cell(1, "external_id").className).toBe("");
    setLocale("en");
    expect(within(cell(1, "email")).getByText("Invalid e-mail: paul@")).toBeTruthy();
  });

  it("marks a rejected row and says why in words, beside the cell at fault", () => {
    const preview = previewScored(40);
    preview.rows[1] = {
      ...preview.rows[1]!,
      raw: { ...preview.rows[1]!.raw, "N° client": "" },
      normalized: null,
      rejected: [{ field: "external_id", code: "value.required", message: "Customer ID: missing" }],
      issues: [],
    };
    renderPreview(preview);
    const row = screen.getAllByTestId("preview-row")[1]!;
    expect(row.classList.contains("rejected")).toBe(true);
    expect(within(row).getByText("Ligne non importée")).toBeTruthy();
    expect(cell(1, "external_id").className).toBe("cell-issue severity-critical");
    expect(cell(1, "external_id").textContent).toContain("Valeur obligatoire manquante.");
    expect(cell(1, "email").textContent).toBe("paul@ → vide");
  });

  it("puts row-wide problems in the last column", () => {
    const preview = previewScored(70);
    preview.rows[0]!.issues.push({
      code: "customer.no_contact",
      severity: "low",
      field: null,
      value: null,
      message: { fr: "Client sans e-mail ni téléphone", en: "No contact" },
    });
    renderPreview(preview);
    const cells = screen.getAllByTestId("preview-row")[0]!.querySelectorAll("td");
    expect(cells[cells.length - 1]!.textContent).toBe("Client sans e-mail ni téléphone");
  });

  describe("a field the normalisation turns into others", () => {
    const customerLabels: Record<string, string> = {
      full_name: "Nom complet",
      mobile: "Portable",
      civility: "Civilité",
      first_name: "Prénom",
      last_name: "Nom",
      phone: "Téléphone",
    };
    // What /api/mappings/preview answers for "Mme Élodie MARTIN" and "06 12 34 56 78".
    const row = (normalized: Record<string, unknown>) => ({
      line: 2,
      raw: { Nom: "Mme Élodie MARTIN", "Prénom ": "", Portable: "06 12 34 56 78" },
      normalized,
      rejected: [],
      issues: [],
    });
    function renderCustomers(rows: Preview["rows"], fieldKeys = ["full_name", "mobile"]) {
      render(() => (
        <MappingPreview
          preview={{ ...previewScored(80), rows }}
          fieldKeys={fieldKeys}
          refs={{
            full_name: { column: "Nom", transforms: [] },
            first_name: { column: "Prénom ", transforms: [] },
            mobile: { column: "Portable", transforms: [] },
          }}
          labelOf={(k) => customerLabels[k]!}
          pending={false}
          message={null}
        />
      ));
    }
    const split = { civility: "Mme", first_name: "Élodie", last_name: "Martin" };

    it("shows what a full name became rather than calling it empty", () => {
      renderCustomers([row({ ...split, mobile: "+33612345678", phone: "+33612345678" })]);
      expect(cell(0, "full_name").textContent).toBe(
        "Mme Élodie MARTIN → Civilité : Mme · Prénom : Élodie · Nom : Martin",
      );
      expect(cell(0, "full_name").querySelector(".no-value")).toBeNull();
      expect(cell(0, "mobile").textContent).toBe("06 12 34 56 78 → +33612345678");
      setLocale("en");
      expect(cell(0, "full_name").textContent).toBe(
        "Mme Élodie MARTIN → Civilité: Mme · Prénom: Élodie · Nom: Martin",
      );
    });

    it("leaves out a part that has a column of its own, which shows it", () => {
      // The first name's cell is empty, so the full name is split, and its column shows the result.
      renderCustomers([row(split)], ["full_name", "first_name"]);
      expect(cell(0, "full_name").textContent).toBe(
        "Mme Élodie MARTIN → Civilité : Mme · Nom : Martin",
      );
      expect(cell(0, "first_name").textContent).toBe("∅ → Élodie");
    });
  });

  it("names a customer's type and consent as the customer pages do, not by their codes", () => {
    render(() => (
      <MappingPreview
        preview={{
          ...previewScored(80),
          rows: [
            {
              line: 2,
              raw: { Catégorie: "Professionnel", Newsletter: "STOP" },
              normalized: { kind: "trade", consent_email: "opt_out" },
              rejected: [],
              issues: [],
            },
          ],
        }}
        fieldKeys={["kind", "consent_email"]}
        refs={{
          kind: { column: "Catégorie", transforms: [] },
          consent_email: { column: "Newsletter", transforms: [] },
        }}
        labelOf={(k) => k}
        pending={false}
        message={null}
      />
    ));
    expect(cell(0, "kind").textContent).toBe("Professionnel → Professionnel");
    expect(cell(0, "consent_email").textContent).toBe("STOP → Refuse");
    setLocale("en");
    expect(cell(0, "consent_email").textContent).toBe("STOP → Opted out");
  });
});
