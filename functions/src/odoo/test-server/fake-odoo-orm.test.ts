import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeOdoo, type FakeOdoo, type OdooVersion } from "./fake-odoo.ts";
import { executeKw, json2, resultOf } from "./raw-calls.ts";

const ADMIN = { uid: 2, login: "admin", password: "secret", apiKeys: ["admin-key"] };
const byKey = { db: "estate", uid: 2, secret: "admin-key" };
const START = new Date("2025-03-01T08:00:00Z");

const call = async (odoo: FakeOdoo, model: string, method: string, args: unknown[], kwargs = {}) =>
  resultOf(await executeKw(odoo.url, byKey, model, method, args, kwargs));
const names = (rows: unknown) => (rows as Array<{ name: string }>).map((r) => r.name);

describe("domains", () => {
  let odoo: FakeOdoo;
  beforeAll(async () => {
    odoo = await startFakeOdoo({ version: "17.0", users: [ADMIN], start: START });
    const company = odoo.create("res.partner", {
      name: "Cave Dupont",
      is_company: true,
      country_id: 75,
      customer_rank: 3,
    });
    const tag = odoo.create("res.partner.category", { name: "VIP" });
    odoo.clock.advance(60);
    odoo.create("res.partner", {
      name: "Anne Dupont",
      parent_id: company,
      email: "anne@dupont.fr",
      customer_rank: 1,
      category_id: [tag],
    });
    odoo.clock.advance(60);
    odoo.create("res.partner", {
      name: "Bruno Martin",
      country_id: 20,
      phone: "+32 2 000",
      customer_rank: 0,
    });
    odoo.create("res.partner", { name: "Old Customer", active: false, customer_rank: 5 });
  });
  afterAll(() => odoo.close());

  const searchNames = async (domain: unknown[], context = {}) =>
    names(
      await call(odoo, "res.partner", "search_read", [domain], {
        fields: ["name"],
        order: "name",
        context,
      }),
    ).filter(
      (n) =>
        ![
          "Administrator",
          "My Company",
          "OdooBot",
          "Public user",
          "Portal User Template",
          "Public user for Domaine du Sud",
        ].includes(n),
    );

  it.each([
    [[["name", "=", "Bruno Martin"]], ["Bruno Martin"]],
    [[["customer_rank", "!=", 1]], ["Bruno Martin", "Cave Dupont"]],
    [[["customer_rank", ">", 0]], ["Anne Dupont", "Cave Dupont"]],
    [[["customer_rank", ">=", 1]], ["Anne Dupont", "Cave Dupont"]],
    [[["customer_rank", "<", 1]], ["Bruno Martin"]],
    [[["customer_rank", "<=", 1]], ["Anne Dupont", "Bruno Martin"]],
    [[["country_id", "in", [20, 75]]], ["Bruno Martin", "Cave Dupont"]],
    [[["country_id", "not in", [75]]], ["Anne Dupont", "Bruno Martin"]],
    [[["name", "ilike", "dupont"]], ["Anne Dupont", "Cave Dupont"]],
    [[["name", "like", "dupont"]], []],
    [[["name", "not ilike", "dupont"]], ["Bruno Martin"]],
    [[["name", "=ilike", "cave%"]], ["Cave Dupont"]],
    [[["email", "=", false]], ["Bruno Martin", "Cave Dupont"]],
    [[["email", "!=", false]], ["Anne Dupont"]],
    [[["phone", "=?", false]], ["Anne Dupont", "Bruno Martin", "Cave Dupont"]],
    [[["phone", "=?", "+32 2 000"]], ["Bruno Martin"]],
    [[["category_id", "=", false]], ["Bruno Martin", "Cave Dupont"]],
    [[["category_id", "!=", false]], ["Anne Dupont"]],
    [[["parent_id.country_id.code", "=", "FR"]], ["Anne Dupont"]],
    [[["country_id", "ilike", "fran"]], ["Cave Dupont"]],
    [[["create_date", ">", "2025-03-01 08:00:00"]], ["Anne Dupont", "Bruno Martin"]],
    [[["create_date", "<", "2025-03-01 08:01:30"]], ["Anne Dupont", "Cave Dupont"]],
    [
      ["|", ["country_id", "=", 20], ["customer_rank", "=", 3]],
      ["Bruno Martin", "Cave Dupont"],
    ],
    [["&", ["name", "ilike", "dupont"], ["is_company", "=", false]], ["Anne Dupont"]],
    [
      [
        ["name", "ilike", "dupont"],
        ["is_company", "=", false],
      ],
      ["Anne Dupont"],
    ],
    [["!", ["name", "ilike", "dupont"]], ["Bruno Martin"]],
    [
      [
        "|",
        "!",
        ["customer_rank", ">", 0],
        "&",
        ["is_company", "=", true],
        ["country_id", "=", 75],
      ],
      ["Bruno Martin", "Cave Dupont"],
    ],
  ])("%j", async (domain, expected) => {
    expect(await searchNames(domain)).toEqual(expected);
  });

  it("hides archived records unless active_test is off or the domain names active", async () => {
    expect(await searchNames([["customer_rank", "=", 5]])).toEqual([]);
    expect(await searchNames([["customer_rank", "=", 5]], { active_test: false })).toEqual([
      "Old Customer",
    ]);
    expect(await searchNames([["active", "=", false]])).toEqual(["Old Customer"]);
  });

  it("counts with search_count and answers ids with search", async () => {
    const domain = [["name", "ilike", "dupont"]];
    expect(await call(odoo, "res.partner", "search_count", [domain])).toBe(2);
    expect(await call(odoo, "res.partner", "search", [domain], { order: "id desc" })).toEqual([
      8, 7,
    ]);
  });
});

