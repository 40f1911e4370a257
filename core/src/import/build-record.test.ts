import { describe, expect, it } from "vitest";
import { resolveMapping } from "../mapping/mapping.ts";
import { buildRecord, type ColumnFormats } from "./build-record.ts";

const noFormats: ColumnFormats = { dateFormat: new Map(), decimal: new Map() };

describe("buildRecord", () => {
  const lineColumns = ["N° facture", "Date pièce", "Code client", "Article", "Qté", "PU TTC"];
  const lineFields = resolveMapping(
    {
      entity: "order_lines",
      fields: {
        document_number: "N° facture",
        order_date: "Date pièce",
        customer_external_id: "Code client",
        product_sku: "Article",
        quantity: "Qté",
        unit_price: "PU TTC",
      },
    },
    lineColumns,
  );

  it.each([
    [
      ["FA-1", "01/03/2024", "C001", "CRE-21", "6", "12,50"],
      {
        document_number: "FA-1",
        order_date: "2024-03-01",
        customer_external_id: "C001",
        product_sku: "CRE-21",
        quantity: 6,
        unit_price: 12.5,
      },
    ],
    [
      [" FA-2 ", "24/12/2023 18:30", "C  002", "PN-VV", "-1", ""],
      {
        document_number: "FA-2",
        order_date: "2023-12-24T18:30:00",
        customer_external_id: "C 002",
        product_sku: "PN-VV",
        quantity: -1,
        unit_price: null,
      },
    ],
  ])("reads the order line %j", (values, record) => {
    expect(buildRecord("order_lines", lineFields, values, [], noFormats)).toEqual({
      ok: true,
      record,
    });
  });

  it.each([
    [["", "01/03/2024", "C001", "CRE-21", "6", "1"], ["document_number:value.required"]],
    [["FA-1", "31/02/2024", "C001", "CRE-21", "6", "1"], ["order_date:value.invalid_date"]],
    [["FA-1", "01/03/2024", "C001", "CRE-21", "six", "1"], ["quantity:value.invalid_number"]],
    [
      ["FA-1", "", "", "CRE-21", "", "abc"],
      [
        "unit_price:value.invalid_number",
        "order_date:value.required",
        "customer_external_id:value.required",
        "quantity:value.required",
      ],
    ],
  ])("rejects %j with every reason", (values, codes) => {
    const built = buildRecord("order_lines", lineFields, values, [], noFormats);
    expect(built.ok).toBe(false);
    expect(!built.ok && built.reasons.map((r) => `${r.field}:${r.code}`)).toEqual(codes);
  });

  it("rejects a row with filled cells beyond the last column", () => {
    const built = buildRecord(
      "order_lines",
      lineFields,
      ["FA-1", "01/03/2024", "C001", "CRE-21", "6", "1"],
      ["oops"],
      noFormats,
    );
    expect(!built.ok && built.reasons[0]).toMatchObject({ code: "row.extra_cells" });
  });

  it("uses the column's inferred date format and decimal separator", () => {
    const formats: ColumnFormats = {
      dateFormat: new Map([[1, "mdy"]]),
      decimal: new Map([
        [4, ","],
        [5, ","],
      ]),
    };
    const built = buildRecord(
      "order_lines",
      lineFields,
      ["FA-1", "03/01/2024", "C1", "S", "1.000", "1.234"],
      [],
      formats,
    );
    expect(built).toMatchObject({
      ok: true,
      record: { order_date: "2024-03-01", quantity: 1000, unit_price: 1234 },
    });
  });

  const customerColumns = ["N° client", "Nom", "E-mail", "Type", "Optin email"];
  const customerFields = resolveMapping(
    {
      entity: "customers",
      fields: {
        external_id: "N° client",
        last_name: "Nom",
        email: "E-mail",
        kind: "Type",
        consent_email: "Optin email",
      },
    },
    customerColumns,
  );

  it.each([
    [
      ["C1", "Martin", " Jean.Martin@Example.FR ", "Caviste", "oui"],
      {
        external_id: "C1",
        last_name: "Martin",
        email: "jean.martin@example.fr",
        kind: "trade",
        trade_type: "wine_shop",
        consent_email: "opt_in",
      },
    ],
    [
      ["C2", "Blanc", "", "Particulier", "non"],
      {
        external_id: "C2",
        last_name: "Blanc",
        email: null,
        kind: "private",
        trade_type: null,
        consent_email: "opt_out",
      },
    ],
    [
      ["C3", "Roux", "", "", ""],
      { external_id: "C3", last_name: "Roux", email: null, consent_email: null },
    ],
    [
      ["C6", "Brun", "", "", "Soft opt-in"],
      { external_id: "C6", last_name: "Brun", email: null, consent_email: "soft_opt_in" },
    ],
  ])("reads the customer %j", (values, record) => {
    expect(buildRecord("customers", customerFields, values, [], noFormats)).toEqual({
      ok: true,
      record,
    });
  });

  it.each([
    [["C4", "Noir", "", "Martien", ""], "kind:value.invalid_kind"],
    [["C5", "Vert", "", "", "peut-être"], "consent_email:value.invalid_consent"],
  ])("rejects the customer %j", (values, code) => {
    const built = buildRecord("customers", customerFields, values, [], noFormats);
    expect(!built.ok && built.reasons.map((r) => `${r.field}:${r.code}`)).toEqual([code]);
  });

  const productColumns = [
    "Code article",
    "Désignation",
    "Couleur",
    "Contenance",
    "Millésime",
    "Actif",
  ];
  const productFields = resolveMapping(
    {
      entity: "products",
      fields: {
        sku: "Code article",
        name: "Désignation",
        color: "Couleur",
        size_ml: "Contenance",
        vintage: "Millésime",
        active: "Actif",
      },
    },
    productColumns,
  );

  it.each([
    [
      ["CRE-21-MAG", "Crémant 2021 Magnum", "Effervescent", "Magnum", "2021", "oui"],
      {
        sku: "CRE-21-MAG",
        name: "Crémant 2021 Magnum",
        color: "sparkling",
        size_ml: 1500,
        vintage: 2021,
        active: true,
      },
    ],
    [
      ["PN-22", "Pinot Noir", "Rouge", "75 cl", "2022", "x"],
      { sku: "PN-22", name: "Pinot Noir", color: "red", size_ml: 750, vintage: 2022, active: true },
    ],
    [
      ["VIN-ORANGE", "Macération", "Orange", "0,5 L", "", "non"],
      {
        sku: "VIN-ORANGE",
        name: "Macération",
        color: "other",
        size_ml: 500,
        vintage: null,
        active: false,
      },
    ],
  ])("reads the product %j", (values, record) => {
    expect(buildRecord("products", productFields, values, [], noFormats)).toEqual({
      ok: true,
      record,
    });
  });

  it.each([
    [["P1", "x", "", "énorme", "", ""], "size_ml:value.invalid_size"],
    [["P2", "x", "", "", "2021,5", ""], "vintage:value.invalid_integer"],
    [["P3", "x", "", "", "", "peut-être"], "active:value.invalid_boolean"],
  ])("rejects the product %j", (values, code) => {
    const built = buildRecord("products", productFields, values, [], noFormats);
    expect(!built.ok && built.reasons.map((r) => `${r.field}:${r.code}`)).toEqual([code]);
  });
});

