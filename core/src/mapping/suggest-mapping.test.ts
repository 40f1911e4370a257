import { describe, expect, it } from "vitest";
import { detectColumnType } from "./detect-column-type.ts";
import { headerSignature, suggestMapping } from "./suggest-mapping.ts";

describe("detectColumnType", () => {
  it.each([
    [["a@b.fr", "c.d@e.com", ""], "email"],
    [["06 12 34 56 78", "+33 3 89 41 23 45", "0612345678"], "phone"],
    [["01/03/2024", "25/12/2023"], "date"],
    [["68000", "01000", "75008"], "postal_code"],
    [["12,50", "3", "1 234,00"], "number"],
    [["Martin", "Blanc"], "text"],
    [["", " "], "empty"],
  ])("%j is %s", (values, type) => expect(detectColumnType(values)).toBe(type));
});

const rows = (...r: string[][]) => r;

describe("suggestMapping", () => {
  it("maps French iSaVigne-style headers exactly", () => {
    const columns = [
      "N° client",
      "Civilité",
      "Nom",
      "Prénom",
      "Courriel",
      "Tél",
      "Portable",
      "CP",
      "Ville",
      "Pays",
    ];
    const s = suggestMapping(
      "customers",
      columns,
      rows([
        "C1",
        "M.",
        "Martin",
        "Jean",
        "j@m.fr",
        "03 89 00 00 00",
        "06 12 34 56 78",
        "68000",
        "Colmar",
        "France",
      ]),
    );
    expect(s.mapping.fields).toEqual({
      external_id: "N° client",
      civility: "Civilité",
      first_name: "Prénom",
      last_name: "Nom",
      email: "Courriel",
      phone: "Tél",
      mobile: "Portable",
      postal_code: "CP",
      city: "Ville",
      country: "Pays",
    });
    expect(s.suggestions.every((x) => x.method === "exact" && x.confidence === 1)).toBe(true);
    expect(s.missingRequired).toEqual([]);
  });

  it("maps English headers of the same customers", () => {
    const columns = [
      "Customer ID",
      "First Name",
      "Last Name",
      "E-mail Address",
      "Phone Number",
      "Zip Code",
      "City",
      "Country",
    ];
    const s = suggestMapping(
      "customers",
      columns,
      rows(["C1", "Jean", "Martin", "j@m.fr", "+33 3 89 00 00 00", "68000", "Colmar", "FR"]),
    );
    expect(s.mapping.fields).toEqual({
      external_id: "Customer ID",
      first_name: "First Name",
      last_name: "Last Name",
      email: "E-mail Address",
      phone: "Phone Number",
      postal_code: "Zip Code",
      city: "City",
      country: "Country",
    });
  });

  it("finds near names with a confidence below 1, and leaves unknown columns unmapped", () => {
    const columns = ["Numéro de client", "Code Postale", "E-mail client", "Fidélité"];
    const s = suggestMapping("customers", columns, rows(["C1", "68000", "a@b.fr", "or"]));
    expect(s.mapping.fields).toEqual({
      external_id: "Numéro de client",
      postal_code: "Code Postale",
      email: "E-mail client",
    });
    for (const suggestion of s.suggestions) {
      expect(suggestion.method).toBe("fuzzy");
      expect(suggestion.confidence).toBeGreaterThanOrEqual(0.78);
      expect(suggestion.confidence).toBeLessThan(1);
    }
    expect(s.unmappedColumns).toEqual(["Fidélité"]);
  });

  it("takes a synonym plus a qualifier word, not a longer word that starts with the synonym", () => {
    // `Wine` names a cuvée; a review catalogue's `winery` is its producer.
    const s = suggestMapping(
      "products",
      ["SKU", "winery", "Wine name"],
      rows(["A1", "Heitz", "Martha's Vineyard"]),
    );
    expect(s.mapping.fields).toEqual({ sku: "SKU", cuvee: "Wine name" });
  });

  it("maps a retailer's English invoice lines (UCI Online Retail's headers) without a mapping file", () => {
    const s = suggestMapping(
      "order_lines",
      [
        "InvoiceNo",
        "StockCode",
        "Description",
        "Quantity",
        "InvoiceDate",
        "UnitPrice",
        "CustomerID",
        "Country",
      ],
      rows([
        "536365",
        "85123A",
        "WHITE HANGING HEART",
        "6",
        "12/1/2010 8:26",
        "2.55",
        "17850",
        "UK",
      ]),
    );
    expect(s.mapping.fields).toEqual({
      document_number: "InvoiceNo",
      product_sku: "StockCode",
      product_name: "Description",
      quantity: "Quantity",
      order_date: "InvoiceDate",
      unit_price: "UnitPrice",
      customer_external_id: "CustomerID",
    });
    expect(s.missingRequired).toEqual([]);
  });

  it("maps a household panel's baskets (dunnhumby's headers); its day numbers are no date", () => {
    const s = suggestMapping(
      "order_lines",
      ["household_key", "BASKET_ID", "DAY", "PRODUCT_ID", "QUANTITY", "SALES_VALUE", "WEEK_NO"],
      rows(["2375", "26984851472", "1", "1004906", "1", "1.39", "1"]),
    );
    expect(s.mapping.fields).toMatchObject({
      customer_external_id: "household_key",
      document_number: "BASKET_ID",
      product_sku: "PRODUCT_ID",
      quantity: "QUANTITY",
    });
    expect(s.missingRequired).toEqual(["order_date"]);
  });

  it("reads a wine club member's purchase export: its purchase date is the order date", () => {
    const s = suggestMapping(
      "order_lines",
      ["Product name", "Product code", "Purchase date", "Purchase price", "Drink date"],
      rows(["Blanquette de Limoux Reserve, Antech 2015", "SG2421", "03/07/2019", "9.95", ""]),
    );
    expect(s.mapping.fields).toEqual({
      product_name: "Product name",
      product_sku: "Product code",
      order_date: "Purchase date",
    });
    // One member's export names no customer nor invoice: the mapping editor asks for them.
    expect(s.missingRequired).toEqual(["document_number", "customer_external_id", "quantity"]);
  });

  it("does not match a near name whose values are of the wrong kind", () => {
    const columns = ["N° facture", "Dates", "N° client", "Article", "Qté"];
    const withText = suggestMapping(
      "order_lines",
      columns,
      rows(["F1", "lundi", "C1", "S1", "1"], ["F2", "mardi", "C1", "S1", "2"]),
    );
    expect(withText.mapping.fields).not.toHaveProperty("order_date");
    expect(withText.missingRequired).toEqual(["order_date"]);
    const withDates = suggestMapping(
      "order_lines",
      columns,
      rows(["F1", "01/03/2024", "C1", "S1", "1"]),
    );
    expect(withDates.mapping.fields).toHaveProperty("order_date", "Dates");
  });

  it("does not take a column of dates for a name by a near header", () => {
    // An iSaVigne customer export: "Client depuis" is one word from the full name's "Client".
    const columns = ["N° client", "Nom", "Prénom", "E-mail", "Client depuis"];
    const suggested = suggestMapping(
      "customers",
      columns,
      rows(
        ["C1", "PERRIN", "Jean", "jean@x.fr", "01/09/2011"],
        ["C2", "ROUX", "Anne", "anne@y.fr", "15/03/2019"],
      ),
    );
    expect(suggested.unmappedColumns).toEqual(["Client depuis"]);
    expect(suggested.mapping.fields).toMatchObject({ last_name: "Nom", first_name: "Prénom" });
  });

  it("does not take amounts, or other words, for a yes/no or a customer type", () => {
    // A US winery's export: `Newsletter Sales` is one edit from the consent synonym `Newsletter`.
    const columns = ["Customer ID", "Newsletter Sales", "Newsletter Subscr", "Types"];
    const amounts = suggestMapping(
      "customers",
      columns,
      rows(["1", "0.00", "1", "High Roller"], ["2", "57.00", "0", "Luxury Estate"]),
    );
    // The 1/0 column next to it is the subscription, and "High Roller" is no customer type.
    expect(amounts.mapping.fields).toEqual({
      external_id: "Customer ID",
      consent_email: "Newsletter Subscr",
    });
    const words = suggestMapping(
      "customers",
      columns,
      rows(["1", "oui", "1", "Caviste"], ["2", "", "0", "Particulier"]),
    );
    expect(words.mapping.fields).toEqual({
      external_id: "Customer ID",
      consent_email: "Newsletter Sales",
      kind: "Types",
    });
  });

  it("takes a column of subscription words or soft opt-ins for a consent", () => {
    const s = suggestMapping(
      "customers",
      ["Customer ID", "Newsletters"],
      rows(["1", "Abonné"], ["2", "Désabonné"], ["3", "Soft opt-in"]),
    );
    expect(s.mapping.fields).toEqual({ external_id: "Customer ID", consent_email: "Newsletters" });
  });

  it("takes the e-mail subscription for the e-mail consent over a newsletter's beside it", () => {
    const s = suggestMapping(
      "customers",
      ["Customer ID", "Email Subscr", "Newsletter Subscr"],
      rows(["1", "1", "0"], ["2", "0", "1"], ["3", "1", "1"]),
    );
    expect(s.mapping.fields.consent_email).toBe("Email Subscr");
  });

  it("gives each column to one field only", () => {
    const s = suggestMapping(
      "order_lines",
      ["N° facture", "Date", "Date pièce", "Code client", "Article", "Qté"],
      rows(["F1", "01/03/2024", "01/03/2024", "C1", "S1", "1"]),
    );
    const columns = Object.values(s.mapping.fields);
    expect(new Set(columns).size).toBe(columns.length);
    expect(s.mapping.fields.order_date).toBe("Date pièce");
  });

  it("reuses the saved mapping of an export with the same columns", () => {
    const columns = ["Réf", "Nom du client", "Mail"];
    const saved = {
      headerSignature: headerSignature(["Mail", "Réf", "Nom du client"]),
      fields: { external_id: "Réf", full_name: "Nom du client", email: "Mail" },
    };
    const s = suggestMapping("customers", columns, [], saved);
    expect(s.mapping.fields).toEqual(saved.fields);
    expect(s.suggestions.map((x) => x.method)).toEqual(["saved", "saved", "saved"]);
    const other = suggestMapping("customers", [...columns, "Ville"], [], saved);
    expect(other.suggestions.some((x) => x.method === "saved")).toBe(false);
  });
});