describe("order and paging", () => {
  let odoo: FakeOdoo;
  beforeAll(async () => {
    odoo = await startFakeOdoo({ version: "19.0", users: [ADMIN], start: START });
    // Three records share a write_date (second precision): keyset paging must add id.
    for (const name of ["c", "a", "b"]) odoo.create("res.partner", { name, customer_rank: 1 });
    odoo.clock.advance(1);
    odoo.create("res.partner", { name: "d", customer_rank: 1 });
  });
  afterAll(() => odoo.close());

  const page = async (kwargs: Record<string, unknown>) =>
    names(
      await call(odoo, "res.partner", "search_read", [[["customer_rank", "=", 1]]], {
        fields: ["name"],
        ...kwargs,
      }),
    );

  it.each([
    [{ order: "write_date asc, id asc" }, ["c", "a", "b", "d"]],
    [{ order: "write_date desc, id desc" }, ["d", "b", "a", "c"]],
    [{ order: "id desc", limit: 2 }, ["d", "b"]],
    [{ order: "id asc", offset: 1, limit: 2 }, ["a", "b"]],
    [{ order: "name" }, ["a", "b", "c", "d"]],
    [{}, ["a", "b", "c", "d"]],
  ])("%j", async (kwargs, expected) => {
    expect(await page(kwargs)).toEqual(expected);
  });

  it("refuses an order on an unknown field", async () => {
    const answer = await executeKw(odoo.url, byKey, "res.partner", "search", [[]], {
      order: "nope asc",
    });
    expect((answer.json as { error: { data: { message: string } } }).error.data.message).toBe(
      "Invalid field 'nope' on model 'res.partner'",
    );
  });
});

describe("read format", () => {
  let odoo: FakeOdoo;
  beforeAll(async () => {
    odoo = await startFakeOdoo({ version: "18.0", users: [ADMIN], start: START });
  });
  afterAll(() => odoo.close());

  it("reads many2one as [id, display_name], x2many as ids and empty values as false", async () => {
    const company = odoo.create("res.partner", {
      name: "Cave Dupont",
      is_company: true,
      country_id: 75,
    });
    const contact = odoo.create("res.partner", {
      name: "Anne",
      parent_id: company,
      email: "Anne <ANNE@Dupont.fr>",
    });
    const [row] = (await call(odoo, "res.partner", "read", [[contact]], {
      fields: [
        "display_name",
        "parent_id",
        "country_id",
        "child_ids",
        "category_id",
        "phone",
        "email_normalized",
        "commercial_partner_id",
        "is_company",
        "customer_rank",
        "create_date",
      ],
    })) as Array<Record<string, unknown>>;
    expect(row).toEqual({
      id: contact,
      display_name: "Cave Dupont, Anne",
      parent_id: [company, "Cave Dupont"],
      country_id: false,
      child_ids: [],
      category_id: [],
      phone: false,
      email_normalized: "anne@dupont.fr",
      commercial_partner_id: [company, "Cave Dupont"],
      is_company: false,
      customer_rank: 0,
      create_date: "2025-03-01 08:00:00",
    });
  });

  it("names products [default_code] name and orders by their name", async () => {
    const product = odoo.create("product.product", {
      name: "Brut Réserve",
      default_code: "BR75",
      list_price: 24,
    });
    const order = odoo.create("sale.order", {
      partner_id: 3,
      order_line: [[0, 0, { product_id: product, product_uom_qty: 6, discount: 10 }]],
    });
    const [line] = (await call(
      odoo,
      "sale.order.line",
      "search_read",
      [[["order_id", "=", order]]],
      {
        fields: [
          "product_id",
          "name",
          "product_uom",
          "price_unit",
          "price_subtotal",
          "price_tax",
          "price_total",
          "state",
          "order_partner_id",
          "display_type",
        ],
      },
    )) as Array<Record<string, unknown>>;
    expect(line).toMatchObject({
      product_id: [product, "[BR75] Brut Réserve"],
      name: "[BR75] Brut Réserve",
      product_uom: [1, "Units"],
      price_unit: 24,
      price_subtotal: 129.6,
      price_tax: 25.92,
      price_total: 155.52,
      state: "draft",
      order_partner_id: [3, "Administrator"],
      display_type: false,
    });
    const [head] = (await call(odoo, "sale.order", "read", [[order]], {
      fields: ["name", "display_name", "amount_total", "date_order"],
    })) as Array<Record<string, unknown>>;
    expect(head).toMatchObject({
      name: "S00001",
      display_name: "S00001",
      amount_total: 155.52,
      date_order: "2025-03-01 08:00:00",
    });
  });
});