describe("buildRecord with transformation chains", () => {
  const columns = ["Réf", "Client", "Adresse 1", "Adresse 2", "Prix TTC"];
  const fields = resolveMapping(
    {
      entity: "customers",
      fields: {
        external_id: { column: "Réf", transforms: [{ kind: "case", to: "upper" }] },
        last_name: { column: "Client", transforms: [{ kind: "split_name", part: "last_name" }] },
        first_name: { column: "Client", transforms: [{ kind: "split_name", part: "first_name" }] },
        address_line1: {
          column: "Adresse 1",
          transforms: [{ kind: "concat", columns: ["Adresse 1", "Adresse 2"], separator: ", " }],
        },
      },
    },
    columns,
  );
  const formats: ColumnFormats = { dateFormat: new Map(), decimal: new Map(), columns };

  it("applies each field's chain before reading the value", () => {
    expect(
      buildRecord(
        "customers",
        fields,
        ["c-12", "DUPONT Jean", "3 rue du Pressoir", "Bât. B", ""],
        [],
        formats,
      ),
    ).toEqual({
      ok: true,
      record: {
        external_id: "C-12",
        last_name: "Dupont",
        first_name: "Jean",
        address_line1: "3 rue du Pressoir, Bât. B",
      },
    });
  });

  it("reads a number a step produced with its decimal point, whatever the column's separator", () => {
    const priced = resolveMapping(
      {
        entity: "products",
        fields: {
          sku: "Réf",
          price_excl_tax: {
            column: "Prix TTC",
            transforms: [{ kind: "vat", direction: "exclude", rate: 0.2 }],
          },
        },
      },
      columns,
    );
    const built = buildRecord("products", priced, ["S1", "", "", "", "1 234,80"], [], {
      ...formats,
      decimal: new Map([[4, ","]]),
    });
    expect(built).toEqual({ ok: true, record: { sku: "S1", price_excl_tax: 1029 } });
  });

  it("rejects a required field whose chain cannot read it, with the step's reason", () => {
    const strict = resolveMapping(
      {
        entity: "customers",
        fields: {
          external_id: {
            column: "Réf",
            transforms: [{ kind: "lookup", table: { A: "1" }, otherwise: "issue" }],
          },
        },
      },
      columns,
    );
    const built = buildRecord("customers", strict, ["B", "", "", "", ""], [], formats);
    expect(!built.ok && built.reasons.map((r) => r.code)).toEqual(["value.lookup_missing"]);
  });
});
