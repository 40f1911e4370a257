import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isOdooError, type OdooError } from "@crm-reco/core";
import { connectOdoo } from "./connect-odoo.ts";
import type { RetryPolicy } from "./odoo-http.ts";
import type { OdooConnection } from "./odoo-transport.ts";
import { testOdooConnection } from "./test-odoo-connection.ts";
import { type FakeOdoo, startFakeOdoo } from "./test-server/fake-odoo.ts";

const policy: RetryPolicy = { timeoutMs: 500, retries: 2, baseDelayMs: 5, maxDelayMs: 20 };

const users = [
  { uid: 2, login: "admin", password: "admin", apiKeys: ["admin-key-0123456789"] },
  {
    uid: 7,
    login: "caveau",
    password: "caveau",
    apiKeys: ["caveau-key-0123456789"],
    denied: ["sale.order"],
  },
];

async function failureOf(promise: Promise<unknown>): Promise<OdooError> {
  try {
    await promise;
  } catch (error) {
    if (isOdooError(error)) return error;
    throw error;
  }
  throw new Error("expected an Odoo failure");
}

/** One transport per protocol generation, on the server versions that speak it. */
describe.each([
  ["jsonrpc", "16.0"], // search and search_count name their domain `args` up to 16.0
  ["jsonrpc", "17.0"],
  ["json2", "19.0"],
] as const)("Odoo transport %s (Odoo %s)", (protocol, version) => {
  let odoo: FakeOdoo;
  beforeAll(async () => {
    odoo = await startFakeOdoo({ version, users });
  });
  afterAll(async () => odoo.close());
  const as = (
    login: string,
    secret: string,
    extra: Partial<OdooConnection> = {},
  ): OdooConnection => ({
    url: odoo.url,
    database: "estate",
    login,
    secret,
    protocol: "auto",
    ...extra,
  });
  const connect = (connection: OdooConnection) => connectOdoo(connection, { policy });

  it("is chosen by probing the server", async () => {
    const transport = await connect(as("admin", "admin-key-0123456789"));
    expect([transport.protocol, transport.serverVersion]).toEqual([protocol, version]);
    const partners = await transport.call<Array<{ id: number; name: string }>>(
      "res.partner",
      "search_read",
      {
        domain: [["id", "=", 1]],
        fields: ["name"],
      },
    );
    expect(partners).toEqual([{ id: 1, name: "My Company" }]);
  });

  it("reports a refused key as access_denied, and does not retry it", async () => {
    const before = odoo.calls.length;
    const error = await failureOf(
      connect(as("admin", "wrong-key")).then((t) =>
        t.call("res.partner", "search_count", { domain: [] }),
      ),
    );
    expect([error.code, error.retryable]).toEqual(["odoo.access_denied", false]);
    const authenticated = odoo.calls
      .slice(before)
      .filter((c) => c.method === "authenticate" || c.model === "res.partner");
    expect(authenticated).toHaveLength(1);
  });

  it("reports missing rights as access_error, naming the model", async () => {
    const transport = await connect(as("caveau", "caveau-key-0123456789"));
    const error = await failureOf(transport.call("sale.order", "search_count", { domain: [] }));
    expect(error.code).toBe("odoo.access_error");
    expect(error.message).toContain("sale.order");
  });

  it("reports a model that is not installed as unknown_model", async () => {
    const transport = await connect(as("admin", "admin-key-0123456789"));
    const error = await failureOf(transport.call("pos.order", "search_count", { domain: [] }));
    expect(error.code).toBe("odoo.unknown_model");
  });

  it("reports an unknown database", async () => {
    const error = await failureOf(
      connect(as("admin", "admin-key-0123456789", { database: "nope" })).then((t) =>
        t.call("res.partner", "search_count", { domain: [] }),
      ),
    );
    expect(error.code).toBe("odoo.unknown_database");
    expect(error.message).toContain("nope");
  });

  it("reports an expired session", async () => {
    const transport = await connect(as("admin", "admin-key-0123456789"));
    odoo.inject({ kind: "session_expired", match: { model: "res.partner" } });
    const error = await failureOf(transport.call("res.partner", "search_count", { domain: [] }));
    expect([error.code, error.retryable]).toEqual(["odoo.session_expired", false]);
  });

  it.each([
    ["an HTTP 502", { kind: "http" as const, status: 502 as const }],
    ["an HTTP 500", { kind: "http" as const, status: 500 as const }],
    ["a 429 with Retry-After", { kind: "http" as const, status: 429 as const, retryAfter: 0 }],
    ["a timeout", { kind: "timeout" as const }],
    [
      "a serialization failure",
      {
        kind: "server_error" as const,
        name: "psycopg2.errors.SerializationFailure",
        message: "could not serialize access due to concurrent update",
      },
    ],
  ])("retries %s, then succeeds", async (_name, fault) => {
    const transport = await connect(as("admin", "admin-key-0123456789"));
    odoo.inject({ ...fault, times: policy.retries, match: { model: "res.partner" } });
    expect(
      await transport.call<number>("res.partner", "search_count", { domain: [["id", "=", 1]] }),
    ).toBe(1);
  });

  it("gives up after its retries with a clear, retryable failure", async () => {
    const transport = await connect(as("admin", "admin-key-0123456789"));
    const before = odoo.calls.length;
    odoo.inject({
      kind: "http",
      status: 503,
      times: policy.retries + 1,
      match: { model: "res.partner" },
    });
    const error = await failureOf(transport.call("res.partner", "search_count", { domain: [] }));
    expect([error.code, error.retryable]).toEqual(["odoo.unavailable", true]);
    expect(odoo.calls.slice(before).filter((c) => c.model === "res.partner")).toHaveLength(
      policy.retries + 1,
    );
  });

  it("does not retry a Python error in the call itself", async () => {
    const transport = await connect(as("admin", "admin-key-0123456789"));
    const before = odoo.calls.length;
    const error = await failureOf(
      transport.call("res.partner", "search_read", { domain: [], fields: ["x_does_not_exist"] }),
    );
    expect(error.code).toBe("odoo.server_error");
    expect(error.message).toContain("x_does_not_exist");
    expect(odoo.calls.slice(before).filter((c) => c.model === "res.partner")).toHaveLength(1);
  });

  it("explains each failure in a readable connection report, in French and English", async () => {
    const good = await testOdooConnection(as("admin", "admin-key-0123456789"), policy);
    expect(good.ok).toBe(true);
    expect(good.checks.map((c) => c.check)).toEqual([
      "server",
      "credentials",
      "model:res.partner",
      "consent",
      "model:product.product",
      "model:product.template",
      "model:sale.order",
      "order_states",
      "model:sale.order.line",
      "till",
      "mailing_lists",
    ]);
    expect(good.checks[0]!.message.fr).toContain(`Odoo ${version}`);
    expect(good.checks.at(-2)!.message.fr).toBe("Pas de caisse (Point de Vente) dans cet Odoo.");
    expect(good.checks.at(-1)!.message.fr).toBe(
      "Pas de listes de diffusion (Marketing par e-mail) dans cet Odoo.",
    );

    const limited = await testOdooConnection(as("caveau", "caveau-key-0123456789"), policy);
    expect(limited.ok).toBe(false);
    expect(limited.checks.find((c) => c.check === "model:sale.order")).toMatchObject({
      ok: false,
      message: {
        fr: expect.stringContaining("n'a pas le droit"),
        en: expect.stringContaining("may not read"),
      },
    });
    expect(limited.checks.find((c) => c.check === "model:res.partner")).toMatchObject({ ok: true });

    const refused = await testOdooConnection(as("admin", "wrong-key"), policy);
    expect(refused.ok).toBe(false);
    expect(refused.checks.at(-1)).toMatchObject({
      check: protocol === "jsonrpc" ? "connection" : "credentials",
      ok: false,
      message: { fr: expect.stringContaining("clé d'API refusés") },
    });
  });
});

