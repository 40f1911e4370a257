import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { failureFromException, failureFromHttpStatus } from "./odoo-failure.ts";
import { confirmedOrderStates, fieldsToRead, missingRequiredFields } from "./odoo-fields.ts";
import {
  defaultOdooMappings,
  flattenRecords,
  localDate,
  odooColumns,
  posLineAsSaleLine,
} from "./odoo-rows.ts";
import { type Keyset, laterOf, nextKeyset, odooDatetimeMinus, pageDomain } from "./sync-window.ts";

describe("failureFromException", () => {
  it.each([
    [
      { name: "odoo.exceptions.AccessDenied", message: "Access Denied" },
      "odoo.access_denied",
      false,
    ],
    [
      { name: "werkzeug.exceptions.Unauthorized", message: "Invalid apikey" },
      "odoo.access_denied",
      false,
    ],
    [
      {
        name: "odoo.exceptions.AccessError",
        message: "You are not allowed to access 'Sales Order' (sale.order) records.",
      },
      "odoo.access_error",
      false,
    ],
    [
      { name: "odoo.http.SessionExpiredException", message: "Session expired" },
      "odoo.session_expired",
      false,
    ],
    [{ name: "builtins.KeyError", message: "'sale.order'" }, "odoo.unknown_model", false],
    [
      { name: "odoo.exceptions.UserError", message: "Object sale.order doesn't exist" },
      "odoo.unknown_model",
      false,
    ],
    [
      {
        name: "psycopg2.OperationalError",
        message: 'connection failed: FATAL:  database "nope" does not exist',
      },
      "odoo.unknown_database",
      false,
    ],
    [{ name: "werkzeug.exceptions.NotFound", message: "404: Not Found" }, "odoo.bad_url", false],
    [
      {
        name: "psycopg2.errors.SerializationFailure",
        message: "could not serialize access due to concurrent update",
      },
      "odoo.unavailable",
      true,
    ],
    [
      { name: "odoo.exceptions.ValidationError", message: "The VAT is invalid" },
      "odoo.server_error",
      false,
    ],
    [
      { name: "builtins.ValueError", message: "Invalid field 'x_nope' on model 'res.partner'" },
      "odoo.server_error",
      false,
    ],
    [
      { name: "werkzeug.exceptions.InternalServerError", message: "500 Internal Server Error" },
      "odoo.unavailable",
      true,
    ],
  ])("%o → %s", (exception, code, retryable) => {
    const error = failureFromException(exception, {
      model: "sale.order",
      method: "search_read",
      database: "nope",
    });
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.message).not.toMatch(/Traceback/);
  });

  it("never retries a refused login, whatever the message says", () => {
    fc.assert(
      fc.property(fc.string(), (message) => {
        expect(
          failureFromException({ name: "odoo.exceptions.AccessDenied", message }).retryable,
        ).toBe(false);
      }),
    );
  });
});

describe("failureFromHttpStatus", () => {
  it.each([
    [429, "7", "odoo.rate_limited", true, 7],
    [500, null, "odoo.unavailable", true, undefined],
    [502, null, "odoo.unavailable", true, undefined],
    [503, "2", "odoo.unavailable", true, 2],
    [401, null, "odoo.access_denied", false, undefined],
    [404, null, "odoo.bad_url", false, undefined],
  ])("HTTP %i (Retry-After %s) → %s", (status, retryAfter, code, retryable, seconds) => {
    const error = failureFromHttpStatus(status, retryAfter);
    expect([error.code, error.retryable, error.retryAfterSeconds]).toEqual([
      code,
      retryable,
      seconds,
    ]);
  });
});

describe("fields per Odoo version", () => {
  const partner16 = {
    name: { type: "char" },
    mobile: { type: "char" },
    write_date: { type: "datetime" },
  };
  const partner18 = {
    name: { type: "char" },
    write_date: { type: "datetime" },
    x_wine_club: { type: "boolean" },
    x_notes_ids: { type: "one2many" },
  };

  it("reads the fields this server has, and its custom fields that can be mapped", () => {
    expect(fieldsToRead("res.partner", partner16)).toEqual(["name", "mobile", "write_date"]);
    expect(fieldsToRead("res.partner", partner18)).toEqual(["name", "write_date", "x_wine_club"]);
  });

  it("names the required fields a server lacks", () => {
    expect(missingRequiredFields("sale.order", { name: { type: "char" } })).toEqual([
      "partner_id",
      "date_order",
      "state",
      "write_date",
    ]);
  });

  it.each([
    [
      [
        ["draft", "Quotation"],
        ["sent", "Sent"],
        ["sale", "Sales Order"],
        ["done", "Locked"],
        ["cancel", "Cancelled"],
      ],
      ["sale", "done"],
    ],
    [
      [
        ["draft", "Quotation"],
        ["sent", "Sent"],
        ["sale", "Sales Order"],
        ["cancel", "Cancelled"],
      ],
      ["sale"],
    ],
  ])("confirmed states of %o", (selection, expected) => {
    expect(confirmedOrderStates({ state: { type: "selection", selection } })).toEqual(expected);
  });
});

