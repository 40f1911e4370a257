import { describe, expect, it } from "vitest";
import { anomalyCatalogue, anomalyGroupLabel } from "./anomaly-catalogue.ts";
import { checkRecord } from "./check-record.ts";
import { normalizeRecord } from "./normalize-record.ts";
import {
  addRecordQuality,
  addRejectedRow,
  emptyQualityState,
  mappingConfidenceOf,
  qualityOf,
  scoreRecord,
} from "./score.ts";

const codes = (list: Array<{ code: string; field: string | null }>) =>
  list.map((a) => `${a.code}${a.field ? `:${a.field}` : ""}`);

describe("normalizeRecord", () => {
  it.each([
    [
      {
        external_id: "C1",
        email: " Jean@Example.FR",
        phone: "06 12 34 56 78",
        postal_code: "1000",
        country: "France",
      },
      { email: "jean@example.fr", phone: "+33612345678", postal_code: "01000", country: "FR" },
      [],
    ],
    [
      { external_id: "C2", email: "jean@", phone: "12", postal_code: "ABC", country: "Narnia" },
      { email: "jean@", phone: "12", postal_code: "ABC", country: "Narnia" },
      [
        "email.invalid:email",
        "country.unknown:country",
        "phone.invalid:phone",
        "postal_code.invalid:postal_code",
      ],
    ],
    [
      { external_id: "C3", full_name: "M. DUPONT Jean", mobile: "0612345678" },
      {
        last_name: "Dupont",
        first_name: "Jean",
        civility: "M.",
        phone: "+33612345678",
        mobile: "+33612345678",
      },
      [],
    ],
    [{ external_id: "C4", last_name: "Roux" }, { last_name: "Roux" }, ["customer.no_contact"]],
    [
      { external_id: "C5", postal_code: "SW1A 1AA", country: "Royaume-Uni", email: "a@b.co.uk" },
      { postal_code: "SW1A 1AA", country: "GB" },
      [],
    ],
  ])("customer %j", (input, expected, anomalies) => {
    const out = normalizeRecord("customers", input);
    expect(out.record).toMatchObject(expected);
    expect(out.record).not.toHaveProperty("full_name");
    expect(codes(out.anomalies)).toEqual(anomalies);
  });

  it.each([
    [{ phone: "12", mobile: "06 12 34 56 78" }, "+33612345678"], // an unreadable landline
    [{ phone: "03 89 41 23 45", mobile: "06 12 34 56 78" }, "+33389412345"], // the landline first
    [{ phone: "12", mobile: "34" }, "12"], // neither: kept as written, for staff
    [{ mobile: "079 123 45 67", country: "Suisse" }, "+41791234567"], // the customer's country
    [{ mobile: "079 123 45 67" }, "+33791234567"], // no country: the estate's, France
  ])("keeps the number that can be read: %j → %s", (fields, phone) => {
    expect(normalizeRecord("customers", { external_id: "C7", ...fields }).record.phone).toBe(phone);
  });

  it.each([
    [{ company: "EARL Dupont" }, "trade"],
    [{ company: "Cave Weber SARL" }, "trade"],
    [{ company: "Cave Weber" }, undefined],
    [{ company: "EARL Dupont", kind: "private" }, "private"],
  ])(
    "a company's legal form makes a trade customer when the file does not say: %j",
    (fields, kind) => {
      expect(normalizeRecord("customers", { external_id: "C9", ...fields }).record.kind).toBe(kind);
    },
  );

  it("keeps the mobile beside the landline", () => {
    const { record } = normalizeRecord("customers", {
      external_id: "C8",
      phone: "03 89 41 23 45",
      mobile: "06.12.34.56.78",
    });
    expect([record.phone, record.mobile]).toEqual(["+33389412345", "+33612345678"]);
  });

  it("keeps an invalid e-mail as written and tells staff what it most likely meant", () => {
    const { record, anomalies } = normalizeRecord("customers", {
      external_id: "C6",
      email: "julien.fischmann@@gmail.com",
    });
    expect(record.email).toBe("julien.fischmann@@gmail.com");
    expect(anomalies[0]!.message).toEqual({
      fr: "E-mail invalide : julien.fischmann@@gmail.com (sans doute julien.fischmann@gmail.com)",
      en: "Invalid e-mail: julien.fischmann@@gmail.com (probably julien.fischmann@gmail.com)",
    });
  });

  it.each([
    ["Jean@Dupont.fr; marie@dupont.fr", "jean@dupont.fr", "jean@dupont.fr, marie@dupont.fr"],
    ["Jean <jean@x.fr>, Marie <marie@y.fr>", "jean@x.fr", "jean@x.fr, marie@y.fr"],
    ["jean@x.fr / marie@x.fr / cave@x.fr", "jean@x.fr", "jean@x.fr, marie@x.fr, cave@x.fr"],
  ])("mails the first of several e-mails and reports them all: %j", (email, first, all) => {
    const { record, anomalies } = normalizeRecord("customers", { external_id: "C8", email });
    expect(record.email).toBe(first);
    expect(codes(anomalies)).toEqual(["email.several:email"]);
    expect(anomalies[0]!.value).toBe(all);
    expect(anomalies[0]!.severity).toBe("low");
  });

  it.each([
    ["jean@x.fr; jean@", "email.invalid:email"], // one of them is not an address
    ["jean@x.fr, JEAN@x.fr", null], // twice the same address: it, with nothing to report
  ])("reads %j whole", (email, code) => {
    const { record, anomalies } = normalizeRecord("customers", { external_id: "C9", email });
    expect(codes(anomalies)).toEqual(code ? [code] : []);
    expect(record.email).toBe(code ? email.toLowerCase() : "jean@x.fr");
  });

  it("reads a wine's vintage and bottle size from its label when no column gives them", () => {
    expect(
      normalizeRecord("products", { sku: "CRE-21-MAG", name: "Crémant d'Alsace Brut 2021 Magnum" })
        .record,
    ).toMatchObject({ vintage: 2021, size_ml: 1500 });
    expect(
      normalizeRecord("products", {
        sku: "X",
        name: "Crémant 2021 Magnum",
        vintage: 2020,
        size_ml: 750,
      }).record,
    ).toMatchObject({ vintage: 2020, size_ml: 750 });
  });
});

