import { afterEach, describe, expect, it } from "vitest";
import { startFakeOdoo, type FakeOdoo, type FakeOdooOptions } from "./fake-odoo.ts";
import { executeKw, json2, jsonRpc, rawFetch, resultOf } from "./raw-calls.ts";

const ADMIN = { uid: 2, login: "admin", password: "secret", apiKeys: ["admin-key"] };
const CLERK = {
  uid: 7,
  login: "clerk",
  password: "clerk",
  apiKeys: ["clerk-key"],
  denied: ["sale.order"],
};
const byKey = { db: "estate", uid: 2, secret: "admin-key" };

const running: FakeOdoo[] = [];
async function start(options: Partial<FakeOdooOptions> = {}) {
  const odoo = await startFakeOdoo({ version: "17.0", users: [ADMIN, CLERK], ...options });
  running.push(odoo);
  return odoo;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((o) => o.close()));
});

const errorOf = (answer: { json: unknown }) =>
  (answer.json as { error: { code: number; message: string; data: Record<string, unknown> } })
    .error;

describe("version probes", () => {
  it.each(["16.0", "17.0", "18.0", "19.0"] as const)("common.version() on %s", async (version) => {
    const odoo = await start({ version });
    expect(resultOf(await jsonRpc(odoo.url, "common", "version", []))).toEqual({
      server_version: version,
      server_version_info: [Number(version.slice(0, 2)), 0, 0, "final", 0, ""],
      server_serie: version,
      protocol_version: 1,
    });
  });

  it.each(["16.0", "20.0"] as const)(
    "/web/webclient/version_info answers on %s",
    async (version) => {
      const odoo = await start({ version });
      const answer = await jsonRpc(odoo.url, "", "", [], "/web/webclient/version_info");
      expect(resultOf(answer)).toMatchObject({ server_version: version });
    },
  );

  it.each([
    ["16.0", 404],
    ["18.0", 404],
    ["19.0", 200],
    ["20.0", 200],
  ] as const)("GET /web/version on %s answers %i", async (version, status) => {
    const odoo = await start({ version });
    const answer = await rawFetch(`${odoo.url}/web/version`);
    expect(answer.status).toBe(status);
    if (status === 200)
      expect(answer.json).toEqual({
        version_info: [Number(version.slice(0, 2)), 0, 0, "final", 0, ""],
        version,
      });
    else expect(answer.text).toContain("<title>404 Not Found</title>");
  });
});

describe("JSON-RPC authentication", () => {
  it.each([
    ["login", ["estate", "admin", "secret"], 2],
    ["login", ["estate", "admin", "admin-key"], 2],
    ["login", ["estate", "admin", "wrong"], false],
    ["login", ["estate", "nobody", "secret"], false],
    ["authenticate", ["estate", "admin", "admin-key", {}], 2],
    ["authenticate", ["estate", "admin", "wrong", {}], false],
  ])("common.%s(%j) → %j", async (method, args, expected) => {
    const odoo = await start();
    expect(resultOf(await jsonRpc(odoo.url, "common", method, args))).toBe(expected);
  });

  it("reports an unknown database the way psycopg2 does", async () => {
    const odoo = await start();
    const error = errorOf(await jsonRpc(odoo.url, "common", "login", ["nope", "admin", "secret"]));
    expect(error.data.name).toBe("psycopg2.OperationalError");
    expect(error.data.message).toContain('database "nope" does not exist');
  });

  it.each([
    ["16.0", 200],
    ["18.0", 200],
    ["19.0", 0],
  ] as const)(
    "a bad key on execute_kw is AccessDenied, error code %s → %i",
    async (version, code) => {
      const odoo = await start({ version });
      const answer = await executeKw(
        odoo.url,
        { ...byKey, secret: "revoked" },
        "res.partner",
        "search",
        [[]],
      );
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({
        jsonrpc: "2.0",
        id: 7,
        error: {
          code,
          message: "Odoo Server Error",
          data: {
            name: "odoo.exceptions.AccessDenied",
            message: "Access Denied",
            arguments: ["Access Denied"],
            context: {},
          },
        },
      });
    },
  );

  it("lists the databases", async () => {
    const odoo = await start({ databases: ["b", "a"] });
    expect(resultOf(await jsonRpc(odoo.url, "db", "list", []))).toEqual(["a", "b"]);
  });
});