describe("flattenRecords", () => {
  const types = {
    is_company: { type: "boolean" },
    x_wine_club: { type: "boolean" },
    x_region: { type: "many2one" },
  };

  it("turns partners into rows the default mapping reads, Odoo's false as empty", () => {
    const table = flattenRecords(
      "customers",
      [
        {
          id: 7,
          name: "Cave du Port",
          is_company: true,
          parent_id: false,
          email: "contact@caveduport.fr",
          phone: false,
          country_id: [75, "France"],
          category_id: [3],
          is_blacklisted: false,
          active: true,
          write_date: "2024-05-01 10:00:00",
          x_wine_club: false,
          x_region: [2, "Alsace"],
        },
        {
          id: 8,
          name: "Jeanne Roux",
          is_company: false,
          parent_id: [7, "Cave du Port"],
          email: "jeanne@example.fr",
          is_blacklisted: true,
          active: false,
          write_date: "2024-05-02 10:00:00",
          x_wine_club: true,
          x_region: false,
        },
      ],
      ["x_wine_club", "x_region"],
      { timeZone: "Europe/Paris", types, partnerTags: new Map([[3, "Caviste"]]) },
    );
    const rows = table.rows.map((r) =>
      Object.fromEntries(table.columns.map((c, i) => [c, r.values[i]])),
    );
    expect(rows[0]).toMatchObject({
      id: "7",
      person_name: "",
      company_name: "Cave du Port",
      kind: "Caviste",
      phone: "",
      country: "France",
      consent_email: "",
      x_wine_club: "0",
      x_region: "Alsace",
    });
    expect(rows[1]).toMatchObject({
      id: "8",
      person_name: "Jeanne Roux",
      company_name: "Cave du Port",
      kind: "pro",
      active: "0",
      blacklisted: "1",
      consent_email: "non",
      x_wine_club: "1",
      x_region: "",
    });
  });

  it("says no to e-mails for a partner off a mailing list, without calling them blacklisted", () => {
    const partner = { id: 9, name: "Paul Weber", is_company: false, email: "paul@example.fr" };
    const consentOf = (mailingOptOuts?: ReadonlySet<number>) => {
      const table = flattenRecords("customers", [partner], [], {
        timeZone: "Europe/Paris",
        types,
        mailingOptOuts,
      });
      const row = table.rows[0]!.values;
      const at = (column: string) => row[table.columns.indexOf(column)];
      return [at("blacklisted"), at("consent_email")];
    };
    expect(consentOf()).toEqual(["0", ""]);
    expect(consentOf(new Set([4]))).toEqual(["0", ""]);
    expect(consentOf(new Set([9]))).toEqual(["0", "non"]);
  });

  it("gives order lines the order's number, local day and customer, and the product's sku", () => {
    const table = flattenRecords(
      "order_lines",
      [
        {
          id: 31,
          order_id: [5, "S00005"],
          product_id: [9, "[CRE-21] Crémant Brut 2021"],
          name: "Crémant Brut 2021",
          product_uom_qty: 6,
          price_unit: 10,
          price_total: 72,
          write_date: "2024-01-01 00:00:00",
        },
      ],
      [],
      {
        timeZone: "Europe/Paris",
        types: {},
        orderOf: () => ({
          id: 5,
          name: "S00005",
          date_order: "2023-12-31 23:30:00",
          partner_id: [8, "Cave du Port, Jeanne Roux"],
        }),
        skuOf: () => "CRE-21",
      },
    );
    const row = Object.fromEntries(table.columns.map((c, i) => [c, table.rows[0]!.values[i]]));
    expect(row).toMatchObject({
      order: "S00005",
      order_date: "2024-01-01",
      partner_id: "8",
      sku: "CRE-21",
      product_name: "Crémant Brut 2021",
      quantity: "6",
      unit_price_incl_tax: "12",
      total: "72",
    });
  });

  it.each([
    [1, "6", "12"],
    [6, "36", "2"],
    [1 / 0.75, "8", "9"], // a unit of 1 l for a 75 cl product
  ])("counts a line's units in its product's: %d a unit → %s, %s € each", (ratio, qty, price) => {
    const table = flattenRecords(
      "order_lines",
      [
        {
          id: 1,
          order_id: [5, "S5"],
          product_id: [9, "X"],
          product_uom_qty: 6,
          product_uom: [2, "Carton"],
          price_unit: 10,
          price_total: 72,
        },
      ],
      [],
      {
        timeZone: "Europe/Paris",
        types: {},
        unitsPerLineUnit: () => ratio,
        unitNameOf: () => "Bouteille",
      },
    );
    const row = Object.fromEntries(table.columns.map((c, i) => [c, table.rows[0]!.values[i]]));
    expect([row.quantity, row.unit_price_incl_tax, row.uom]).toEqual([qty, price, "Bouteille"]);
    expect(Number(row.unit_price)).toBeCloseTo(10 / ratio, 4);
  });

  it("reads a till's line as a sales line, net of what refunds gave back", () => {
    expect(
      posLineAsSaleLine({
        id: 4,
        order_id: [2, "Caveau/0002"],
        full_product_name: "Crémant d'Alsace Brut",
        qty: 3,
        refunded_qty: 1,
        price_unit: 12.5,
        price_subtotal: 37.5,
        price_subtotal_incl: 45,
      }),
    ).toEqual({
      id: 4,
      order_id: [2, "Caveau/0002"],
      name: "Crémant d'Alsace Brut",
      product_uom_qty: 2,
      price_unit: 12.5,
      price_subtotal: 25,
      price_total: 30,
    });
  });

  it("maps only columns that exist", () => {
    for (const entity of ["customers", "products", "order_lines"] as const)
      for (const column of Object.values(defaultOdooMappings[entity]))
        expect(odooColumns[entity]).toContain(column);
  });
});