describe("fields_get per version", () => {
  const started: FakeOdoo[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((o) => o.close()));
  });
  const fieldsOf = async (version: OdooVersion, model: string, mail = true) => {
    const odoo = await startFakeOdoo({ version, users: [ADMIN], installed: { mail } });
    started.push(odoo);
    return (await call(odoo, model, "fields_get", [], {
      attributes: ["type", "string", "relation", "selection"],
    })) as Record<string, { type: string; relation?: string; selection?: Array<[string, string]> }>;
  };

  it.each([
    ["16.0", true],
    ["17.0", true],
    ["18.0", true],
    ["19.0", false],
  ] as const)("res.partner.mobile on %s: %s", async (version, present) => {
    expect("mobile" in (await fieldsOf(version, "res.partner"))).toBe(present);
  });

  it.each([
    ["18.0", "product_uom"],
    ["19.0", "product_uom_id"],
  ] as const)("the unit of a sale line on %s is %s", async (version, field) => {
    const fields = await fieldsOf(version, "sale.order.line");
    expect(fields[field]).toMatchObject({ type: "many2one", relation: "uom.uom" });
  });

  it("has the done state in 16.0 and the locked boolean from 17.0", async () => {
    const v16 = await fieldsOf("16.0", "sale.order");
    const v17 = await fieldsOf("17.0", "sale.order");
    expect(v16.state!.selection!.map(([key]) => key)).toEqual([
      "draft",
      "sent",
      "sale",
      "done",
      "cancel",
    ]);
    expect(v17.state!.selection!.map(([key]) => key)).toEqual(["draft", "sent", "sale", "cancel"]);
    expect(["locked" in v16, v17.locked?.type]).toEqual([false, "boolean"]);
  });

  it("describes fields as Odoo does and filters the attributes asked for", async () => {
    const fields = await fieldsOf("17.0", "res.partner");
    expect(fields.country_id).toEqual({
      type: "many2one",
      string: "Country",
      relation: "res.country",
    });
    expect(fields.category_id).toEqual({
      type: "many2many",
      string: "Tags",
      relation: "res.partner.category",
    });
    expect(Object.keys(fields)).toEqual(
      expect.arrayContaining(["id", "display_name", "write_date", "is_blacklisted"]),
    );
  });

  it("has neither blacklist fields nor activities without mail", async () => {
    expect("is_blacklisted" in (await fieldsOf("17.0", "res.partner", false))).toBe(false);
    const odoo = await startFakeOdoo({
      version: "17.0",
      users: [ADMIN],
      installed: { mail: false },
    });
    started.push(odoo);
    const answer = await executeKw(odoo.url, byKey, "mail.activity", "search", [[]]);
    expect((answer.json as { error: { data: { message: string } } }).error.data.message).toBe(
      "Object mail.activity doesn't exist",
    );
  });
});

