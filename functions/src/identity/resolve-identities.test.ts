import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDriver } from "../../test/databases.ts";
import { cp1252, utf8 } from "../../test/import-fixtures.ts";
import { createTestServices } from "../../test/services.ts";
import { queryRows } from "../adapters/db/database.ts";
import { importFile } from "../import/import-file.ts";
import { createSource } from "../repos/sources.ts";
import { ensureTenant } from "../repos/tenants.ts";
import type { Services } from "../services.ts";
import { CUSTOMER_TEXT } from "../repos/customer-profile.ts";
import { matchesQuery } from "../repos/text-search.ts";
import { mergeCustomers, undoMerge } from "./merge-customers.ts";
import { decideMergeCandidate, resolveIdentities } from "./resolve-identities.ts";

// The same customers exported by iSaVigne (French, Windows-1252) and by Odoo (English, UTF-8).
const isavigne =
  [
    "N° client;Nom;Prénom;E-mail;Tél;CP;Ville",
    "C001;DUPONT;Jean;jean.dupont@gmail.com;;68000;Colmar",
    "C002;Weber;Anne;;03 89 41 23 45;68000;Colmar",
    "C003;Martin;Paul;;;21200;Beaune",
    "C004;Roux;Marie;roux@orange.fr;;69001;Lyon",
  ].join("\r\n") + "\r\n";
const odoo =
  [
    "Customer ID,First Name,Last Name,Email,Phone,Zip,City",
    "42,Jean,Dupont,Jean.Dupont@gmail.com,06 12 34 56 78,68000,Colmar",
    "43,Anne,WEBER,anne@weber.fr,+33 3 89 41 23 45,68000,Colmar",
    "44,Pierre,Roux,roux@orange.fr,,69001,Lyon",
    "45,Luc,Durand,,,21200,Beaune",
  ].join("\n") + "\n";