describe("checkRecord", () => {
  const today = "2026-11-25";
  const line = {
    document_number: "FA-1",
    order_date: "2026-03-01",
    customer_external_id: "C1",
    product_sku: "S",
    quantity: 6,
    unit_price: 12.5,
    total: 75,
  };
  const mapped = new Set(Object.keys(line));

  it.each([
    [line, []],
    [{ ...line, order_date: "2027-01-02" }, ["date.future:order_date"]],
    [{ ...line, quantity: -1, total: -12.5 }, ["order_line.negative_quantity:quantity"]],
    [{ ...line, document_number: "AV-0003", quantity: -1, total: -12.5 }, []],
    [{ ...line, total: 80 }, ["order_line.total_mismatch:total"]],
    [{ ...line, total: 75.03 }, []],
    [{ ...line, unit_price: null }, ["field.missing:unit_price"]],
  ])("order line %j", (record, expected) => {
    expect(codes(checkRecord("order_lines", record, mapped, today))).toEqual(expected);
  });

  it.each([
    [{ sku: "S", price_incl_tax: 12, price_excl_tax: 10 }, []],
    [{ sku: "S", price_incl_tax: 12, price_excl_tax: 12 }, ["price.vat_mismatch:price_incl_tax"]],
  ])("checks VAT coherence of %j", (product, expected) => {
    expect(
      codes(checkRecord("products", product, new Set(Object.keys(product)), "2026-11-25")),
    ).toEqual(expected);
  });

  it("reports a vintage in the future, and empty useful fields only when the file has their column", () => {
    const product = { sku: "S", name: "Pinot Noir", vintage: 2027, color: null };
    expect(
      codes(
        checkRecord(
          "products",
          product,
          new Set(["sku", "name", "vintage", "color"]),
          "2026-11-25",
        ),
      ),
    ).toEqual(["field.missing:color", "vintage.future:vintage"]);
    expect(
      codes(
        checkRecord(
          "products",
          { ...product, vintage: 2024 },
          new Set(["sku", "name", "vintage"]),
          "2026-11-25",
        ),
      ),
    ).toEqual([]);
  });

  it.each([
    ["Frais de port", "PORT"],
    ["Caisse bois 6 bouteilles", "CAISSE6"],
  ])("asks no colour, appellation, vintage or size of %j, which is no wine", (name, sku) => {
    const mapped = new Set(["sku", "name", "color", "appellation", "vintage", "size_ml"]);
    const item = { sku, name, color: null, appellation: null, vintage: null, size_ml: null };
    expect(checkRecord("products", item, mapped, "2026-11-25")).toEqual([]);
    expect(scoreRecord("products", item, [], mapped).score).toBe(100);
    expect(
      codes(checkRecord("products", { ...item, name: "Riesling" }, mapped, "2026-11-25")),
    ).toEqual([
      "field.missing:color",
      "field.missing:appellation",
      "field.missing:vintage",
      "field.missing:size_ml",
    ]);
  });

  it.each([
    "Crémant d'Alsace Brut",
    "Champagne Réserve",
    "Pinot Noir NV",
    "Pétillant non millésimé",
  ])("asks no vintage of %j, a wine of blended years", (name) => {
    const mapped = new Set(["sku", "name", "vintage", "color"]);
    const wine = { sku: "CR", name, vintage: null, color: "white" };
    expect(checkRecord("products", wine, mapped, "2026-11-25")).toEqual([]);
  });
});