describe("writes", () => {
  let odoo: FakeOdoo;
  beforeAll(async () => {
    odoo = await startFakeOdoo({ version: "17.0", users: [ADMIN], start: START });
  });
  afterAll(() => odoo.close());

  it("stamps create_date and write_date from the fake clock", async () => {
    const id = (await call(odoo, "res.partner", "create", [{ name: "New" }])) as number;
    odoo.clock.advance(90);
    await call(odoo, "res.partner", "write", [[id], { phone: "01" }]);
    odoo.clock.advance(0.25);
    await call(odoo, "res.partner", "write", [[id], { phone: "02" }]);
    // Stored to the microsecond, as PostgreSQL keeps Odoo's `now()`; read to the second.
    const [row] = odoo.records("res.partner").filter((r) => r.id === id);
    expect(row).toMatchObject({
      create_date: "2025-03-01 08:00:00.000000",
      write_date: "2025-03-01 08:01:30.250000",
      write_uid: 2,
    });
    const [read] = (await call(odoo, "res.partner", "read", [[id], ["write_date"]])) as Array<{
      write_date: string;
    }>;
    expect(read!.write_date).toBe("2025-03-01 08:01:30");
    // …and compared as a timestamp: within its second, after its start.
    const found = async (domain: unknown[]) =>
      (await call(odoo, "res.partner", "search", [[["id", "=", id], ...domain]])) as number[];
    expect(await found([["write_date", "=", "2025-03-01 08:01:30"]])).toEqual([]);
    expect(await found([["write_date", ">", "2025-03-01 08:01:30"]])).toEqual([id]);
    expect(await found([["write_date", "<", "2025-03-01 08:01:31"]])).toEqual([id]);
  });

  it("carries a new order state to its lines and touches their write_date", async () => {
    odoo.clock.set(START);
    const product = odoo.create("product.product", { name: "Rosé" });
    const order = odoo.create("sale.order", {
      partner_id: 3,
      order_line: [[0, 0, { product_id: product }]],
    });
    odoo.clock.advance(3600);
    await call(odoo, "sale.order", "write", [[order], { state: "sale" }]);
    const [line] = odoo.records("sale.order.line").filter((l) => l.order_id === order);
    expect(line).toMatchObject({ state: "sale", write_date: "2025-03-01 09:00:00.000000" });
  });

  it("creates a template with each variant and a variant with each template", async () => {
    const variant = odoo.create("product.product", { name: "Chablis", default_code: "CH" });
    const template = odoo.create("product.template", { name: "Pinot", default_code: "PN" });
    const variants = odoo.records("product.product");
    const templateOf = variants.find((v) => v.id === variant)!.product_tmpl_id;
    expect(odoo.records("product.template").find((t) => t.id === templateOf)).toMatchObject({
      name: "Chablis",
    });
    expect(variants.find((v) => v.product_tmpl_id === template)).toMatchObject({
      default_code: "PN",
    });
  });

  it("answers create with an id for a dict and ids for a list over JSON-RPC", async () => {
    expect(await call(odoo, "res.partner.category", "create", [{ name: "One" }])).toEqual(
      expect.any(Number),
    );
    expect(await call(odoo, "res.partner.category", "create", [[{ name: "Two" }]])).toEqual([
      expect.any(Number),
    ]);
  });

  it("runs each call in one transaction: a failure leaves nothing behind", async () => {
    const before = odoo.records("res.partner").length;
    const answer = await executeKw(odoo.url, byKey, "res.partner", "create", [
      [{ name: "Kept?" }, { name: "Bad", country_id: 9999 }],
    ]);
    expect((answer.json as { error: { data: { name: string } } }).error.data.name).toBe(
      "odoo.exceptions.ValidationError",
    );
    expect(odoo.records("res.partner")).toHaveLength(before);
  });

  it("unlinks, and a read of the deleted record is a MissingError", async () => {
    const id = odoo.create("res.partner", { name: "Gone" });
    expect(await call(odoo, "res.partner", "unlink", [[id]])).toBe(true);
    const answer = await executeKw(odoo.url, byKey, "res.partner", "read", [[id]], {
      fields: ["name"],
    });
    expect((answer.json as { error: { data: { name: string } } }).error.data.name).toBe(
      "odoo.exceptions.MissingError",
    );
  });

  it("reads activities with their model and To-Do type", async () => {
    const partner = odoo.create("res.partner", { name: "Call me" });
    const activity = odoo.create("mail.activity", {
      res_model: "res.partner",
      res_id: partner,
      activity_type_id: 4,
      date_deadline: "2025-03-10",
      summary: "Call back",
    });
    const answer = await json2(
      odoo.url,
      "mail.activity",
      "read",
      { ids: [activity] },
      { key: "admin-key" },
    );
    expect(answer.status).toBe(404); // 17.0 has no JSON-2
    const [row] = (await call(odoo, "mail.activity", "read", [[activity]], {
      fields: ["res_model", "res_model_id", "res_id", "activity_type_id", "date_deadline", "note"],
    })) as Array<Record<string, unknown>>;
    expect(row).toMatchObject({
      res_model: "res.partner",
      res_model_id: [expect.any(Number), "Contact"],
      res_id: partner,
      activity_type_id: [4, "To-Do"],
      date_deadline: "2025-03-10",
      note: false,
    });
  });
});