describeEachDriver("resolveIdentities", (driver) => {
  let services: Services & { close(): Promise<void> };
  beforeAll(async () => {
    services = await createTestServices(driver);
  });
  afterAll(async () => services?.close());

  async function importBoth() {
    const tenant = await ensureTenant(services.db.db, {
      slug: `t-${randomUUID()}`,
      name: "Domaine",
    });
    for (const [name, bytes] of [
      ["iSaVigne", cp1252(isavigne)],
      ["Odoo", utf8(odoo)],
    ] as const) {
      const source = await createSource(services.db.db, tenant.id, {
        name,
        kind: name === "Odoo" ? "odoo" : "file",
      });
      const summary = await importFile(services, {
        tenantId: tenant.id,
        sourceId: source.id,
        entity: "customers",
        fileName: `${name}.csv`,
        checksum: createHash("sha256").update(bytes).digest("hex"),
        open: async () => new Blob([bytes]).stream(),
        trigger: "cli",
      });
      expect(summary.status).toBe("succeeded");
    }
    return tenant.id;
  }
  const live = (tenantId: string) =>
    queryRows<{ name: string; identities: number; email: string | null; phone: string | null }>(
      services.db.db,
      sql`select coalesce(c.first_name, '') || ' ' || c.last_name as name, count(i.id)::int as identities, c.email, c.phone
          from customers c join customer_identities i on i.customer_id = c.id
          where c.tenant_id = ${tenantId}::uuid and c.merged_into is null group by c.id order by 1`,
    );

  it("makes one customer of a person seen in both sources, keeps both identities, queues the unsure", async () => {
    const tenantId = await importBoth();
    const summary = await resolveIdentities(services.db.db, tenantId);
    expect(summary).toEqual({ compared: 8, merged: 2, queued: 1 });
    expect(await live(tenantId)).toEqual([
      { name: "Anne WEBER", identities: 2, email: "anne@weber.fr", phone: "+33389412345" },
      { name: "Jean Dupont", identities: 2, email: "jean.dupont@gmail.com", phone: "+33612345678" },
      { name: "Luc Durand", identities: 1, email: null, phone: null },
      { name: "Marie Roux", identities: 1, email: "roux@orange.fr", phone: null },
      { name: "Paul Martin", identities: 1, email: null, phone: null },
      { name: "Pierre Roux", identities: 1, email: "roux@orange.fr", phone: null },
    ]);
    expect(await resolveIdentities(services.db.db, tenantId)).toMatchObject({
      merged: 0,
      queued: 1,
    });
  });

  it("keeps either record's objection and contacts through a merge, and gives them back on undo", async () => {
    const tenantId = await importBoth();
    // Jean Dupont agreed in Odoo, unsubscribed at the cellar (iSaVigne), and was written to as
    // iSaVigne's customer; Odoo's record, the fuller one, survives the merge.
    const dupont = async () =>
      queryRows<{ code: string; consent: string; source: string | null; contacts: number }>(
        services.db.db,
        sql`select c.customer_code as code, c.consent_email as consent, c.consent_email_source as source,
                   (select count(*)::int from contacts k where k.customer_id = c.id) as contacts
            from customers c where c.tenant_id = ${tenantId}::uuid and c.last_name ilike 'dupont'
              and c.merged_into is null order by c.customer_code`,
      );
    await services.db.db.execute(
      sql`update customers set consent_email = case customer_code when 'C001' then 'opt_out' else 'opt_in' end,
                 consent_email_source = case customer_code when 'C001' then 'iSaVigne' else 'Odoo' end,
                 consent_email_at = now()
          where tenant_id = ${tenantId}::uuid and last_name ilike 'dupont'`,
    );
    await services.db.db.execute(
      sql`insert into contacts (tenant_id, customer_id, channel, contacted_at)
          select tenant_id, id, 'email', now() from customers
          where tenant_id = ${tenantId}::uuid and customer_code = 'C001'`,
    );
    await resolveIdentities(services.db.db, tenantId);
    expect(await dupont()).toEqual([
      { code: "42", consent: "opt_out", source: "iSaVigne", contacts: 1 },
    ]);

    const [merge] = await queryRows<{ id: string }>(
      services.db.db,
      sql`select m.id from customer_merges m join customers c on c.id = m.merged_id
          where m.tenant_id = ${tenantId}::uuid and c.last_name ilike 'dupont'`,
    );
    await undoMerge(services.db.db, tenantId, merge!.id);
    expect(await dupont()).toEqual([
      { code: "42", consent: "opt_in", source: "Odoo", contacts: 0 },
      { code: "C001", consent: "opt_out", source: "iSaVigne", contacts: 1 },
    ]);
  });

  const customerWithCode = async (tenantId: string, code: string) =>
    (
      await queryRows<{ id: string }>(
        services.db.db,
        sql`select id from customers where tenant_id = ${tenantId}::uuid and customer_code = ${code}`,
      )
    )[0]!.id;
  const manualMerge = (tenantId: string) => (survivorId: string, mergedId: string) =>
    services.db.db.transaction((tx) =>
      mergeCustomers(tx, { tenantId, survivorId, mergedId, method: "manual", score: null }),
    );

  it("moves the merged record's recommendations to the person, a decision over a pending one, and back on undo", async () => {
    const tenantId = await importBoth();
    const survivor = await customerWithCode(tenantId, "42");
    const merged = await customerWithCode(tenantId, "C001");
    const [run] = await queryRows<{ id: string }>(
      services.db.db,
      sql`insert into recommendation_runs (tenant_id, algorithm, status) values (${tenantId}::uuid, 'hybrid', 'succeeded') returning id`,
    );
    const wines = ["W1", "W2", "W3", "W4"];
    const wine: Record<string, string> = {};
    for (const sku of wines)
      wine[sku] = (
        await queryRows<{ id: string }>(
          services.db.db,
          sql`insert into products (tenant_id, sku, name) values (${tenantId}::uuid, ${sku}, ${`Vin ${sku}`}) returning id`,
        )
      )[0]!.id;
    const recommend = (customerId: string, sku: string, status: string) =>
      services.db.db.execute(
        sql`insert into recommendations (tenant_id, run_id, customer_id, product_id, algorithm, score, confidence, rank, explanation, status)
            values (${tenantId}::uuid, ${run!.id}::uuid, ${customerId}::uuid, ${wine[sku]!}::uuid, 'hybrid', 1, 0.2, 1, '{}'::jsonb, ${status})`,
      );
    await recommend(merged, "W1", "approved");
    await recommend(survivor, "W1", "pending");
    await recommend(merged, "W2", "pending");
    await recommend(merged, "W3", "pending");
    await recommend(survivor, "W3", "rejected");
    await recommend(merged, "W4", "rejected");
    const held = async () =>
      (
        await queryRows<{ code: string; sku: string; status: string }>(
          services.db.db,
          sql`select c.customer_code as code, p.sku, r.status from recommendations r
              join customers c on c.id = r.customer_id join products p on p.id = r.product_id
              where r.tenant_id = ${tenantId}::uuid order by p.sku, c.customer_code`,
        )
      ).map((r) => `${r.sku} ${r.code} ${r.status}`);

    const after = ["W1 42 approved", "W2 42 pending", "W3 42 rejected", "W4 42 rejected"];
    // The survivor's pending W1 gave way to the decision; the next run makes what still holds.
    const undone = ["W1 C001 approved", "W2 C001 pending", "W3 42 rejected", "W4 C001 rejected"];
    const merge = await manualMerge(tenantId)(survivor, merged);
    expect(await held()).toEqual(after);
    await undoMerge(services.db.db, tenantId, merge);
    expect(await held()).toEqual(undone);

    // A merge made before 2026-12-04 left them behind; migration 0010 moves them as a merge now
    // does, and notes them for the undo.
    const before = await manualMerge(tenantId)(survivor, merged);
    await services.db.db.execute(
      sql`update recommendations set customer_id = ${merged}::uuid where tenant_id = ${tenantId}::uuid
            and product_id in (${wine.W1!}::uuid, ${wine.W2!}::uuid, ${wine.W4!}::uuid)`,
    );
    await recommend(merged, "W3", "pending");
    await recommend(survivor, "W1", "pending");
    await services.db.db.execute(
      sql`update customer_merges set snapshot = snapshot - 'recommendationIds' where id = ${before}::uuid`,
    );
    const migration = readFileSync(
      new URL("../../../migrations/0010_recommendations_follow_merges.sql", import.meta.url),
      "utf8",
    );
    await services.db.db.execute(sql.raw(migration));
    expect(await held()).toEqual(after);
    await services.db.db.execute(sql.raw(migration)); // nothing left to do the second time
    expect(await held()).toEqual(after);
    await undoMerge(services.db.db, tenantId, before);
    expect(await held()).toEqual(undone);
  });

  it("migration 0010 notes a chained record's recommendations on its merge and the one that repointed it, so that undoing either takes them back", async () => {
    const tenantId = await importBoth();
    const id = (code: string) => customerWithCode(tenantId, code);
    const [a, b, c] = [await id("C003"), await id("45"), await id("C002")];
    const [run] = await queryRows<{ id: string }>(
      services.db.db,
      sql`insert into recommendation_runs (tenant_id, algorithm, status) values (${tenantId}::uuid, 'hybrid', 'succeeded') returning id`,
    );
    const wine = async (sku: string) =>
      (
        await queryRows<{ id: string }>(
          services.db.db,
          sql`insert into products (tenant_id, sku, name) values (${tenantId}::uuid, ${sku}, ${sku}) returning id`,
        )
      )[0]!.id;
    const [wa, wb] = [await wine("WA"), await wine("WB")];
    const recommend = (customerId: string, productId: string) =>
      services.db.db.execute(
        sql`insert into recommendations (tenant_id, run_id, customer_id, product_id, algorithm, score, confidence, rank, explanation, status)
            values (${tenantId}::uuid, ${run!.id}::uuid, ${customerId}::uuid, ${productId}::uuid, 'hybrid', 1, 0.2, 1, '{}'::jsonb, 'approved')`,
      );
    await recommend(a, wa);
    await recommend(b, wb);
    const merge = manualMerge(tenantId);
    const first = await merge(b, a); // A into B
    const second = await merge(c, b); // B into C: A follows
    // As merges before 2026-12-04 left them: each record's recommendation on the record itself.
    await services.db.db.execute(
      sql`update recommendations set customer_id = case product_id when ${wa}::uuid then ${a}::uuid else ${b}::uuid end
          where tenant_id = ${tenantId}::uuid`,
    );
    await services.db.db.execute(
      sql`update customer_merges set snapshot = snapshot - 'recommendationIds' where tenant_id = ${tenantId}::uuid`,
    );
    const holders = async () =>
      (
        await queryRows<{ product_id: string; customer_id: string }>(
          services.db.db,
          sql`select product_id, customer_id from recommendations where tenant_id = ${tenantId}::uuid order by product_id = ${wb}::uuid`,
        )
      ).map((r) => r.customer_id);
    const migration = readFileSync(
      new URL("../../../migrations/0010_recommendations_follow_merges.sql", import.meta.url),
      "utf8",
    );
    await services.db.db.execute(sql.raw(migration));
    expect(await holders()).toEqual([c, c]);
    await undoMerge(services.db.db, tenantId, second); // A back under B, with B
    expect(await holders()).toEqual([b, b]);
    await undoMerge(services.db.db, tenantId, first);
    expect(await holders()).toEqual([a, b]);
  });

  it("keeps the record with the longer history, then the older, when two tell as much; its codes still find the person", async () => {
    const tenant = await ensureTenant(services.db.db, {
      slug: `t-${randomUUID()}`,
      name: "Domaine",
    });
    const source = await createSource(services.db.db, tenant.id, {
      name: "iSaVigne",
      kind: "file",
    });
    const add = async (code: string, firstName: string, email: string, createdAt: string) => {
      const [row] = await queryRows<{ id: string }>(
        services.db.db,
        sql`insert into customers (tenant_id, customer_code, first_name, last_name, email, created_at)
            values (${tenant.id}::uuid, ${code}, ${firstName}, 'RICHARD', ${email}, ${createdAt}::timestamptz) returning id`,
      );
      await services.db.db.execute(
        sql`insert into customer_identities (tenant_id, customer_id, source_id, external_id)
            values (${tenant.id}::uuid, ${row!.id}::uuid, ${source.id}::uuid, ${code})`,
      );
      return row!.id;
    };
    // Four years of Frédéric, then a new record typed without the accent, the same e-mail.
    const frederic = await add("C00785", "Frédéric", "f.richard@orange.fr", "2022-03-01T10:00:00Z");
    await services.db.db.execute(
      sql`insert into orders (tenant_id, source_id, document_number, customer_id, order_date)
          values (${tenant.id}::uuid, ${source.id}::uuid, 'F1', ${frederic}::uuid, '2023-05-02')`,
    );
    await add("C03001", "Frederic", "f.richard@orange.fr", "2026-11-30T10:00:00Z");
    // Two equal records with no history: the older is kept.
    await add("C00100", "Paul", "p.richard@orange.fr", "2021-01-01T10:00:00Z");
    await add("C03002", "Paul", "p.richard@orange.fr", "2026-11-30T10:00:00Z");
    // Two imported together: the earlier code (C905 sorts before C41 as text, not as a number).
    await add("C905", "Anne", "a.richard@orange.fr", "2026-12-01T10:00:00Z");
    await add("C41", "Anne", "a.richard@orange.fr", "2026-12-01T10:00:00Z");
    // Three imported together, one without a code: the one with the earliest code.
    for (const code of [null, "C77", "C52"]) {
      const [row] = await queryRows<{ id: string }>(
        services.db.db,
        sql`insert into customers (tenant_id, customer_code, first_name, last_name, email, created_at)
            values (${tenant.id}::uuid, ${code}, 'Luc', 'RICHARD', 'l.richard@orange.fr', '2026-12-02T10:00:00Z') returning id`,
      );
      if (code)
        await services.db.db.execute(
          sql`insert into customer_identities (tenant_id, customer_id, source_id, external_id)
              values (${tenant.id}::uuid, ${row!.id}::uuid, ${source.id}::uuid, ${code})`,
        );
    }
    expect(await resolveIdentities(services.db.db, tenant.id)).toMatchObject({ merged: 5 });
    const live = await queryRows<{ code: string }>(
      services.db.db,
      sql`select customer_code as code from customers where tenant_id = ${tenant.id}::uuid and merged_into is null order by 1`,
    );
    expect(live.map((r) => r.code)).toEqual(["C00100", "C00785", "C41", "C52"]);
    const found = async (query: string) =>
      (
        await queryRows<{ code: string }>(
          services.db.db,
          sql`select c.customer_code as code from customers c where c.tenant_id = ${tenant.id}::uuid
                and c.merged_into is null and ${matchesQuery(query, CUSTOMER_TEXT)} order by 1`,
        )
      ).map((r) => r.code);
    expect(await found("C03001")).toEqual(["C00785"]);
    expect(await found("c03002 richard")).toEqual(["C00100"]);
  });

  it("points a record merged twice at the customer it ended in, and back on undo", async () => {
    const tenantId = await importBoth();
    const id = (code: string) => customerWithCode(tenantId, code);
    const merge = manualMerge(tenantId);
    const [a, b, c] = [await id("C003"), await id("45"), await id("C002")];
    await merge(b, a);
    const second = await merge(c, b);
    const into = async () =>
      queryRows<{ id: string; merged_into: string | null }>(
        services.db.db,
        sql`select id, merged_into from customers where id in (${a}::uuid, ${b}::uuid)`,
      );
    expect(Object.fromEntries((await into()).map((r) => [r.id, r.merged_into]))).toEqual({
      [a]: c,
      [b]: c,
    });
    await undoMerge(services.db.db, tenantId, second);
    expect(Object.fromEntries((await into()).map((r) => [r.id, r.merged_into]))).toEqual({
      [a]: b,
      [b]: null,
    });
  });

  it("migration 0005 points a record merged twice before 2026-12-04 at the customer it ended in, and undo back", async () => {
    const tenantId = await importBoth();
    const id = (code: string) => customerWithCode(tenantId, code);
    const merge = manualMerge(tenantId);
    const [a, b, c, d] = [await id("C003"), await id("45"), await id("C002"), await id("43")];
    // a into b, b into c, c into d, as the code before 2026-12-04 left them: a chain.
    await merge(b, a);
    const second = await merge(c, b);
    const third = await merge(d, c);
    await services.db.db.execute(
      sql`update customers set merged_into = case id when ${a}::uuid then ${b}::uuid else ${c}::uuid end
          where id in (${a}::uuid, ${b}::uuid)`,
    );
    await services.db.db.execute(
      sql`update customer_merges set snapshot = snapshot - 'repointedIds' where tenant_id = ${tenantId}::uuid`,
    );
    const into = async () =>
      Object.fromEntries(
        (
          await queryRows<{ id: string; merged_into: string | null }>(
            services.db.db,
            sql`select id, merged_into from customers where id in (${a}::uuid, ${b}::uuid, ${c}::uuid)`,
          )
        ).map((r) => [r.id, r.merged_into]),
      );

    const migration = readFileSync(
      new URL("../../../migrations/0005_flatten_merge_chains.sql", import.meta.url),
      "utf8",
    );
    await services.db.db.execute(sql.raw(migration));
    expect(await into()).toEqual({ [a]: d, [b]: d, [c]: d });
    await services.db.db.execute(sql.raw(migration)); // nothing left to do the second time
    expect(await into()).toEqual({ [a]: d, [b]: d, [c]: d });

    await undoMerge(services.db.db, tenantId, third);
    expect(await into()).toEqual({ [a]: c, [b]: c, [c]: null });
    await undoMerge(services.db.db, tenantId, second);
    expect(await into()).toEqual({ [a]: b, [b]: null, [c]: null });
  });

  it("remembers a rejected pair, merges an accepted one, and undoes a merge", async () => {
    const tenantId = await importBoth();
    await resolveIdentities(services.db.db, tenantId);
    const [candidate] = await queryRows<{ id: string }>(
      services.db.db,
      sql`select id from merge_candidates where tenant_id = ${tenantId}::uuid`,
    );
    await decideMergeCandidate(services.db.db, tenantId, candidate!.id, "reject");
    expect(await resolveIdentities(services.db.db, tenantId)).toMatchObject({
      merged: 0,
      queued: 0,
    });
    await expect(
      decideMergeCandidate(services.db.db, tenantId, candidate!.id, "accept"),
    ).rejects.toMatchObject({ code: "merge_candidate.conflict" });

    const [merge] = await queryRows<{ id: string }>(
      services.db.db,
      sql`select m.id from customer_merges m join customers c on c.id = m.merged_id where m.tenant_id = ${tenantId}::uuid and c.last_name ilike 'dupont' limit 1`,
    );
    await undoMerge(services.db.db, tenantId, merge!.id);
    const names = (await live(tenantId)).map((c) => c.name);
    expect(names.filter((n) => /dupont/i.test(n))).toHaveLength(2);
    const [orders] = await queryRows<{ n: number }>(
      services.db.db,
      sql`select count(*)::int as n from customer_merges where tenant_id = ${tenantId}::uuid and undone_at is not null`,
    );
    expect(orders!.n).toBe(1);
  });
});