describe("sync window", () => {
  it("starts a page at a whole second, or inside one second by id", () => {
    const base = [["active", "in", [true, false]]];
    expect(pageDomain(base, "2024-01-01 00:00:00", { from: "2024-02-01 00:00:01" })).toEqual([
      ["active", "in", [true, false]],
      ["write_date", ">=", "2024-01-01 00:00:00"],
      ["write_date", ">=", "2024-02-01 00:00:01"],
    ]);
    expect(
      pageDomain(base, null, { second: "2024-02-01 23:59:59", id: 42, seen: [7, 50] }),
    ).toEqual([
      ["active", "in", [true, false]],
      ["write_date", ">=", "2024-02-01 23:59:59"],
      ["write_date", "<", "2024-02-02 00:00:00"],
      ["id", ">", 42],
      ["id", "not in", [7, 50]],
    ]);
    expect(pageDomain([], null, null)).toEqual([]);
  });

  const page = (...records: Array<[number, string]>) =>
    records.map(([id, write_date]) => ({ id, write_date }));
  it.each([
    ["a short date page ends the model", page([1, "2024-02-01 10:00:00"]), null, 3, null],
    [
      // A full page may end inside its last second: the rest of that second is read by id,
      // without the records of it this page had.
      "a full date page goes on inside its last second",
      page([1, "2024-02-01 09:00:00"], [9, "2024-02-01 10:00:00"], [4, "2024-02-01 10:00:00"]),
      null,
      3,
      { second: "2024-02-01 10:00:00", id: 0, seen: [9, 4] },
    ],
    [
      "a full page of one second goes on with its next ids",
      page([12, "2024-02-01 10:00:00"], [15, "2024-02-01 10:00:00"]),
      { second: "2024-02-01 10:00:00", id: 0, seen: [9, 4] },
      2,
      { second: "2024-02-01 10:00:00", id: 15, seen: [9, 4] },
    ],
    [
      "a short page of one second goes on at the next second",
      page([16, "2024-02-01 10:00:00"]),
      { second: "2024-02-01 10:00:00", id: 15, seen: [9, 4] },
      2,
      { from: "2024-02-01 10:00:01" },
    ],
    [
      "so does an empty one",
      [],
      { second: "2024-02-01 10:00:00", id: 15, seen: [] },
      2,
      { from: "2024-02-01 10:00:01" },
    ],
    ["an empty date page ends the model", [], { from: "2024-02-01 10:00:01" }, 2, null],
  ] as const)("%s", (_, records, at, size, next) =>
    expect(nextKeyset(records, at as Keyset | null, size)).toEqual(next),
  );

  it.each([
    ["2024-03-01 00:00:30", 60, "2024-02-29 23:59:30"],
    ["2024-01-01 00:00:00", 1, "2023-12-31 23:59:59"],
  ])("%s minus %i s is %s", (value, seconds, expected) => {
    expect(odooDatetimeMinus(value, seconds)).toBe(expected);
  });

  it("moving a datetime back keeps its format and order", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("2000-01-01T00:00:00Z"),
          max: new Date("2090-01-01T00:00:00Z"),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 86_400 * 400 }),
        (date, seconds) => {
          const value = date.toISOString().slice(0, 19).replace("T", " ");
          const earlier = odooDatetimeMinus(value, seconds);
          expect(earlier).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
          expect(earlier <= value).toBe(true);
          expect(laterOf(earlier, value)).toBe(value);
        },
      ),
    );
  });

  it.each([
    ["2024-06-30 22:30:00", "Europe/Paris", "2024-07-01"],
    ["2024-01-15 22:30:00", "Europe/Paris", "2024-01-15"],
    ["2024-01-15 23:30:00", "Europe/Paris", "2024-01-16"],
    ["2024-01-15", "Europe/Paris", "2024-01-15"],
    ["", "Europe/Paris", ""],
  ])("the estate's day of %s in %s is %s", (utc, zone, expected) => {
    expect(localDate(utc, zone)).toBe(expected);
  });
});
