import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { MappingFields, MappingVersion } from "../../lib/api.ts";
import { setLocale } from "../../lib/i18n.ts";
import { MappingEditor } from "./mapping-editor.tsx";
import {
  catalogue,
  customerFields,
  jsonResponse,
  previewScored,
  sample,
  suggestion,
} from "./test-fixtures.ts";

interface Sent {
  path: string;
  body: { fields?: MappingFields } & Record<string, unknown>;
  answer: (body: unknown, status?: number) => void;
}

/** The network boundary: each request waits until the test answers it. */
let sent: Sent[];
const requests = (path: string) => sent.filter((r) => r.path === path);

function renderEditor(onSaved: (v: MappingVersion) => void = () => {}) {
  render(() => (
    <MappingEditor
      sourceId="source-1"
      sample={sample}
      suggestion={suggestion}
      initial={suggestion.mapping.fields}
      fields={customerFields}
      catalogue={catalogue}
      readOnly={false}
      debounceMs={5}
      onSaved={onSaved}
    />
  ));
}
const answerValidation = (valid = true) => {
  for (const r of requests("/api/mappings/validate")) r.answer({ valid, errors: [] });
};

describe("MappingEditor", () => {
  beforeEach(() => {
    setLocale("fr");
    sent = [];
    vi.stubGlobal(
      "fetch",
      (path: string, init: RequestInit) =>
        new Promise<Response>((resolve) =>
          sent.push({
            path,
            body: JSON.parse(String(init.body ?? "{}")),
            answer: (body, status = 200) => resolve(jsonResponse(body, status)),
          }),
        ),
    );
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("previews again when a field changes, and drops the answer to the older state", async () => {
    renderEditor();
    await waitFor(() => expect(requests("/api/mappings/preview")).toHaveLength(1));
    expect(requests("/api/mappings/preview")[0]!.body.fields).toEqual(suggestion.mapping.fields);

    fireEvent.change(screen.getByLabelText("Champ pour la colonne « Nom »"), {
      target: { value: "" },
    });
    await waitFor(() => expect(requests("/api/mappings/preview")).toHaveLength(2));
    const [first, second] = requests("/api/mappings/preview");
    expect(second!.body.fields).toEqual({
      external_id: "N° client",
      email: "Courriel",
      postal_code: "CP",
    });
    answerValidation();
    second!.answer(previewScored(81));
    await waitFor(() => expect(screen.getByTestId("quality-score").textContent).toBe("81/100"));
    first!.answer(previewScored(12));
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.getByTestId("quality-score").textContent).toBe("81/100");
    // The preview shows the fields now mapped: no "Nom" column any more.
    expect(screen.getAllByRole("columnheader").map((h) => h.firstChild!.textContent)).toEqual([
      "Ligne",
      "Code client",
      "E-mail",
      "Code postal",
      "Problèmes de la ligne",
    ]);
  });

  it("shows a validation error beside the field at fault and refuses to save", async () => {
    renderEditor();
    await waitFor(() => expect(requests("/api/mappings/validate")).toHaveLength(1));
    requests("/api/mappings/validate")[0]!.answer({
      valid: false,
      errors: [{ code: "mapping.unknown_column", message: "x", fields: ["email"] }],
    });
    requests("/api/mappings/preview")[0]!.answer(
      { error: { code: "mapping.unknown_column", message: "x" } },
      400,
    );
    const select = screen.getByLabelText("Champ pour la colonne « Courriel »");
    await waitFor(() => expect(select.getAttribute("aria-invalid")).toBe("true"));
    const describedBy = document.getElementById(select.getAttribute("aria-describedby")!)!;
    expect(describedBy.textContent).toBe(
      "La colonne prévue pour « E-mail » n'existe pas dans ce fichier.",
    );
    expect(
      (
        screen.getByRole("button", {
          name: "Enregistrer une nouvelle version",
        }) as HTMLButtonElement
      ).disabled,
    ).toBe(true);
    expect(
      screen.getByText("L'aperçu reprendra dès que la correspondance sera complète."),
    ).toBeTruthy();
  });

  it("saves the edited mapping, transformations included, as a new version", async () => {
    const saved: MappingVersion[] = [];
    renderEditor((v) => saved.push(v));
    fireEvent.change(screen.getByLabelText("Transformation à ajouter à « E-mail »"), {
      target: { value: "trim" },
    });
    fireEvent.click(screen.getAllByRole("button", { name: "Ajouter" })[2]!);
    fireEvent.change(screen.getByLabelText("Champ pour la colonne « CP »"), {
      target: { value: "" },
    });
    await waitFor(() => expect(requests("/api/mappings/validate").length).toBeGreaterThan(0));
    answerValidation();
    const last = requests("/api/mappings/preview").at(-1)!;
    last.answer(previewScored(77));
    const button = screen.getByRole("button", { name: "Enregistrer une nouvelle version" });
    await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(button);
    await waitFor(() => expect(requests("/api/mappings")).toHaveLength(1));
    const request = requests("/api/mappings")[0]!;
    expect(request.body).toEqual({
      sourceId: "source-1",
      entity: "customers",
      columns: sample.columns,
      fields: {
        external_id: "N° client",
        last_name: "Nom",
        email: { column: "Courriel", transforms: [{ kind: "trim" }] },
      },
    });
    const version: MappingVersion = {
      id: "m-2",
      sourceId: "source-1",
      entity: "customers",
      version: 2,
      fields: request.body.fields!,
      qualityScore: null,
      createdAt: "2026-12-01T10:00:00Z",
      createdBy: "vente@domaine.fr",
    };
    request.answer(version, 201);
    await waitFor(() => expect(screen.getByText("Version 2 enregistrée.")).toBeTruthy());
    expect(saved).toEqual([version]);
  });
});