describe("JSON-RPC error envelopes", () => {
  it.each([
    [
      "17.0",
      "res.partner",
      "search_read",
      [[]],
      { fields: ["nope"] },
      "builtins.ValueError",
      "Invalid field 'nope' on model 'res.partner'",
    ],
    [
      "17.0",
      "x.model",
      "search",
      [[]],
      {},
      "odoo.exceptions.UserError",
      "Object x.model doesn't exist",
    ],
    [
      "17.0",
      "res.partner",
      "frobnicate",
      [[]],
      {},
      "builtins.AttributeError",
      "type object 'res.partner' has no attribute 'frobnicate'",
    ],
    [
      "18.0",
      "res.partner",
      "frobnicate",
      [[]],
      {},
      "builtins.AttributeError",
      "The method 'res.partner.frobnicate' does not exist",
    ],
    [
      "18.0",
      "res.partner",
      "_private",
      [[]],
      {},
      "odoo.exceptions.AccessError",
      "Private methods (such as 'res.partner._private') cannot be called remotely.",
    ],
    [
      "17.0",
      "res.partner",
      "search",
      [[]],
      { bogus: 1 },
      "builtins.TypeError",
      "BaseModel.search() got an unexpected keyword argument 'bogus'",
    ],
    [
      "17.0",
      "res.partner",
      "read",
      [[999], ["name"]],
      {},
      "odoo.exceptions.MissingError",
      "Record does not exist or has been deleted.\n(Record: res.partner(999,), User: 2)",
    ],
    ["17.0", "res.partner", "search", [["bad"]], {}, "builtins.ValueError", "Invalid leaf 'bad'"],
    [
      "19.0",
      "mail.activity",
      "search",
      [[["nope", "=", 1]]],
      {},
      "builtins.ValueError",
      "Invalid field mail.activity.nope in leaf ('nope', '=', 1)",
    ],
  ] as const)("%s %s.%s → %s", async (version, model, method, args, kwargs, name, message) => {
    const odoo = await start({ version });
    const error = errorOf(
      await executeKw(odoo.url, byKey, model, method, [...args], { ...kwargs }),
    );
    expect(error.data).toMatchObject({ name, message, arguments: [message] });
  });

  it("gives a user without access to a model Odoo's three-paragraph AccessError", async () => {
    const odoo = await start();
    const answer = await executeKw(
      odoo.url,
      { db: "estate", uid: 7, secret: "clerk" },
      "sale.order",
      "search_read",
      [[]],
    );
    expect(errorOf(answer).data).toMatchObject({
      name: "odoo.exceptions.AccessError",
      message:
        "You are not allowed to access 'Sales Order' (sale.order) records.\n\n" +
        "This operation is allowed for the following groups:\n\t- Sales / User: Own Documents Only\n\n" +
        "Contact your administrator to request access if necessary.",
    });
  });

  it("answers bad JSON with a bare HTTP 400", async () => {
    const odoo = await start();
    const answer = await rawFetch(`${odoo.url}/jsonrpc`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect([answer.status, answer.text]).toEqual([400, "Invalid JSON data"]);
  });

  it.each([
    ["17.0", 400],
    ["19.0", 415],
  ] as const)("refuses a non-JSON content type on %s with %i", async (version, status) => {
    const odoo = await start({ version });
    const answer = await rawFetch(`${odoo.url}/jsonrpc`, { method: "POST", body: "x=1" });
    expect(answer.status).toBe(status);
    expect(answer.text).toContain("Request inferred type is compatible with ['http']");
  });

  it("is gone in 20.0: /jsonrpc is werkzeug's 404 page", async () => {
    const odoo = await start({ version: "20.0" });
    const answer = await jsonRpc(odoo.url, "common", "version", []);
    expect(answer.status).toBe(404);
    expect(answer.headers.get("content-type")).toContain("text/html");
    expect(odoo.calls.at(-1)).toMatchObject({ protocol: "jsonrpc", status: 404 });
  });
});

describe("JSON-2", () => {
  const search = (
    odoo: FakeOdoo,
    body: unknown = { domain: [], fields: ["name"] },
    key = "admin-key",
  ) => json2(odoo.url, "res.partner", "search_read", body, { key });

  it("returns the method's value as the body", async () => {
    const odoo = await start({ version: "19.0" });
    const id = odoo.create("res.partner", { name: "Domaine Hugo" });
    const answer = await json2(
      odoo.url,
      "res.partner",
      "read",
      { ids: [id], fields: ["name"] },
      { key: "admin-key" },
    );
    expect([answer.status, answer.json]).toEqual([200, [{ id, name: "Domaine Hugo" }]]);
  });

  it("answers a bad key with 401 Unauthorized, as documented", async () => {
    const odoo = await start({ version: "19.0" });
    const answer = await search(odoo, undefined, "revoked");
    expect(answer.status).toBe(401);
    expect(answer.headers.get("www-authenticate")).toBe("Bearer");
    expect(answer.json).toMatchObject({
      name: "werkzeug.exceptions.Unauthorized",
      message: "Invalid apikey",
      arguments: ["Invalid apikey", 401],
      context: {},
    });
  });

  it.each([
    [
      "no Authorization header",
      "res.partner",
      "search_count",
      { domain: [] },
      undefined,
      401,
      "werkzeug.exceptions.Unauthorized",
    ],
    [
      "a denied model",
      "sale.order",
      "search_count",
      { domain: [] },
      "clerk-key",
      403,
      "odoo.exceptions.AccessError",
    ],
    [
      "an unknown model",
      "x.model",
      "search_count",
      { domain: [] },
      "admin-key",
      404,
      "werkzeug.exceptions.NotFound",
    ],
    [
      "an unknown method",
      "res.partner",
      "frobnicate",
      {},
      "admin-key",
      404,
      "werkzeug.exceptions.NotFound",
    ],
    [
      "a private method",
      "res.partner",
      "_private",
      {},
      "admin-key",
      403,
      "odoo.exceptions.AccessError",
    ],
    [
      "ids on a model method",
      "res.partner",
      "create",
      { ids: [1], vals_list: [{}] },
      "admin-key",
      422,
      "werkzeug.exceptions.UnprocessableEntity",
    ],
    [
      "an unexpected parameter",
      "res.partner",
      "search_count",
      { bogus_kwarg: 1 },
      "admin-key",
      422,
      "werkzeug.exceptions.UnprocessableEntity",
    ],
    [
      "a missing record",
      "res.partner",
      "read",
      { ids: [999] },
      "admin-key",
      404,
      "odoo.exceptions.MissingError",
    ],
    [
      "a missing mandatory field",
      "sale.order",
      "create",
      { vals_list: [{}] },
      "admin-key",
      422,
      "odoo.exceptions.ValidationError",
    ],
    [
      "an unknown field",
      "res.partner",
      "search_read",
      { fields: ["nope"] },
      "admin-key",
      500,
      "builtins.ValueError",
    ],
  ])("%s → %i %s", async (_case, model, method, body, key, status, name) => {
    const odoo = await start({ version: "19.0" });
    const answer = await json2(odoo.url, model, method, body, { key });
    expect([answer.status, (answer.json as { name: string }).name]).toEqual([status, name]);
  });

  it("explains a wrong parameter in inspect's words", async () => {
    const odoo = await start({ version: "19.0" });
    const answer = await json2(
      odoo.url,
      "res.partner",
      "search_count",
      { bogus_kwarg: 1 },
      { key: "admin-key" },
    );
    expect(answer.json).toMatchObject({
      message: "got an unexpected keyword argument 'bogus_kwarg'",
      arguments: ["got an unexpected keyword argument 'bogus_kwarg'", 422],
    });
  });

  it("points a GET to the right usage", async () => {
    const odoo = await start({ version: "19.0" });
    const answer = await json2(odoo.url, "res.partner", "search", null, {
      key: "admin-key",
      method: "GET",
    });
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ message: "Did you mean POST /json/2/<model>/<method>?" });
  });

  it.each([
    [["estate"], undefined, 200],
    [["estate", "other"], undefined, 404],
    [["estate", "other"], "other", 200],
    [["estate"], "missing", 404],
  ])("databases %j, X-Odoo-Database %s → %i", async (databases, db, status) => {
    const odoo = await start({ version: "19.0", databases });
    const answer = await json2(
      odoo.url,
      "res.partner",
      "search_count",
      { domain: [] },
      { key: "admin-key", db },
    );
    expect(answer.status).toBe(status);
    if (status === 404) expect(answer.text).toContain("<h1>Not Found</h1>");
  });

  it("creates one record or several, answering ids either way", async () => {
    const odoo = await start({ version: "19.0" });
    const one = await json2(
      odoo.url,
      "res.partner",
      "create",
      { vals_list: { name: "A" } },
      { key: "admin-key" },
    );
    const two = await json2(
      odoo.url,
      "res.partner",
      "create",
      { vals_list: [{ name: "B" }, { name: "C" }] },
      { key: "admin-key" },
    );
    expect([one.json, (two.json as number[]).length]).toEqual([[expect.any(Number)], 2]);
  });

  it("does not exist before 19.0", async () => {
    const odoo = await start({ version: "18.0" });
    expect((await search(odoo)).status).toBe(404);
  });
});

