import ExcelJS from "exceljs";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { Validator } from "@seriousme/openapi-schema-validator";
import { extractText, getDocumentProxy } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../../test/api-client.ts";
import { availableDrivers } from "../../test/databases.ts";
import { createTestServices } from "../../test/services.ts";
import { arrayParam, queryRows } from "../adapters/db/database.ts";
import { createUser } from "../auth/users.ts";
import { customers, products, recommendationRuns, recommendations } from "../db/schema/index.ts";
import { importFile } from "../import/import-file.ts";
import { ensureTenant } from "../repos/tenants.ts";
import type { Services } from "../services.ts";
import { seedOdooEstate } from "../../test/odoo-estate.ts";
import { startFakeOdoo } from "../odoo/test-server/fake-odoo.ts";
import { createApp } from "./app.ts";
import { ReadCache } from "./read-cache.ts";

const PASSWORD = "correct horse battery";

/** Two estates with the same shape: whatever A can do, it must not reach B's rows. */
async function seedEstate(services: Services, slug: string) {
  const db = services.db.db;
  const tenant = await ensureTenant(db, { slug, name: `Domaine ${slug}` });
  for (const role of ["admin", "editor", "viewer"] as const)
    await createUser(db, tenant.id, { email: `${role}@${slug}.fr`, password: PASSWORD, role });
  const people = await db
    .insert(customers)
    .values([
      {
        tenantId: tenant.id,
        customerCode: `${slug}-1`,
        lastName: "Martin",
        firstName: "Anne",
        email: "anne@exemple.fr",
        kind: "private",
        consentEmail: "opt_in",
        consentEmailSource: "boutique 2024",
      },
      {
        tenantId: tenant.id,
        customerCode: `${slug}-2`,
        lastName: '=HYPERLINK("x")',
        email: "b@exemple.fr",
        kind: "private",
        consentEmail: "unknown",
      },
      {
        tenantId: tenant.id,
        customerCode: `${slug}-3`,
        company: "Cave du Port",
        email: "cave@exemple.fr",
        kind: "trade",
        consentEmail: "unknown",
      },
      {
        tenantId: tenant.id,
        customerCode: `${slug}-4`,
        lastName: "Durand",
        email: "d@exemple.fr",
        kind: "private",
        consentEmail: "opt_out",
      },
    ])
    .returning({ id: customers.id });
  const wines = await db
    .insert(products)
    .values([
      { tenantId: tenant.id, sku: "CR21", name: "Crémant Brut 2021", priceInclTax: "12.50" },
      { tenantId: tenant.id, sku: "PN22", name: "Pinot Noir VV 2022", priceInclTax: "18.00" },
    ])
    .returning({ id: products.id });
  const [run] = await db
    .insert(recommendationRuns)
    .values({ tenantId: tenant.id, algorithm: "hybrid", status: "succeeded" })
    .returning({ id: recommendationRuns.id });
  const recos = await db
    .insert(recommendations)
    .values(
      people.flatMap((p, i) =>
        wines.map((w, j) => ({
          tenantId: tenant.id,
          runId: run!.id,
          customerId: p.id,
          productId: w.id,
          algorithm: j === 0 ? "itemknn" : "popularity",
          score: 1 - i * 0.1 - j * 0.05,
          confidence: 0.9 - i * 0.2 - j * 0.1,
          rank: j + 1,
          explanation: { fr: `Essai ${i}-${j}`, en: `Try ${i}-${j}`, fallback: j === 1 },
        })),
      ),
    )
    .returning({ id: recommendations.id });
  return {
    tenant,
    customers: people.map((p) => p.id),
    products: wines.map((w) => w.id),
    recommendations: recos.map((r) => r.id),
  };
}

