import { describe, expect, it } from "vitest";
import type { TableRow } from "../read/table.ts";
import { previewImport } from "./preview.ts";

const row = (line: number, values: string[]): TableRow => ({
  line,
  values,
  extra: [],
  cells: values,
});

describe("previewImport", () => {
  const columns = ["N° client", "Nom", "E-mail", "CP"];
  const rows = [
    row(2, ["C1", "Martin", "Jean@Example.fr", "1000"]),
    row(3, ["", "Blanc", "b@", "68000"]),
    row(4, ["C3", "Roux", "r@", "ABC"]),
  ];
  const mapping = {
    entity: "customers" as const,
    fields: { external_id: "N° client", last_name: "Nom", email: "E-mail", postal_code: "CP" },
  };

  it("shows each row raw and normalised, with its issues, without writing anything", () => {
    const preview = previewImport("customers", columns, rows, mapping, "2026-11-25");
    expect(preview.rows[0]).toMatchObject({
      line: 2,
      raw: { "N° client": "C1", Nom: "Martin", "E-mail": "Jean@Example.fr", CP: "1000" },
      normalized: {
        external_id: "C1",
        last_name: "Martin",
        email: "jean@example.fr",
        postal_code: "01000",
      },
      rejected: [],
      issues: [],
    });
    expect(preview.rows[1]).toMatchObject({
      normalized: null,
      rejected: [{ field: "external_id", code: "value.required" }],
    });
    expect(preview.rows[2]!.issues.map((i) => `${i.field}:${i.code}`)).toEqual([
      "email:email.invalid",
      "postal_code:postal_code.invalid",
    ]);
    expect(preview.anomalies).toEqual({ critical: 1, high: 1, medium: 1, low: 0 });
    expect(preview.quality.rows).toBe(3);
    expect(preview.quality.score).toBeGreaterThan(0);
  });

  it("scores a better mapping higher", () => {
    const good = previewImport("customers", columns, rows, mapping, "2026-11-25").quality.score;
    const unsure = previewImport("customers", columns, rows, mapping, "2026-11-25", {
      external_id: 0.8,
      email: 0.8,
    }).quality.score;
    expect(unsure).toBeLessThan(good);
  });

  it("judges a customer on every useful field, the file only on the fields it has", () => {
    // An order file's buyers: a number and a postal code, no name, e-mail or town.
    const thin = previewImport(
      "customers",
      ["Customer ID", "Zip Code"],
      [row(2, ["5000", "95476"])],
      { entity: "customers", fields: { external_id: "Customer ID", postal_code: "Zip Code" } },
      "2026-11-25",
    );
    // Required and mapped fields all there: the file holds what it claims.
    expect(thin.quality.completeness).toBe(1);
    // The customer lacks three of the four useful fields: ½ + ½ × ¼ complete, valid, consistent.
    expect(thin.rows[0]!.normalized!.quality_score).toBe(85);
    const full = previewImport("customers", columns, rows.slice(0, 1), mapping, "2026-11-25");
    expect(full.rows[0]!.normalized!.quality_score).toBeGreaterThan(85);
  });
});