describe("faults", () => {
  const partnerSearch = (odoo: FakeOdoo) =>
    executeKw(odoo.url, byKey, "res.partner", "search", [[]]);

  it("holds the answer so that the client's timeout fires", async () => {
    const odoo = await start();
    odoo.inject({ kind: "timeout" });
    const call = fetch(`${odoo.url}/jsonrpc`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        method: "call",
        params: { service: "common", method: "version", args: [] },
      }),
      signal: AbortSignal.timeout(200),
    });
    await expect(call).rejects.toThrow();
    expect(odoo.calls.at(-1)).toMatchObject({ method: "version", status: 0 });
    expect(resultOf(await jsonRpc(odoo.url, "common", "version", []))).toBeTruthy();
  });

  it.each([
    [502, "502 Bad Gateway"],
    [503, "503 Service Temporarily Unavailable"],
  ] as const)("answers %i like nginx in front of Odoo", async (status, title) => {
    const odoo = await start();
    odoo.inject({ kind: "http", status });
    const answer = await partnerSearch(odoo);
    expect([answer.status, answer.json]).toEqual([status, undefined]);
    expect(answer.text).toContain(`<title>${title}</title>`);
  });

  it("sends Retry-After with a 429", async () => {
    const odoo = await start();
    odoo.inject({ kind: "http", status: 429, retryAfter: 3 });
    const answer = await partnerSearch(odoo);
    expect([answer.status, answer.headers.get("retry-after")]).toEqual([429, "3"]);
  });

  it("answers a 500 as an HTML page on JSON-RPC and as JSON on JSON-2", async () => {
    const odoo = await start({ version: "19.0" });
    odoo.inject({ kind: "http", status: 500, times: 2 });
    const rpc = await partnerSearch(odoo);
    const j2 = await json2(odoo.url, "res.partner", "search", { domain: [] }, { key: "admin-key" });
    expect([rpc.status, rpc.json]).toEqual([500, undefined]);
    expect([j2.status, (j2.json as { name: string }).name]).toEqual([
      500,
      "werkzeug.exceptions.InternalServerError",
    ]);
  });

  it.each([
    [
      { kind: "access_denied" } as const,
      0,
      "Odoo Server Error",
      "odoo.exceptions.AccessDenied",
      401,
    ],
    [
      { kind: "session_expired" } as const,
      100,
      "Odoo Session Expired",
      "odoo.http.SessionExpiredException",
      403,
    ],
    [
      {
        kind: "server_error",
        name: "psycopg2.errors.SerializationFailure",
        message: "could not serialize access due to concurrent update",
      } as const,
      0,
      "Odoo Server Error",
      "psycopg2.errors.SerializationFailure",
      500,
    ],
  ])("%j: JSON-RPC code %i, JSON-2 status %i", async (fault, code, message, name, json2Status) => {
    const odoo = await start({ version: "19.0" });
    odoo.inject(fault);
    odoo.inject(fault);
    const error = errorOf(await partnerSearch(odoo));
    expect(error).toMatchObject({ code, message, data: { name } });
    const answer = await json2(
      odoo.url,
      "res.partner",
      "search",
      { domain: [] },
      { key: "admin-key" },
    );
    expect(answer.status).toBe(json2Status);
  });

  it("fails the next `times` matching requests only, then serves again", async () => {
    const odoo = await start();
    odoo.inject({
      kind: "http",
      status: 503,
      times: 2,
      match: { model: "sale.order", method: "search_read" },
    });
    const orders = () =>
      executeKw(odoo.url, byKey, "sale.order", "search_read", [[]], { fields: ["name"] });
    expect((await partnerSearch(odoo)).status).toBe(200);
    expect([(await orders()).status, (await orders()).status, (await orders()).status]).toEqual([
      503, 503, 200,
    ]);
  });
});