describe.each(availableDrivers.filter((d) => d !== "neon"))("HTTP API on %s", (driver) => {
  let services: Services & { close(): Promise<void> };
  let app: ReturnType<typeof createApp>;
  let a: Awaited<ReturnType<typeof seedEstate>>;
  let b: Awaited<ReturnType<typeof seedEstate>>;
  let api: ReturnType<typeof apiClient>;

  let stopWatching: () => Promise<void>;

  beforeAll(async () => {
    services = await createTestServices(driver);
    // As the VPS server runs it: callers and review pages kept while nothing is written, so
    // every test below also checks that a write is seen by the next read.
    const readCache = new ReadCache({ maxBytes: 1 << 24, maxAgeMs: 60_000, now: Date.now });
    stopWatching = await services.db.watchChanges!(readCache);
    services = { ...services, readCache };
    app = createApp(services);
    api = apiClient(app, PASSWORD);
    a = await seedEstate(services, "alpha");
    b = await seedEstate(services, "beta");
  });
  afterAll(async () => {
    await stopWatching?.();
    await services?.close();
  });

  const call = (...args: Parameters<ReturnType<typeof apiClient>["call"]>) => api.call(...args);
  const signIn = (email: string) => api.signIn(email);

  it("signs in with an HttpOnly, Secure, SameSite=Lax cookie, and out again", async () => {
    const wrong = await call("POST", "/api/auth/sign-in", {
      body: { email: "admin@alpha.fr", password: "nope", estate: "alpha" },
    });
    expect(wrong.status).toBe(401);
    const ok = await app.request("/api/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "Editor@Alpha.fr", password: PASSWORD, estate: "alpha" }),
    });
    expect(ok.status).toBe(200);
    const cookie = ok.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^crm_session=[\w-]{40,};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("SameSite=Lax");
    const { csrfToken } = (await ok.json()) as { csrfToken: string };
    const headers = { cookie: cookie.split(";")[0]! };
    const me = await app.request("/api/auth/me", { headers });
    expect(await me.json()).toMatchObject({
      email: "editor@alpha.fr",
      role: "editor",
      estate: { slug: "alpha" },
    });
    const out = await app.request("/api/auth/sign-out", {
      method: "POST",
      headers: { ...headers, "x-csrf-token": csrfToken },
    });
    expect(out.status).toBe(204);
    expect((await app.request("/api/auth/me", { headers })).status).toBe(401);
  });

  it("limits failed sign-ins, then answers 429 with Retry-After", async () => {
    const attempt = () =>
      call("POST", "/api/auth/sign-in", {
        body: { email: "viewer@beta.fr", password: "wrong", estate: "beta" },
        headers: { "x-forwarded-for": "203.0.113.7" },
      });
    for (let i = 0; i < 10; i++) expect((await attempt()).status).toBe(401);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("limits failed sign-ins to one account from however many addresses the header claims", async () => {
    const attempt = (i: number) =>
      call("POST", "/api/auth/sign-in", {
        body: { email: "ghost@beta.fr", password: "wrong", estate: "beta" },
        headers: { "x-forwarded-for": `198.51.100.${i % 250}` },
      });
    // At once, as an attack would come (and each refusal costs a password hash's time).
    const failed = await Promise.all(Array.from({ length: 50 }, (_, i) => attempt(i)));
    expect(failed.every((r) => r.status === 401)).toBe(true);
    const statuses: number[] = [];
    for (let i = 50; i < 55; i++) statuses.push((await attempt(i)).status);
    expect(statuses).toEqual([429, 429, 429, 429, 429]);
    // Another account is not locked by it.
    const other = await call("POST", "/api/auth/sign-in", {
      body: { email: "another-ghost@beta.fr", password: "wrong", estate: "beta" },
      headers: { "x-forwarded-for": "198.51.100.1" },
    });
    expect(other.status).toBe(401);
  });

  it("lets a user locked out by strangers' failures sign in from an address they signed in from before", async () => {
    const signIn = (password: string, from: string) =>
      call("POST", "/api/auth/sign-in", {
        body: { email: "admin@beta.fr", password, estate: "beta" },
        headers: { "x-forwarded-for": from },
      });
    expect((await signIn(PASSWORD, "192.0.2.10")).status).toBe(200);
    const failed = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signIn("wrong", `198.51.100.${i + 1}`)),
    );
    expect(failed.every((r) => r.status === 401)).toBe(true);
    expect((await signIn("wrong", "198.51.100.200")).status).toBe(429);
    // Elsewhere, even with the right password, the account stays locked; from the office, it opens.
    expect((await signIn(PASSWORD, "203.0.113.99")).status).toBe(429);
    expect((await signIn(PASSWORD, "192.0.2.10")).status).toBe(200);
  });

  it("refuses a cookie-authenticated write without the CSRF header", async () => {
    const id = a.recommendations[0]!;
    const refused = await call("POST", `/api/recommendations/${id}/approve`, {
      as: "editor@alpha.fr",
      csrf: false,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "auth.forbidden" });
  });

  it("reviews recommendations: filter, page, approve, reject with a reason, rate, and logs every write", async () => {
    const page = await call("GET", "/api/recommendations?limit=3&minConfidence=0.65", {
      as: "viewer@alpha.fr",
    });
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(3); // confidences 0.9, 0.8, 0.7 are ≥ 0.65
    expect(page.body.items!.map((r) => r.confidence)).toEqual(
      [0.9, 0.8, 0.7].map((x) => expect.closeTo(x, 5)),
    );
    const [first, second] = page.body.items!;
    expect(first).toMatchObject({
      status: "pending",
      explanation: { fr: "Essai 0-0", fallback: false },
    });

    expect(
      (await call("POST", `/api/recommendations/${first!.id}/approve`, { as: "viewer@alpha.fr" }))
        .status,
    ).toBe(403);
    const approved = await call("POST", `/api/recommendations/${first!.id}/approve`, {
      as: "editor@alpha.fr",
      headers: { "x-request-id": "nginx-0f3a9c" }, // Nginx's $request_id, kept in the audit log
    });
    expect(approved.body).toMatchObject({ status: "approved" });
    expect(
      await queryRows(
        services.db.db,
        sql`select request_id from audit_log where entity_id = ${first!.id}`,
      ),
    ).toEqual([{ request_id: "nginx-0f3a9c" }]);
    const noReason = await call("POST", `/api/recommendations/${second!.id}/reject`, {
      as: "editor@alpha.fr",
      body: { reason: " " },
    });
    expect(noReason.status).toBe(400);
    const rejected = await call("POST", `/api/recommendations/${second!.id}/reject`, {
      as: "editor@alpha.fr",
      body: { reason: "Ne boit pas de rouge" },
    });
    expect(rejected.body).toMatchObject({
      status: "rejected",
      rejectReason: "Ne boit pas de rouge",
    });

    await call("PUT", `/api/recommendations/${first!.id}/feedback`, {
      as: "editor@alpha.fr",
      body: { rating: 2 },
    });
    const rated = await call("PUT", `/api/recommendations/${first!.id}/feedback`, {
      as: "editor@alpha.fr",
      body: { rating: 5, comment: "Parfait" },
    });
    expect(rated.body).toMatchObject({ rating: 5, comment: "Parfait" });
    const after = await call("GET", `/api/recommendations/${first!.id}`, { as: "viewer@alpha.fr" });
    expect(after.body.feedback).toEqual({ count: 1, meanRating: 5 });
    expect(
      (
        await call("PUT", `/api/recommendations/${first!.id}/feedback`, {
          as: "editor@alpha.fr",
          body: { rating: 6 },
        })
      ).status,
    ).toBe(400);

    const log = await call("GET", "/api/audit-log", { as: "admin@alpha.fr" });
    expect(log.body.items!.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        "recommendation.approved",
        "recommendation.rejected",
        "feedback.saved",
      ]),
    );
    expect(log.body.items!.find((e) => e.action === "recommendation.approved")).toMatchObject({
      actor: "editor@alpha.fr",
      entityId: first!.id,
      before: { status: "pending" },
      after: { status: "approved" },
    });
    // The total comes with the page, and still when the page is past the end.
    expect(log.body.total).toBe(log.body.items!.length);
    const pastEnd = await call("GET", "/api/audit-log?offset=10000", { as: "admin@alpha.fr" });
    expect(pastEnd.body).toMatchObject({ items: [], total: log.body.total });
    expect((await call("GET", "/api/audit-log", { as: "editor@alpha.fr" })).status).toBe(403);
  });

  it("approves in bulk by filter, only pending ones of the caller's estate", async () => {
    const bulk = await call("POST", "/api/recommendations/bulk", {
      as: "editor@alpha.fr",
      body: { action: "approve", filter: { algorithm: "popularity" } },
    });
    expect(bulk.status).toBe(200);
    const pendingPopularity = await call(
      "GET",
      "/api/recommendations?algorithm=popularity&status=pending",
      { as: "viewer@alpha.fr" },
    );
    expect(pendingPopularity.body.total).toBe(0);
    expect((bulk.body.updated as number) + 0).toBeGreaterThan(0);
    const inBeta = await call("GET", "/api/recommendations?status=approved", {
      as: "viewer@beta.fr",
    });
    expect(inBeta.body.total).toBe(0);
    const both = await call("POST", "/api/recommendations/bulk", {
      as: "editor@alpha.fr",
      body: { action: "reject", ids: [a.recommendations[7]!] },
    });
    expect(both.status).toBe(400); // a rejection needs a reason
  });

  it("exports approved recommendations for mailing without customers lacking consent, safely, and marks them exported", async () => {
    await call("POST", "/api/recommendations/bulk", {
      as: "editor@alpha.fr",
      body: { action: "approve", ids: a.recommendations },
    });
    const exported = await call("POST", "/api/exports/mailing", {
      as: "editor@alpha.fr",
      body: { channel: "email" },
    });
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toContain("text/csv");
    const csv = exported.body as unknown as string;
    expect(
      csv.startsWith(
        "\uFEFFemail;civility;first_name;last_name;company;customer_code;segment;consent_basis;products",
      ),
    ).toBe(true);
    expect(csv).toContain("anne@exemple.fr"); // private, opted in
    expect(csv).toContain("cave@exemple.fr"); // trade: B2B, not objected
    expect(csv).not.toContain("b@exemple.fr"); // private, consent unknown
    expect(csv).not.toContain("d@exemple.fr"); // opted out
    expect(csv).not.toMatch(/;=HYPERLINK/);
    expect(exported.headers.get("x-exported-customers")).toBe("2");
    expect(JSON.parse(exported.headers.get("x-excluded-reasons")!)).toEqual({
      no_consent: 1,
      opted_out: 1,
    });
    const marked = await call("GET", "/api/recommendations?status=exported", {
      as: "viewer@alpha.fr",
    });
    expect(marked.body.total).toBeGreaterThanOrEqual(2);
    const conflict = await call(
      "POST",
      `/api/recommendations/${marked.body.items![0]!.id}/reject`,
      { as: "editor@alpha.fr", body: { reason: "trop tard" } },
    );
    expect(conflict.status).toBe(409);
    expect(
      (await call("POST", "/api/exports/mailing", { as: "viewer@alpha.fr", body: {} })).status,
    ).toBe(403);
    // The customer's page says when they were written to, and when a run may propose again.
    const written = await call(
      "GET",
      `/api/customers/${(marked.body.items![0]! as unknown as { customer: { id: string } }).customer.id}`,
      {
        as: "viewer@alpha.fr",
      },
    );
    const day = (iso: string, plus = 0) =>
      new Date(Date.parse(iso.slice(0, 10)) + plus * 86_400_000).toISOString().slice(0, 10);
    const contact = written.body.lastContact as {
      at: string;
      channel: string;
      nextAllowedOn: string;
    };
    expect(contact.channel).toBe("email");
    expect(contact.nextAllowedOn).toBe(day(contact.at, 135));
    expect(
      (await call("GET", `/api/customers/${a.customers[1]}`, { as: "viewer@alpha.fr" })).body
        .lastContact,
    ).toBeNull();
  });

  it("lists and shows customers of the caller's estate only", async () => {
    const list = await call("GET", "/api/customers?q=mart", { as: "viewer@alpha.fr" });
    expect(list.body.items!.map((c) => c.code)).toEqual(["alpha-1"]);
    expect(list.body.total).toBe(1);
    const trade = await call("GET", "/api/customers?kind=trade", { as: "viewer@alpha.fr" });
    expect(trade.body.items!.map((c) => c.code)).toEqual(["alpha-3"]);
    const secondPage = await call("GET", "/api/customers?limit=1&offset=1", {
      as: "viewer@alpha.fr",
    });
    expect(secondPage.body.items).toHaveLength(1);
    expect(secondPage.body.total).toBe(a.customers.length);
    const detail = await call("GET", `/api/customers/${a.customers[0]}`, { as: "viewer@alpha.fr" });
    expect(detail.body).toMatchObject({ code: "alpha-1", consentEmail: "opt_in" });
    expect((detail.body.recommendations as unknown[]).length).toBe(2);
    const dashboard = await call("GET", "/api/dashboard", { as: "viewer@alpha.fr" });
    expect(dashboard.body).toMatchObject({ customers: 4, products: 2 });
  });

  it("creates, uses and revokes API keys (admin only), shown once and stored hashed", async () => {
    expect(
      (
        await call("POST", "/api/api-keys", {
          as: "editor@alpha.fr",
          body: { name: "Odoo", role: "viewer" },
        })
      ).status,
    ).toBe(403);
    const created = await call("POST", "/api/api-keys", {
      as: "admin@alpha.fr",
      body: { name: "Odoo", role: "viewer" },
    });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect(key).toMatch(/^crk_[\w-]{8}_[\w-]+$/);
    const stored = await services.db.db.execute(
      sql`select key_hash from api_keys where id = ${created.body.id as string}::uuid`,
    );
    expect(JSON.stringify(stored)).not.toContain(key);
    const viaKey = await app.request("/api/recommendations?limit=1", {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(viaKey.status).toBe(200);
    const write = await app.request(`/api/recommendations/${a.recommendations[6]}/approve`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}` },
    });
    expect(write.status).toBe(403); // a viewer key
    expect(
      (await call("DELETE", `/api/api-keys/${created.body.id}`, { as: "admin@alpha.fr" })).status,
    ).toBe(204);
    expect(
      (await app.request("/api/dashboard", { headers: { authorization: `Bearer ${key}` } })).status,
    ).toBe(401);
  });

  const waitForJob = async (jobId: string, as: string) => {
    for (let i = 0; i < 300; i++) {
      const job = await call("GET", `/api/jobs/${jobId}`, { as });
      if (job.body.status === "succeeded" || job.body.status === "failed") return job.body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`job ${jobId} did not finish`);
  };
  const SALES = [
    "N° facture;Date pièce;N° client;Code article;Désignation;Qté",
    ...Array.from({ length: 30 }, (_, c) => [
      `F${c}a;0${1 + (c % 9)}/01/2025;K${c};CR21;Crémant Brut 2021;${1 + (c % 3)}`,
      ...(c % 2 ? [`F${c}b;1${c % 9}/02/2025;K${c};PN22;Pinot Noir VV 2022;2`] : []),
      ...(c % 3 ? [`F${c}c;1${c % 9}/03/2025;K${c};RI23;Riesling 2023;1`] : []),
    ]).flat(),
    "F99;31/02/2025;K1;CR21;Crémant Brut 2021;1",
  ].join("\r\n");
  const importSales = async (estate: string) => {
    const source = await call("POST", "/api/sources", {
      as: `admin@${estate}.fr`,
      body: { name: "iSaVigne", kind: "file" },
    });
    expect(source.status).toBe(201);
    const sourceId = source.body.id as string;
    const target = await call("POST", "/api/uploads", {
      as: `editor@${estate}.fr`,
      body: { sourceId, entity: "order_lines", fileName: "ventes.csv" },
    });
    expect(target.body).toMatchObject({
      method: "POST",
      url: `/api/sources/${sourceId}/files`,
      fileField: "file",
    });
    const form = new FormData();
    form.set("entity", "order_lines");
    form.set(
      "file",
      new File([new TextEncoder().encode(SALES)], "ventes.csv", { type: "text/csv" }),
    );
    const session = await signIn(`editor@${estate}.fr`);
    const uploaded = await app.request(target.body.url as string, {
      method: "POST",
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf },
      body: form,
    });
    expect(uploaded.status).toBe(202);
    const jobId = ((await uploaded.json()) as { id: string }).id;
    const job = await waitForJob(jobId, `viewer@${estate}.fr`);
    expect(job).toMatchObject({
      status: "succeeded",
      result: { status: "partial", rowsRejected: 1 },
    });
    return { sourceId, jobId, runId: (job.result as { runId: string }).runId };
  };

  it("imports an uploaded export as a job: history, rejected rows (JSON and CSV), metrics; refuses binaries", async () => {
    const { sourceId, runId } = await importSales("alpha");
    // The buyers have their segment at once, before any recommendation run.
    const [segmented] = await queryRows<{ n: number }>(
      services.db.db,
      sql`select count(*)::int as n from customer_segments s join orders o on o.customer_id = s.customer_id
          join sync_runs r on r.id = ${runId}::uuid where o.source_id = r.source_id`,
    );
    expect(segmented!.n).toBeGreaterThan(0);
    const runs = await call("GET", `/api/sources/${sourceId}/runs`, { as: "viewer@alpha.fr" });
    expect(runs.body.total).toBe(1);
    expect(runs.body.items![0]).toMatchObject({
      id: runId,
      trigger: "upload",
      fileName: "ventes.csv",
      rowsRejected: 1,
    });
    const rejectedRows = await call("GET", `/api/runs/${runId}/rejected-rows`, {
      as: "viewer@alpha.fr",
    });
    expect(rejectedRows.body.total).toBe(1);
    expect(rejectedRows.body.items![0]).toMatchObject({
      raw: expect.stringContaining("31/02/2025"),
    });
    const csv = await call("GET", `/api/runs/${runId}/rejected-rows?format=csv`, {
      as: "viewer@alpha.fr",
    });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.body as unknown as string).toMatch(/^\uFEFFline;reasons;raw\r\n/);
    expect(csv.body as unknown as string).toContain('"31/02/2025"" is not a date');
    // The estate's staff download it in French, as the web app shows the reason.
    const french = await call("GET", `/api/runs/${runId}/rejected-rows?format=csv&lang=fr`, {
      as: "viewer@alpha.fr",
    });
    expect(french.body as unknown as string).toMatch(/^\uFEFFligne;raisons;contenu\r\n/);
    expect(french.body as unknown as string).toContain(
      "« 31/02/2025 » n'est pas une date (jour/mois/année attendu)",
    );
    const [rejectedAnomaly] = await queryRows<{ fr: string; en: string }>(
      services.db.db,
      sql`select details->'message'->>'fr' as fr, details->'message'->>'en' as en from anomalies
          where sync_run_id = ${runId}::uuid and code = 'row.rejected'`,
    );
    expect(rejectedAnomaly!.fr).toMatch(
      /^Ligne non importée : .* : « 31\/02\/2025 » n'est pas une date/,
    );
    expect(rejectedAnomaly!.en).toMatch(/^Row not imported: .*: "31\/02\/2025" is not a date/);
    const metrics = await call("GET", `/api/sources/${sourceId}/metrics`, {
      as: "viewer@alpha.fr",
    });
    expect(metrics.body).toMatchObject({ runs: 1, byStatus: { partial: 1 }, rowsRejected: 1 });
    const sources = await call("GET", "/api/sources", { as: "viewer@alpha.fr" });
    expect(sources.body.items!.find((x) => x.id === sourceId)).toMatchObject({
      lastRun: { id: runId },
    });

    const binary = new FormData();
    binary.set("entity", "order_lines");
    binary.set(
      "file",
      new File([new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3])], "ventes.csv"),
    );
    const session = await signIn("editor@alpha.fr");
    const refused = await app.request(`/api/sources/${sourceId}/files`, {
      method: "POST",
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf },
      body: binary,
    });
    expect(refused.status).toBe(415);
    const preview = await call("GET", `/api/sources/${sourceId}/preview?rows=5`, {
      as: "viewer@alpha.fr",
    });
    expect(preview.body.file).toMatchObject({
      name: "ventes.csv",
      entity: "order_lines",
      format: "csv",
      delimiter: ";",
    });
    expect(preview.body.mapping).toMatchObject({
      document_number: "N° facture",
      customer_external_id: "N° client",
    });
    expect((preview.body.preview as { rows: unknown[] }).rows).toHaveLength(5);
    const validation = await call("GET", `/api/sources/${sourceId}/validation`, {
      as: "viewer@alpha.fr",
    });
    expect(validation.body.lastRun).toMatchObject({ id: runId });
    expect(validation.body.rejectedByReason).toEqual([
      {
        code: expect.any(String),
        rows: 1,
        example: { fr: expect.stringMatching(/\w/), en: expect.stringMatching(/\w/) },
      },
    ]);
    const tested = await call("POST", `/api/sources/${sourceId}/test`, { as: "editor@alpha.fr" });
    expect(tested.body).toMatchObject({
      ok: true,
      checks: [
        { check: "file", ok: true },
        { check: "read", ok: true },
        { check: "mapping", ok: true },
      ],
    });
    const again = await call("POST", `/api/sources/${sourceId}/sync`, { as: "editor@alpha.fr" });
    expect(again.status).toBe(202);
    expect(await waitForJob(again.body.id as string, "viewer@alpha.fr")).toMatchObject({
      status: "succeeded",
      result: { rowsUnchanged: expect.any(Number) },
    });
    expect(
      (
        await call("POST", "/api/sources", {
          as: "admin@alpha.fr",
          body: { name: "iSaVigne", kind: "file" },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await call("POST", "/api/sources", {
          as: "editor@alpha.fr",
          body: { name: "Odoo", kind: "odoo" },
        })
      ).status,
    ).toBe(403);
  });

  it("regenerates as a job, then reports the measured metrics and finds the customers for a wine", async () => {
    const queued = await call("POST", "/api/recommendations/regenerate", {
      as: "editor@alpha.fr",
      body: { k: 2 },
    });
    expect(queued.status).toBe(202);
    const job = await waitForJob(queued.body.id as string, "viewer@alpha.fr");
    expect(job).toMatchObject({
      status: "succeeded",
      result: { algorithm: "hybrid", customers: 30 },
    });
    const report = await call("GET", "/api/reports/audit", { as: "viewer@alpha.fr" });
    // Eleven weeks of sales (1 January to 18 March): the backtest holds out their last third, 25
    // days, and confidence is of a purchase within those 25 days, not the usual 180.
    expect(report.body.lastRun).toMatchObject({
      algorithm: "hybrid",
      evaluation: { k: 10, splitDate: "2025-02-21", horizonDays: 25 },
    });
    const listed = await call("GET", "/api/recommendations?limit=200", { as: "viewer@alpha.fr" });
    const made = (listed.body.items as Array<Record<string, unknown>>).filter(
      (r) => r.runId === (report.body.lastRun as { id: string }).id,
    );
    expect(made.length).toBeGreaterThan(0);
    for (const r of made) expect(r.confidenceHorizonDays).toBe(25);
    expect(typeof report.body.approvalRate).toBe("number");
    expect(report.body.feedback).toEqual([
      expect.objectContaining({ rating: 5, comment: "Parfait", by: "editor@alpha.fr" }),
    ]);
    // Per algorithm, the same decisions and ratings, split: nothing counted twice or lost.
    const review = report.body.reviewByAlgorithm as Array<Record<string, number | string>>;
    const byStatus = report.body.byStatus as Record<string, number>;
    const sum = (key: string) => review.reduce((s, r) => s + Number(r[key]), 0);
    expect(sum("proposed")).toBe(Object.values(byStatus).reduce((s, n) => s + n, 0));
    expect(sum("rejected")).toBe(byStatus.rejected ?? 0);
    expect(sum("approved")).toBe((byStatus.approved ?? 0) + (byStatus.exported ?? 0));
    expect(review.filter((r) => r.ratings === 1)).toEqual([
      expect.objectContaining({ ratings: 1, meanRating: 5 }),
    ]);
    const [{ id: productId }] = (await queryRows<{ id: string }>(
      services.db.db,
      sql`select p.id from products p join tenants t on t.id = p.tenant_id where t.slug = 'alpha' and p.sku = 'RI23'`,
    )) as [{ id: string }];
    const leads = await call("GET", `/api/products/${productId}/customers?k=5`, {
      as: "viewer@alpha.fr",
    });
    expect(leads.status).toBe(200);
    expect(leads.body.items!.length).toBeGreaterThan(0);
    expect(leads.body.items![0]).toMatchObject({
      customer: { id: expect.any(String), code: expect.stringMatching(/^K\d+$/) },
      explanation: { fr: expect.any(String) },
    });
    const one = await call("POST", "/api/recommendations/regenerate", {
      as: "editor@alpha.fr",
      body: { customerId: b.customers[0] },
    });
    expect(one.status).toBe(404);
  });

  const insertCandidateAndAnomaly = async (tenantId: string, customerIds: string[]) => {
    const [x, y] = [...customerIds].sort();
    const [candidate] = await queryRows<{ id: string }>(
      services.db.db,
      sql`insert into merge_candidates (tenant_id, customer_a, customer_b, score, reasons)
          values (${tenantId}::uuid, ${x}::uuid, ${y}::uuid, 0.82, '[{"field":"email"}]'::jsonb) returning id`,
    );
    const [anomaly] = await queryRows<{ id: string }>(
      services.db.db,
      sql`insert into anomalies (tenant_id, entity, record_key, field, code, severity, details)
          values (${tenantId}::uuid, 'customers', 'C-9', 'email', 'email.invalid', 'high', '{"value":"x@"}'::jsonb) returning id`,
    );
    return { candidateId: candidate!.id, anomalyId: anomaly!.id };
  };

  it("reviews merge candidates and anomalies", async () => {
    const { candidateId, anomalyId } = await insertCandidateAndAnomaly(a.tenant.id, [
      a.customers[0]!,
      a.customers[3]!,
    ]);
    const queue = await call("GET", "/api/merge-candidates", { as: "viewer@alpha.fr" });
    expect(queue.body.items!.map((m) => m.id)).toEqual([candidateId]);
    expect(queue.body.total).toBe(1);
    expect(
      (
        await call("POST", `/api/merge-candidates/${candidateId}/decision`, {
          as: "viewer@alpha.fr",
          body: { decision: "accept" },
        })
      ).status,
    ).toBe(403);
    const accepted = await call("POST", `/api/merge-candidates/${candidateId}/decision`, {
      as: "editor@alpha.fr",
      body: { decision: "accept" },
    });
    expect(accepted.body).toMatchObject({ status: "accepted", survivorId: expect.any(String) });
    const mergedAway = [a.customers[0], a.customers[3]].find(
      (c) => c !== accepted.body.survivorId,
    )!;
    const listed = await call("GET", "/api/customers?limit=500", { as: "viewer@alpha.fr" });
    expect(listed.body.items!.map((c) => c.id)).not.toContain(mergedAway);
    expect(
      (
        await call("POST", `/api/merge-candidates/${candidateId}/decision`, {
          as: "editor@alpha.fr",
          body: { decision: "reject" },
        })
      ).status,
    ).toBe(409);

    const open = await call("GET", "/api/anomalies?severity=high", { as: "viewer@alpha.fr" });
    expect(open.body.items!.map((x) => x.id)).toContain(anomalyId);
    const allOpen = await call("GET", "/api/anomalies", { as: "viewer@alpha.fr" });
    const ignored = await call("POST", `/api/anomalies/${anomalyId}/decision`, {
      as: "editor@alpha.fr",
      body: { status: "ignored" },
    });
    expect(ignored.body).toMatchObject({ id: anomalyId, status: "ignored", code: "email.invalid" });
    const stillOpen = await call("GET", "/api/anomalies", { as: "viewer@alpha.fr" });
    expect(stillOpen.body.items!.map((x) => x.id)).not.toContain(anomalyId);
    expect(stillOpen.body.total).toBe(Number(allOpen.body.total) - 1);
  });

  it("exports one person's data, then erases them and keeps their orders anonymised", async () => {
    const [k1] = await queryRows<{ id: string }>(
      services.db.db,
      sql`select c.id from customers c join tenants t on t.id = c.tenant_id where t.slug = 'alpha' and c.customer_code = 'K1'`,
    );
    expect(
      (await call("GET", `/api/customers/${k1!.id}/gdpr-export`, { as: "editor@alpha.fr" })).status,
    ).toBe(403);
    const exported = await call("GET", `/api/customers/${k1!.id}/gdpr-export`, {
      as: "admin@alpha.fr",
    });
    expect(exported.status).toBe(200);
    expect(exported.body.customer).toMatchObject({ customer_code: "K1" });
    expect((exported.body.orders as unknown[]).length).toBeGreaterThan(0);
    expect(
      (exported.body.identities as Array<{ external_id: string }>).map((i) => i.external_id),
    ).toContain("K1");

    const [{ source_id: sourceId, tenant_id: tenantId }] = (await queryRows<{
      source_id: string;
      tenant_id: string;
    }>(
      services.db.db,
      sql`select source_id, tenant_id from customer_identities where customer_id = ${k1!.id}::uuid`,
    )) as [{ source_id: string; tenant_id: string }];
    await services.db.db.execute(
      sql`update customers set mobile = '+33612345678', phone = '+33389412345', email = 'k1@exemple.fr', last_name = 'Dupônt' where id = ${k1!.id}::uuid`,
    );
    // The estate's uploaded exports: two name K1 (a workbook by the code, a CSV by the e-mail
    // inside a cell), one names K10 and K2 only.
    const kept = (name: string) => `${tenantId}/imports/erasure-${name}`;
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet("Clients").addRows([
      ["N° client", "Nom"],
      ["K1", "Dupont"],
    ]);
    await services.blobs.put(
      kept("clients.xlsx"),
      new Uint8Array(await workbook.xlsx.writeBuffer()),
    );
    const csv = (text: string) => new TextEncoder().encode(text);
    await services.blobs.put(
      kept("contacts.csv"),
      csv(`Client;Contact\nK9;"Jean Dupont <K1@EXEMPLE.FR>"\n`),
    );
    await services.blobs.put(kept("others.csv"), csv("N° client;Nom\nK10;Autre\nK2;Martin\n"));
    // Rejected lines of past imports: K1's e-mail in a list, K1's Odoo-like number 5017 beside
    // their name, and the same number alone as a vintage, which is no one.
    await services.db.db.execute(
      sql`insert into customer_identities (tenant_id, customer_id, source_id, external_id)
          values (${tenantId}::uuid, ${k1!.id}::uuid, ${sourceId}::uuid, '5017'), (${tenantId}::uuid, ${k1!.id}::uuid, ${sourceId}::uuid, '417')`,
    );
    const rejectedLines = [
      `K9;"a@x.fr, K1@exemple.fr";12`,
      `F9;5017;DUPONT Jean;-1`,
      `Riesling;5017;75 cl`,
      // A small customer number beside the name written without its accent.
      `F10;417;DUPONT Hélène;2`,
      `F11;417;Martin;2`,
    ];
    await services.db.db.execute(
      sql`insert into rejected_rows (tenant_id, sync_run_id, line_number, raw, reasons)
          select ${tenantId}::uuid, (select id from sync_runs where tenant_id = ${tenantId}::uuid limit 1), n, raw, '[]'::jsonb
          from unnest(${arrayParam(rejectedLines, "text")}) with ordinality as r(raw, n)`,
    );
    const before = (await call("GET", "/api/dashboard", { as: "viewer@alpha.fr" })).body;
    expect(
      (await call("POST", `/api/customers/${k1!.id}/erase`, { as: "admin@alpha.fr" })).status,
    ).toBe(204);
    expect((await services.blobs.list(`${tenantId}/imports/erasure-`)).map((b) => b.key)).toEqual([
      kept("others.csv"),
    ]);
    const [numbers] = await queryRows<{ phone: string | null; mobile: string | null }>(
      services.db.db,
      sql`select phone, mobile from customers where id = ${k1!.id}::uuid`,
    );
    expect(numbers).toEqual({ phone: null, mobile: null });
    // Nor does the anomaly of the sales file that named K1 before the customers file came.
    const [named] = await queryRows<{ n: number }>(
      services.db.db,
      sql`select count(*)::int as n from anomalies a join customer_identities i on i.source_id = a.source_id
          where i.customer_id = ${k1!.id}::uuid and a.record_key = 'K1'`,
    );
    expect(named!.n).toBe(0);
    expect((await call("GET", `/api/customers/${k1!.id}`, { as: "viewer@alpha.fr" })).status).toBe(
      404,
    );
    const after = (await call("GET", "/api/dashboard", { as: "viewer@alpha.fr" })).body;
    expect(after.orders).toBe(before.orders);
    expect(after.customers).toBe((before.customers as number) - 1);
    const [left] = await queryRows<{ code: string | null; identities: number; rejected: number }>(
      services.db.db,
      sql`select c.customer_code as code,
                 (select count(*)::int from customer_identities i where i.customer_id = c.id) as identities,
                 (select count(*)::int from rejected_rows r where r.tenant_id = c.tenant_id and r.raw like '%;K1;%') as rejected
          from customers c where c.id = ${k1!.id}::uuid`,
    );
    // Only a digest of their ids in the source is kept: what honours the erasure below.
    expect(left).toEqual({ code: null, identities: 3, rejected: 0 });
    const rejectedLeft = await queryRows<{ raw: string }>(
      services.db.db,
      sql`select raw from rejected_rows where raw = any(${arrayParam(rejectedLines, "text")})`,
    );
    expect(rejectedLeft.map((r) => r.raw).sort()).toEqual([
      "F11;417;Martin;2",
      "Riesling;5017;75 cl",
    ]);

    // The estate's next exports still name K1: they are not made again, and their new sale goes
    // to the anonymous record.
    const again = (entity: "customers" | "order_lines", text: string) =>
      importFile(services, {
        tenantId,
        sourceId,
        entity,
        fileName: `${entity}.csv`,
        checksum: `${entity}-after-erasure`,
        open: async () => new Blob([new TextEncoder().encode(text)]).stream(),
        trigger: "cli",
      });
    expect(
      await again(
        "customers",
        "N° client;Nom;E-mail;Adresse\nK1;Dupont;k1@exemple.fr;2 rue Haute\n",
      ),
    ).toMatchObject({ rowsInserted: 0, rowsUnchanged: 1 });
    await again(
      "order_lines",
      "N° facture;Date pièce;N° client;Code article;Désignation;Qté\nF500;01/04/2025;K1;CR21;Crémant Brut 2021;1\n",
    );
    const [erased] = await queryRows<{ named: number; orders: number; person: string | null }>(
      services.db.db,
      sql`select (select count(*)::int from customers where tenant_id = ${tenantId}::uuid and customer_code = 'K1') as named,
                 (select count(*)::int from orders where customer_id = ${k1!.id}::uuid and document_number = 'F500') as orders,
                 (select coalesce(last_name, email, address_line1) from customers where id = ${k1!.id}::uuid) as person`,
    );
    expect(erased).toEqual({ named: 0, orders: 1, person: null });
    const log = await call("GET", "/api/audit-log", { as: "admin@alpha.fr" });
    expect(log.body.items!.map((e) => e.action)).toEqual(
      expect.arrayContaining(["customer.gdpr_exported", "customer.erased"]),
    );
  });

  it("edits a mapping live: suggest, validate, preview with quality and anomalies, then save versions", async () => {
    const columns = ["N° client", "Nom", "Prénom", "E-mail", "Code postal", "Date création"];
    const rows = [
      ["C1", "Martin", "Anne", "anne@exemple.fr", "68000", "01/03/2024"],
      ["C2", "Durand", "Paul", "paul@", "6800", "13/03/2024"],
      ["", "Sans code", "", "", "", "31/02/2024"],
    ];
    const suggestion = await call("POST", "/api/mappings/suggest", {
      as: "viewer@alpha.fr",
      body: { entity: "customers", columns, rows },
    });
    expect(suggestion.status).toBe(200);
    const fields = (suggestion.body.mapping as { fields: Record<string, string> }).fields;
    expect(fields).toMatchObject({ external_id: "N° client", last_name: "Nom", email: "E-mail" });
    const invalid = await call("POST", "/api/mappings/validate", {
      as: "viewer@alpha.fr",
      body: { entity: "customers", columns, fields: { ...fields, phone: "Téléphone" } },
    });
    expect(invalid.body).toMatchObject({
      valid: false,
      errors: [{ code: expect.stringMatching(/^mapping\./) }],
    });
    expect(
      (
        await call("POST", "/api/mappings/validate", {
          as: "viewer@alpha.fr",
          body: { entity: "customers", columns, fields },
        })
      ).body,
    ).toEqual({ valid: true, errors: [] });
    const preview = await call("POST", "/api/mappings/preview", {
      as: "viewer@alpha.fr",
      body: { entity: "customers", columns, rows, fields },
    });
    const previewRows = preview.body.rows as Array<{
      normalized: Record<string, unknown> | null;
      rejected: unknown[];
      issues: unknown[];
    }>;
    expect(previewRows[0]!.normalized).toMatchObject({
      external_id: "C1",
      email: "anne@exemple.fr",
    });
    expect(previewRows[1]!.issues.length).toBeGreaterThan(0); // invalid e-mail, short postcode
    expect(previewRows[2]!.normalized).toBeNull(); // no customer number
    expect(previewRows[2]!.rejected.length).toBeGreaterThan(0);
    expect(preview.body.quality).toMatchObject({ score: expect.any(Number) });

    const sourceId = (await call("GET", "/api/sources", { as: "viewer@alpha.fr" })).body.items![0]!
      .id as string;
    expect(
      (
        await call("POST", "/api/mappings", {
          as: "viewer@alpha.fr",
          body: { sourceId, entity: "customers", columns, fields },
        })
      ).status,
    ).toBe(403);
    const v1 = await call("POST", "/api/mappings", {
      as: "editor@alpha.fr",
      body: { sourceId, entity: "customers", columns, fields },
    });
    expect(v1.status).toBe(201);
    const same = await call("POST", "/api/mappings", {
      as: "editor@alpha.fr",
      body: { sourceId, entity: "customers", columns, fields },
    });
    expect(same.body.id).toBe(v1.body.id);
    const v2 = await call("POST", "/api/mappings", {
      as: "editor@alpha.fr",
      body: {
        sourceId,
        entity: "customers",
        columns,
        fields: { external_id: "N° client", last_name: "Nom" },
      },
    });
    expect(v2.body.version).toBe((v1.body.version as number) + 1);
    const listed = await call("GET", `/api/mappings?sourceId=${sourceId}&entity=customers`, {
      as: "viewer@alpha.fr",
    });
    // Newest first (an earlier test imported customers into this source: its version comes after).
    expect(listed.body.items!.map((m) => m.version).slice(0, 2)).toEqual([
      v2.body.version,
      v1.body.version,
    ]);
    expect(
      (await call("GET", `/api/mappings/${v1.body.id}`, { as: "viewer@alpha.fr" })).body,
    ).toMatchObject({ version: v1.body.version });
    const catalogue = await call("GET", "/api/mappings/fields", { as: "viewer@alpha.fr" });
    expect(
      (catalogue.body.customers as unknown as Array<{ key: string }>).map((f) => f.key),
    ).toContain("external_id");
    const transforms = await call("GET", "/api/mappings/transformations", {
      as: "viewer@alpha.fr",
    });
    expect((transforms.body as unknown as Array<{ kind: string }>).map((t) => t.kind)).toContain(
      "trim",
    );
  });

  it("renders the audit report as a PDF, in French and in English", async () => {
    const session = await signIn("viewer@alpha.fr");
    const text = async (lang: string) => {
      const response = await app.request(`/api/reports/audit.pdf?lang=${lang}`, {
        headers: { cookie: session.cookie },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/pdf");
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe("%PDF-");
      const { text } = await extractText(await getDocumentProxy(bytes), { mergePages: true });
      return text;
    };
    const fr = await text("fr");
    expect(fr).toContain("Rapport d'audit des recommandations");
    expect(fr).toContain("Domaine alpha");
    expect(fr).toContain("Qualité des données par source");
    expect(fr).toContain("iSaVigne");
    expect(fr).toContain("Vins les plus recommandés");
    expect(fr).toMatch(/Crémant Brut 2021|Pinot Noir VV 2022|Riesling 2023/);
    expect(fr).toMatch(/Taux d'approbation : \d+,\d %/);
    // Days and words as a French reader writes them, not ISO dates or English headings.
    expect(fr).toMatch(/Généré le \d{1,2} [a-zéû]+ \d{4}/);
    expect(fr).not.toMatch(/Hit rate|\d{4}-\d{2}-\d{2}/);
    const en = await text("en");
    expect(en).toContain("Recommendation audit report");
    expect(en).toContain("Data quality by source");
    expect(en).not.toContain("Qualité des données");
    expect((await app.request("/api/reports/audit.pdf")).status).toBe(401);
  });

  it("delivers signed webhooks for approvals and their withdrawal, retrying a receiver that failed", async () => {
    const received: Array<{
      headers: Record<string, string | string[] | undefined>;
      body: string;
    }> = [];
    const receiver = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        received.push({ headers: request.headers, body });
        response.writeHead(received.length === 1 ? 500 : 204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      expect(
        (
          await call("POST", "/api/webhooks", {
            as: "admin@alpha.fr",
            body: { url: "ftp://x.fr", events: ["export.created"] },
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await call("POST", "/api/webhooks", {
            as: "editor@alpha.fr",
            body: { url, events: ["recommendation.approved"] },
          })
        ).status,
      ).toBe(403);
      const hook = await call("POST", "/api/webhooks", {
        as: "admin@alpha.fr",
        body: { url, events: ["recommendation.approved", "recommendation.rejected"] },
      });
      expect(hook.status).toBe(201);
      const secret = hook.body.secret as string;
      expect(secret).toMatch(/^whsec_/);
      const [stored] = await queryRows<{ secret_encrypted: string }>(
        services.db.db,
        sql`select secret_encrypted from webhooks where id = ${hook.body.id as string}::uuid`,
      );
      expect(stored!.secret_encrypted).not.toContain(secret.slice(6));

      const pending = await call("GET", "/api/recommendations?status=pending&limit=1", {
        as: "viewer@alpha.fr",
      });
      const id = pending.body.items![0]!.id as string;
      expect(
        (await call("POST", `/api/recommendations/${id}/approve`, { as: "editor@alpha.fr" }))
          .status,
      ).toBe(200);
      let log: Array<Record<string, unknown>> = [];
      for (let i = 0; i < 200 && !log.some((d) => d.status === "delivered"); i++) {
        await new Promise((r) => setTimeout(r, 25));
        log = (
          await call("GET", `/api/webhooks/${hook.body.id}/deliveries`, { as: "admin@alpha.fr" })
        ).body.items!;
      }
      expect(log).toEqual([
        expect.objectContaining({
          event: "recommendation.approved",
          status: "delivered",
          attempts: 2,
          responseStatus: 204,
        }),
      ]);
      expect(received).toHaveLength(2);
      const last = received[1]!;
      const timestamp = last.headers["x-crm-reco-timestamp"] as string;
      const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${last.body}`).digest("hex")}`;
      expect(last.headers["x-crm-reco-signature"]).toBe(expected);
      expect(last.headers["x-crm-reco-event"]).toBe("recommendation.approved");
      expect(JSON.parse(last.body)).toMatchObject({
        event: "recommendation.approved",
        data: { ids: [id] },
      });

      // The approval is withdrawn: a receiver that made a task of it must hear so.
      expect(
        (
          await call("POST", `/api/recommendations/${id}/reject`, {
            as: "editor@alpha.fr",
            body: { reason: "Déjà en stock chez lui" },
          })
        ).status,
      ).toBe(200);
      for (let i = 0; i < 200 && received.length < 3; i++)
        await new Promise((r) => setTimeout(r, 25));
      expect(received).toHaveLength(3);
      expect(received[2]!.headers["x-crm-reco-event"]).toBe("recommendation.rejected");
      expect(JSON.parse(received[2]!.body)).toMatchObject({
        event: "recommendation.rejected",
        data: { ids: [id], reason: "Déjà en stock chez lui", recommendations: [{ id }] },
      });
      // The same decision taken again changes nothing: no delivery is recorded for it.
      await call("POST", `/api/recommendations/${id}/reject`, {
        as: "editor@alpha.fr",
        body: { reason: "Toujours en stock" },
      });
      await call("POST", "/api/recommendations/bulk", {
        as: "editor@alpha.fr",
        body: { action: "reject", ids: [id], reason: "Toujours en stock" },
      });
      const deliveries = await call("GET", `/api/webhooks/${hook.body.id}/deliveries`, {
        as: "admin@alpha.fr",
      });
      expect(deliveries.body.items!.map((d) => d.event)).toEqual([
        "recommendation.rejected",
        "recommendation.approved",
      ]);
      expect(
        (await call("DELETE", `/api/webhooks/${hook.body.id}`, { as: "admin@alpha.fr" })).status,
      ).toBe(204);
    } finally {
      receiver.close();
    }
  });

  it("registers an Odoo source whose key never comes back, tests it, syncs it as a job and pushes approvals to it", async () => {
    const odoo = await startFakeOdoo({
      version: "19.0",
      users: [{ uid: 2, login: "bot", password: "bot", apiKeys: ["bot-key-0123456789abcdef"] }],
    });
    try {
      seedOdooEstate(odoo, { people: 4 });
      const noKey = await call("POST", "/api/sources", {
        as: "admin@alpha.fr",
        body: {
          name: "Odoo",
          kind: "odoo",
          config: { url: odoo.url, database: "estate", login: "bot" },
        },
      });
      expect(noKey.status).toBe(400);
      const created = await call("POST", "/api/sources", {
        as: "admin@alpha.fr",
        body: {
          name: "Odoo",
          kind: "odoo",
          config: { url: odoo.url, database: "estate", login: "bot" },
          secret: "bot-key-0123456789abcdef",
        },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        kind: "odoo",
        hasSecret: true,
        config: { url: odoo.url, database: "estate", login: "bot", secretHint: "…cdef" },
      });
      const id = created.body.id as string;
      const listed = await call("GET", "/api/sources", { as: "viewer@alpha.fr" });
      expect(
        (listed.body.items as Array<{ id: string }>).find((x) => x.id === created.body.id),
      ).toMatchObject({
        config: { database: "estate", secretHint: "…cdef" },
        hasSecret: true,
      });
      for (const response of [
        created,
        await call("GET", `/api/sources/${id}`, { as: "viewer@alpha.fr" }),
        await call("GET", "/api/sources", { as: "admin@alpha.fr" }),
      ])
        expect(JSON.stringify(response.body)).not.toContain("bot-key-0123456789abcdef");
      const [stored] = await queryRows<{ credentials_encrypted: string }>(
        services.db.db,
        sql`select credentials_encrypted from sources where id = ${id}::uuid`,
      );
      expect(stored!.credentials_encrypted).toMatch(/^v1\./);
      expect(stored!.credentials_encrypted).not.toContain("bot-key");

      const report = await call("POST", `/api/sources/${id}/test?lang=en`, {
        as: "editor@alpha.fr",
      });
      expect(report.body).toMatchObject({ ok: true, protocol: "json2", serverVersion: "19.0" });
      expect((report.body.checks as unknown[])[0]).toEqual({
        check: "server",
        ok: true,
        message: "Odoo 19.0 answers, through the JSON-2 API.",
      });

      // The key expires: an admin gives the source a new one, whose hint alone comes back.
      const rekey = (as: string, secret: string) =>
        call("PUT", `/api/sources/${id}/credentials`, { as, body: { secret } });
      expect((await rekey("editor@alpha.fr", "expired-key-0000")).status).toBe(403);
      const expired = await rekey("admin@alpha.fr", "expired-key-0000");
      expect(expired.body).toEqual({
        id,
        config: expect.objectContaining({ login: "bot", secretHint: "…0000" }),
      });
      const test = async () =>
        (await call("POST", `/api/sources/${id}/test`, { as: "editor@alpha.fr" })).body.ok;
      expect(await test()).toBe(false);
      expect(
        JSON.stringify((await rekey("admin@alpha.fr", "bot-key-0123456789abcdef")).body),
      ).not.toContain("bot-key");
      expect(await test()).toBe(true);

      const preview = await call("GET", `/api/sources/${id}/preview?entity=products&rows=3`, {
        as: "viewer@alpha.fr",
      });
      expect(preview.body).toMatchObject({
        file: {
          format: "odoo",
          entity: "products",
          columns: expect.arrayContaining(["sku", "list_price"]),
        },
        mapping: { sku: "sku", price_excl_tax: "list_price" },
      });
      const queued = await call("POST", `/api/sources/${id}/sync`, {
        as: "editor@alpha.fr",
        body: { full: true },
      });
      expect(queued.status).toBe(202);
      const job = await waitForJob(queued.body.id as string, "viewer@alpha.fr");
      expect(job).toMatchObject({
        status: "succeeded",
        result: { status: "succeeded", protocol: "json2" },
      });
      const runs = await call("GET", `/api/sources/${id}/runs`, { as: "viewer@alpha.fr" });
      expect((runs.body.items as Array<{ entity: string }>).map((r) => r.entity).sort()).toEqual([
        "customers",
        "order_lines",
        "products",
      ]);

      const pushed = await call("POST", `/api/sources/${id}/push`, {
        as: "editor@alpha.fr",
        body: {},
      });
      expect(pushed.status).toBe(200);
      expect(pushed.body).toMatchObject({ errors: [] });
      expect(
        await call("POST", `/api/sources/${id}/push`, { as: "viewer@alpha.fr", body: {} }),
      ).toMatchObject({ status: 403 });
    } finally {
      await odoo.close();
    }
  });

  it("lists failed work with its error, and runs it again on request", async () => {
    const [dead] = await queryRows<{ id: string }>(
      services.db.db,
      sql`insert into jobs (tenant_id, kind, status, payload, error_code, error_message, finished_at)
          values (${a.tenant.id}::uuid, 'regenerate', 'dead', '{}'::jsonb, 'job.interrupted', 'SQS gave up after 5 deliveries.', now())
          returning id`,
    );
    const failed = await call("GET", "/api/jobs", { as: "viewer@alpha.fr" });
    expect(failed.status).toBe(200);
    expect(failed.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: dead!.id,
          kind: "regenerate",
          status: "dead",
          error: { code: "job.interrupted", message: "SQS gave up after 5 deliveries." },
        }),
      ]),
    );
    expect(
      (
        (await call("GET", "/api/jobs", { as: "viewer@beta.fr" })).body.items as Array<{
          id: string;
        }>
      ).map((j) => j.id),
    ).not.toContain(dead!.id);
    const retried = await call("POST", `/api/jobs/${dead!.id}/retry`, { as: "editor@alpha.fr" });
    expect(retried.status).toBe(202);
    const done = await waitForJob(dead!.id, "viewer@alpha.fr");
    expect(done.status).toBe("succeeded");
    expect(
      (await call("POST", `/api/jobs/${dead!.id}/retry`, { as: "editor@alpha.fr" })).status,
    ).toBe(409);
  });

  it("answers 404, never 403 or data, for every route given another estate's id", async () => {
    const beta = await importSales("beta");
    const betaHook = (
      await call("POST", "/api/webhooks", {
        as: "admin@beta.fr",
        body: { url: "https://beta.example/hook", events: ["export.created"] },
      })
    ).body.id as string;
    const betaReview = await insertCandidateAndAnomaly(b.tenant.id, [
      b.customers[1]!,
      b.customers[2]!,
    ]);
    const foreign: Record<string, string> = {
      "/api/recommendations/{id}": b.recommendations[0]!,
      "/api/recommendations/{id}/approve": b.recommendations[0]!,
      "/api/recommendations/{id}/reject": b.recommendations[0]!,
      "/api/recommendations/{id}/feedback": b.recommendations[0]!,
      "/api/recommendations/{id}/context": b.recommendations[0]!,
      "/api/customers/{id}": b.customers[0]!,
      "/api/api-keys/{id}": (
        await call("POST", "/api/api-keys", {
          as: "admin@beta.fr",
          body: { name: "B", role: "viewer" },
        })
      ).body.id as string,
      "/api/sources/{id}": beta.sourceId,
      "/api/sources/{id}/runs": beta.sourceId,
      "/api/sources/{id}/metrics": beta.sourceId,
      "/api/sources/{id}/files": beta.sourceId,
      "/api/sources/{id}/sync": beta.sourceId,
      "/api/sources/{id}/preview": beta.sourceId,
      "/api/sources/{id}/validation": beta.sourceId,
      "/api/sources/{id}/test": beta.sourceId,
      "/api/sources/{id}/push": beta.sourceId,
      "/api/sources/{id}/credentials": beta.sourceId,
      "/api/runs/{id}/rejected-rows": beta.runId,
      "/api/runs/{id}/rows": beta.runId,
      "/api/jobs/{id}": beta.jobId,
      "/api/jobs/{id}/retry": beta.jobId,
      "/api/products/{id}/customers": b.products[0]!,
      "/api/products/{id}": b.products[0]!,
      "/api/products/{id}/customers/approve": b.products[0]!,
      "/api/customers/{id}/gdpr-export": b.customers[1]!,
      "/api/customers/{id}/erase": b.customers[1]!,
      "/api/merge-candidates/{id}/decision": betaReview.candidateId,
      "/api/anomalies/{id}/decision": betaReview.anomalyId,
      "/api/webhooks/{id}": betaHook,
      "/api/webhooks/{id}/deliveries": betaHook,
      "/api/users/{id}": (
        await queryRows<{ id: string }>(
          services.db.db,
          sql`select id from users where tenant_id = ${b.tenant.id}::uuid and role = 'viewer'`,
        )
      )[0]!.id,
      "/api/mappings/{id}": (
        await queryRows<{ id: string }>(
          services.db.db,
          sql`select id from mappings where tenant_id = ${b.tenant.id}::uuid limit 1`,
        )
      )[0]!.id,
    };
    const bodies: Record<string, unknown> = {
      reject: { reason: "x" },
      feedback: { rating: 3 },
      decision: { decision: "accept", status: "resolved" },
      "post /api/products/{id}/customers/approve": { customerIds: [b.customers[0]] },
      "patch /api/users/{id}": { role: "editor" },
      "patch /api/sources/{id}": { schedule: null },
      credentials: { secret: "a-key-0123" },
      "patch /api/products/{id}": { kind: "wine" },
    };
    const withId = apiRoutes(app).filter((r) => r.path.includes("{id}"));
    expect([...new Set(withId.map((r) => r.path))].sort()).toEqual(Object.keys(foreign).sort());
    for (const route of withId) {
      const path = route.path.replace("{id}", foreign[route.path]!);
      const body = bodies[`${route.method} ${route.path}`] ?? bodies[route.path.split("/").pop()!];
      const response = await call(route.method.toUpperCase(), path, { as: "admin@alpha.fr", body });
      expect(response.status, `${route.method} ${route.path}`).toBe(404);
    }
    const stillPending = await call("GET", `/api/recommendations/${b.recommendations[0]}`, {
      as: "viewer@beta.fr",
    });
    expect(stillPending.body).toMatchObject({ status: "pending", feedback: { count: 0 } });
    expect(
      (await call("GET", `/api/customers/${b.customers[1]}`, { as: "viewer@beta.fr" })).status,
    ).toBe(200);
    const betaQueue = await call("GET", "/api/merge-candidates", { as: "viewer@beta.fr" });
    expect(betaQueue.body.items!.map((m) => m.id)).toEqual([betaReview.candidateId]);
    for (const path of ["/api/recommendations?limit=500", "/api/customers?limit=500"]) {
      const ids = (await call("GET", path, { as: "admin@alpha.fr" })).body.items!.map((x) => x.id);
      for (const id of [...b.recommendations, ...b.customers]) expect(ids).not.toContain(id);
    }
  });

  it("refuses each role what it may not do, on every route", async () => {
    const adminOnly = new Set([
      "get /api/users",
      "patch /api/users/{id}",
      "put /api/settings/rules",
      "get /api/settings/schedules",
      "patch /api/sources/{id}",
      "put /api/sources/{id}/credentials",
      "post /api/users",
      "get /api/api-keys",
      "post /api/api-keys",
      "delete /api/api-keys/{id}",
      "post /api/sources",
      "get /api/webhooks",
      "post /api/webhooks",
      "delete /api/webhooks/{id}",
      "get /api/webhooks/{id}/deliveries",
      "get /api/customers/{id}/gdpr-export",
      "post /api/customers/{id}/erase",
      "get /api/audit-log",
    ]);
    const anyone = new Set([
      "post /api/auth/sign-out",
      "put /api/auth/me/locale",
      "post /api/mappings/suggest",
      "post /api/mappings/validate",
      "post /api/mappings/preview",
    ]);
    const id = "00000000-0000-4000-8000-000000000000";
    const bodies: Record<string, unknown> = {
      "post /api/users": {
        email: "new@alpha.fr",
        password: "long enough password",
        role: "viewer",
      },
      "post /api/api-keys": { name: "k", role: "viewer" },
      "post /api/sources": { name: "S", kind: "file" },
      "post /api/webhooks": { url: "https://x.example/h", events: ["export.created"] },
      "post /api/recommendations/{id}/reject": { reason: "x" },
      "put /api/recommendations/{id}/feedback": { rating: 3 },
      "post /api/recommendations/bulk": { action: "approve", ids: [id] },
      "post /api/products/{id}/customers/approve": { customerIds: [id] },
      "post /api/recommendations/regenerate": {},
      "patch /api/users/{id}": { role: "viewer" },
      "put /api/settings/rules": {
        perCustomer: 3,
        rebuyWindowDays: 60,
        contactGapDays: 135,
        onlyActiveProducts: true,
      },
      "patch /api/sources/{id}": { schedule: null },
      "put /api/sources/{id}/credentials": { secret: "a-key-0123" },
      "patch /api/products/{id}": { kind: "wine" },
      "post /api/exports/mailing": {},
      "post /api/uploads": { sourceId: id, entity: "customers", fileName: "a.csv" },
      "post /api/mappings": { sourceId: id, entity: "customers", columns: ["a"], fields: {} },
      "post /api/merge-candidates/{id}/decision": { decision: "reject" },
      "post /api/anomalies/{id}/decision": { status: "ignored" },
    };
    const needs = (key: string) =>
      adminOnly.has(key)
        ? "admin"
        : key.startsWith("get ") || anyone.has(key)
          ? "viewer"
          : "editor";
    const checked: string[] = [];
    for (const route of apiRoutes(app)) {
      const key = `${route.method} ${route.path}`;
      if (key === "post /api/auth/sign-in" || key === "post /api/auth/sign-out") continue;
      const refusedFor =
        needs(key) === "admin" ? ["viewer", "editor"] : needs(key) === "editor" ? ["viewer"] : [];
      for (const role of refusedFor) {
        const path = route.path.replace("{id}", id);
        let status: number;
        if (key === "post /api/sources/{id}/files") {
          const session = await signIn(`${role}@alpha.fr`);
          const form = new FormData();
          form.set("entity", "customers");
          form.set("file", new File(["a;b\n1;2\n"], "a.csv"));
          status = (
            await app.request(path, {
              method: "POST",
              headers: { cookie: session.cookie, "x-csrf-token": session.csrf },
              body: form,
            })
          ).status;
        } else
          status = (
            await call(route.method.toUpperCase(), path, {
              as: `${role}@alpha.fr`,
              body: bodies[key],
            })
          ).status;
        expect(status, `${role} ${key}`).toBe(403);
        checked.push(`${role} ${key}`);
      }
    }
    expect(checked.length).toBeGreaterThan(35); // the loop checked real routes, not an empty list
  });

  it("answers 400 with the offending field to a malformed id or body, on every route", async () => {
    const doc = (await (await app.request("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    };
    let checked = 0;
    for (const route of apiRoutes(app)) {
      const operation = doc.paths[route.path]![route.method]!;
      const jsonBody = Boolean(operation.requestBody?.content["application/json"]);
      if (route.path.includes("{id}")) {
        const response = await call(
          route.method.toUpperCase(),
          route.path.replace("{id}", "not-an-id"),
          {
            as: "admin@alpha.fr",
            body: jsonBody ? {} : undefined,
          },
        );
        expect(response.status, `${route.method} ${route.path} with a bad id`).toBe(400);
        expect(response.body.error).toMatchObject({ code: "request.invalid" });
        checked++;
      }
      if (jsonBody && route.path !== "/api/auth/sign-in") {
        const response = await call(
          route.method.toUpperCase(),
          route.path.replace("{id}", a.recommendations[0]!),
          {
            as: "admin@alpha.fr",
            body: ["not", "an", "object"],
          },
        );
        expect(response.status, `${route.method} ${route.path} with a bad body`).toBe(400);
        checked++;
      }
    }
    const signIn = await call("POST", "/api/auth/sign-in", { body: { email: "x" } });
    expect(signIn.status).toBe(400);
    expect(JSON.stringify(signIn.body)).toContain("password");
    expect(checked).toBeGreaterThan(30); // the loops met real routes
  });

  it("refuses every API route but sign-in and the API description without credentials", async () => {
    for (const route of apiRoutes(app)) {
      if (route.path === "/api/auth/sign-in") continue;
      const response = await app.request(route.path.replace("{id}", a.recommendations[0]!), {
        method: route.method.toUpperCase(),
      });
      expect(response.status, `${route.method} ${route.path}`).toBe(401);
    }
    expect((await app.request("/api/openapi.json")).status).toBe(200);
  });

  it("documents every route in the OpenAPI 3.1 description, with its security", async () => {
    const doc = (await (await app.request("/api/openapi.json")).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { security?: unknown; responses: Record<string, unknown> }>
      >;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    const validation = await new Validator().validate(JSON.parse(JSON.stringify(doc)));
    expect(validation.errors ?? [], "OpenAPI 3.1 schema errors").toEqual([]);
    expect(validation.valid).toBe(true);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["apiKey", "session"]);
    for (const route of apiRoutes(app)) {
      const operation = doc.paths[route.path]?.[route.method];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      if (route.path !== "/api/auth/sign-in") expect(operation!.security, route.path).toBeDefined();
      expect(Object.keys(operation!.responses).length).toBeGreaterThan(1);
    }
  });
});

/** The API's routes as registered in the app (OpenAPI paths use {id}; Hono uses :id). */
function apiRoutes(app: ReturnType<typeof createApp>) {
  const seen = new Set<string>();
  return app.routes
    .filter(
      (r) => r.path.startsWith("/api/") && r.method !== "ALL" && r.path !== "/api/openapi.json",
    )
    .map((r) => ({ method: r.method.toLowerCase(), path: r.path.replace(/:(\w+)/g, "{$1}") }))
    .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
}