describe("postal code and town", () => {
  const towns: Record<string, string[]> = {
    "68000": ["Colmar", "COLMAR"],
    "21200": ["Beaune", "BEAUNE", "Vignoles", "VIGNOLES"],
    "33330": ["Saint-Émilion", "ST EMILION"],
  };
  const check = { postalTowns: (code: string) => towns[code] ?? [] };
  const mapped = new Set(["external_id", "postal_code", "city"]);

  it.each([
    [{ postal_code: "68000", city: "Colmar" }, []],
    [{ postal_code: "68000", city: "COLMAR CEDEX" }, []],
    [{ postal_code: "21200", city: "vignoles" }, []],
    [{ postal_code: "33330", city: "St Emilion" }, []],
    [{ postal_code: "68000", city: "Strasbourg" }, ["postal_code.city_mismatch:city"]],
    [{ postal_code: "99999", city: "Nulle-Part" }, ["postal_code.unknown:postal_code"]],
    [{ postal_code: "68000", city: "Strasbourg", country: "DE" }, []],
  ])("%j", (fields, expected) => {
    const record = { external_id: "C1", email: "a@b.fr", ...fields };
    expect(codes(checkRecord("customers", record, mapped, "2026-11-25", check))).toEqual(expected);
  });
});

describe("quality score", () => {
  const mapped = new Set(["external_id", "last_name", "email", "postal_code", "city"]);

  it.each([
    [
      {
        external_id: "C1",
        last_name: "Martin",
        email: "a@b.fr",
        postal_code: "68000",
        city: "Colmar",
      },
      [],
      100,
    ],
    [
      { external_id: "C1", last_name: "Martin", email: null, postal_code: "68000", city: "Colmar" },
      [],
      95,
    ],
    [{ external_id: "C1", last_name: null, email: null, postal_code: null, city: null }, [], 80],
  ])("scores %j as %d", (record, anomalies, score) => {
    expect(scoreRecord("customers", record, anomalies, mapped).score).toBe(score);
  });

  it("lowers validity for each field an anomaly says is wrong", () => {
    const record = {
      external_id: "C1",
      last_name: "Martin",
      email: "a@",
      postal_code: "68000",
      city: "Colmar",
    };
    const quality = scoreRecord(
      "customers",
      record,
      [
        {
          code: "email.invalid",
          severity: "high",
          field: "email",
          value: "a@",
          message: { fr: "", en: "" },
        },
      ],
      mapped,
    );
    expect(quality.validity).toBeCloseTo(0.8);
    expect(quality.score).toBe(93);
  });

  it("counts rejected rows as 0 and repeated keys against uniqueness", () => {
    const state = emptyQualityState();
    const perfect = { score: 100, completeness: 1, validity: 1, consistency: 1 };
    addRecordQuality(state, perfect, false);
    addRecordQuality(state, perfect, true);
    addRejectedRow(state);
    addRecordQuality(state, perfect, false);
    const q = qualityOf(state, 1);
    expect(q).toMatchObject({
      rows: 4,
      rejectedShare: 0.25,
      uniqueness: 0.75,
      mappingConfidence: 1,
    });
    expect(q.score).toBe(Math.round((0.75 * 75 + 15 * 0.75 + 10) * 10) / 10);
  });

  it("weighs the mapping's confidence over required and mapped fields", () => {
    expect(mappingConfidenceOf("customers", { external_id: 1, email: 0.8 })).toBeCloseTo(0.9);
    expect(mappingConfidenceOf("customers", { email: 1 })).toBeCloseTo(0.5);
  });
});