describe("Odoo addresses", () => {
  it("tells a server that is not Odoo from one that is down", async () => {
    const odoo = await startFakeOdoo({ version: "18.0" });
    const notOdoo = await failureOf(
      connectOdoo(
        { url: `${odoo.url}/odoo`, database: "estate", login: "admin", secret: "admin" },
        { policy },
      ),
    );
    expect(notOdoo.code).toBe("odoo.bad_url");
    await odoo.close();

    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const down = await failureOf(
      connectOdoo(
        { url: `http://127.0.0.1:${port}`, database: "estate", login: "admin", secret: "admin" },
        { policy },
      ),
    );
    expect([down.code, down.retryable]).toEqual(["odoo.unreachable", true]);
    const typo = await failureOf(
      connectOdoo(
        { url: "estate.odoo.com", database: "estate", login: "admin", secret: "admin" },
        { policy },
      ),
    );
    expect(typo.code).toBe("odoo.bad_url");
  });

  it("uses the legacy API on 16.0–18.0 even when JSON-2 is asked for only by auto", async () => {
    const odoo = await startFakeOdoo({ version: "18.0" });
    const transport = await connectOdoo(
      { url: odoo.url, database: "estate", login: "admin", secret: "admin", protocol: "auto" },
      { policy },
    );
    expect(transport.protocol).toBe("jsonrpc");
    await odoo.close();
  });

  it("says the till will be read where Point of Sale is installed, with its known customers' orders", async () => {
    const odoo = await startFakeOdoo({ version: "17.0", installed: { pos: true } });
    const partner = odoo.create("res.partner", { name: "Jeanne Roux" });
    odoo.create("pos.order", { partner_id: partner, state: "paid" });
    odoo.create("pos.order", { state: "paid" }); // anonymous
    const report = await testOdooConnection(
      { url: odoo.url, database: "estate", login: "admin", secret: "admin", protocol: "auto" },
      policy,
    );
    expect(report.checks.at(-2)).toMatchObject({
      check: "till",
      ok: true,
      message: {
        fr: expect.stringContaining("Caisse (Point de Vente) lue : 1 ticket à un client connu"),
      },
    });
    await odoo.close();
  });

  it.each(["16.0", "17.0"] as const)(
    "on Odoo %s, says whether the mailing lists' unsubscriptions will be read, and fails when they cannot be",
    async (version) => {
      const odoo = await startFakeOdoo({
        version,
        installed: { massMailing: true },
        users: [
          { uid: 2, login: "admin", password: "admin" },
          {
            uid: 8,
            login: "ventes",
            password: "ventes",
            denied: ["mailing.subscription", "mailing.contact.subscription"],
          },
        ],
      });
      const model = version === "16.0" ? "mailing.contact.subscription" : "mailing.subscription";
      const list = odoo.create("mailing.list", { name: "Lettre du domaine" });
      for (const [email, optOut] of [
        ["a@example.fr", true],
        ["b@example.fr", true],
        ["c@example.fr", false],
      ] as const)
        odoo.create(model, {
          contact_id: odoo.create("mailing.contact", { email }),
          list_id: list,
          opt_out: optOut,
        });
      const reportAs = (login: string) =>
        testOdooConnection(
          { url: odoo.url, database: "estate", login, secret: login, protocol: "auto" },
          policy,
        );
      const read = await reportAs("admin");
      expect(read.ok).toBe(true);
      expect(read.checks.at(-1)).toMatchObject({
        check: "mailing_lists",
        ok: true,
        message: { fr: expect.stringContaining("Listes de diffusion lues : 2 désinscriptions") },
      });
      const unreadable = await reportAs("ventes");
      expect(unreadable.ok).toBe(false);
      expect(unreadable.checks.at(-1)).toMatchObject({
        check: "mailing_lists",
        ok: false,
        message: { en: expect.stringContaining("would not be honoured") },
      });
      await odoo.close();
    },
  );
});