describe("calls and hooks", () => {
  it("records protocol, model, method, kwargs and status of every request", async () => {
    const odoo = await start({ version: "19.0" });
    await executeKw(odoo.url, byKey, "res.partner", "search_read", [[]], {
      fields: ["name"],
      limit: 5,
    });
    await json2(odoo.url, "res.partner", "search_count", { domain: [] }, { key: "admin-key" });
    expect(odoo.calls).toEqual([
      {
        protocol: "jsonrpc",
        service: "object",
        model: "res.partner",
        method: "search_read",
        args: [[]],
        kwargs: { fields: ["name"], limit: 5 },
        status: 200,
      },
      {
        protocol: "json2",
        model: "res.partner",
        method: "search_count",
        args: [],
        kwargs: { domain: [] },
        status: 200,
      },
    ]);
  });

  it("lets a test change data between two pages", async () => {
    const odoo = await start();
    for (const name of ["A", "B", "C"]) odoo.create("res.partner", { name, customer_rank: 1 });
    let page = 0;
    odoo.onCall(({ method }) => {
      if (method === "search_read" && ++page === 2)
        odoo.create("res.partner", { name: "0-new", customer_rank: 1 });
    });
    const read = (offset: number) =>
      executeKw(odoo.url, byKey, "res.partner", "search_read", [[["customer_rank", ">", 0]]], {
        fields: ["name"],
        order: "name asc",
        offset,
        limit: 2,
      });
    const first = resultOf(await read(0)) as Array<{ name: string }>;
    const second = resultOf(await read(2)) as Array<{ name: string }>;
    expect([...first, ...second].map((r) => r.name)).toEqual(["A", "B", "B", "C"]);
  });
});