describe("anomaly catalogue", () => {
  it("has a severity and both languages for every code", () => {
    for (const [code, kind] of Object.entries(anomalyCatalogue)) {
      expect(["critical", "high", "medium", "low"], code).toContain(kind.severity);
      expect(kind.fr.length, code).toBeGreaterThan(5);
      expect(kind.en.length, code).toBeGreaterThan(5);
    }
  });
});

describe("anomalyGroupLabel", () => {
  it.each([
    ["phone.invalid", "phone", "Numéro de téléphone non valide", "Phone number not valid"],
    [
      "phone.invalid",
      "mobile",
      "Numéro de téléphone non valide (Portable)",
      "Phone number not valid (Mobile)",
    ],
    [
      "field.missing",
      "appellation",
      "Champ utile vide : Appellation",
      "Useful field empty: Appellation",
    ],
    [
      "customer.deleted_in_source",
      null,
      "Client supprimé dans la source : son historique est conservé",
      "Customer deleted in the source: their history is kept",
    ],
    [
      "customer.unknown",
      "customer_external_id",
      "Vente pour un client absent du fichier clients (fiche créée avec ce que dit la vente, sans adresse ni consentement)",
      "Sale for a customer not in the customer file (a record made from what the sale says, without address or consent)",
    ],
  ])("%s on %s reads %j", (code, field, fr, en) =>
    expect(anomalyGroupLabel(code, field)).toEqual({ fr, en }),
  );

  it("says nothing of a code it does not know, nor of one whose value is its reason", () => {
    expect(anomalyGroupLabel("made.up", null)).toBeNull();
    // "Ligne non importée : <why>": one of the group's messages says more than the code.
    for (const code of ["row.rejected", "file.failed", "sync.failed"])
      expect(anomalyGroupLabel(code, null)).toBeNull();
  });

  it("leaves no colon hanging where a field is not known", () =>
    expect(anomalyGroupLabel("field.missing", null)).toEqual({
      fr: "Champ utile vide",
      en: "Useful field empty",
    }));

  it("leaves no value's place in any message of the catalogue", () => {
    for (const code of Object.keys(anomalyCatalogue))
      for (const text of Object.values(anomalyGroupLabel(code, "email") ?? {}))
        expect(text).not.toMatch(/\{|\}|\(\s*\)|:\s*$|\s{2}/);
  });
});
