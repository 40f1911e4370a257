import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { describeEachDriver, openTestDatabase } from "../../../test/databases.ts";
import {
  customers,
  orderLines,
  orders,
  products,
  sources,
  tenants,
} from "../../db/schema/index.ts";
import { createSource, getSource, listSources } from "../../repos/sources.ts";
import { ensureTenant } from "../../repos/tenants.ts";
import { arrayParam, type ChangeListener, type DbHandle, queryRows } from "./database.ts";
import { pageWithTotal } from "./page-with-total.ts";
import { isForeignKeyViolation, isUniqueViolation } from "./pg-errors.ts";

// The same data-access behaviour, whatever the driver: PGlite (embedded), node-postgres (VPS)
// and Neon's serverless driver (Lambda), the last two against a real PostgreSQL server.
describeEachDriver("data-access contract", (driver) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(driver);
  });
  afterAll(async () => {
    await handle?.close();
  });
  const slug = () => `estate-${randomUUID()}`;

  it("has every table of the canonical model, each scoped by tenant_id", async () => {
    const rows = await queryRows<{ table_name: string; has_tenant: boolean }>(
      handle.db,
      sql`select t.table_name, exists (select 1 from information_schema.columns c
            where c.table_schema = 'public' and c.table_name = t.table_name and c.column_name = 'tenant_id') as has_tenant
          from information_schema.tables t where t.table_schema = 'public' order by t.table_name`,
    );
    const tables = rows.map((row) => row.table_name);
    for (const table of [
      "customers",
      "customer_identities",
      "products",
      "orders",
      "order_lines",
      "sources",
      "mappings",
      "sync_runs",
      "rejected_rows",
      "anomalies",
      "recommendation_runs",
      "recommendations",
      "feedback",
      "users",
      "api_keys",
      "audit_log",
      "webhooks",
    ]) {
      expect(tables).toContain(table);
    }
    expect(rows.filter((row) => row.table_name !== "tenants" && !row.has_tenant)).toEqual([]);
  });

  it("has the change-notice trigger of migration 0003 on every table", async () => {
    const tables = await queryRows<{ name: string; notifies: boolean }>(
      handle.db,
      sql`select c.relname as name, exists (select 1 from pg_trigger t
            where t.tgrelid = c.oid and t.tgname = c.relname || '_changed') as notifies
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind in ('r', 'p') order by c.relname`,
    );
    expect(tables.length).toBeGreaterThan(20);
    expect(tables.filter((t) => !t.notifies).map((t) => t.name)).toEqual([]);
  });

  it("tells a watcher of each committed write once, not of a rolled-back one (not on Neon)", async () => {
    if (!handle.watchChanges) {
      // Lambda's Neon driver cannot hold a listening connection: nothing is kept between requests.
      expect(driver).toBe("neon");
      return;
    }
    const heard = hearing();
    const stop = await handle.watchChanges(heard.listener);
    expect(heard.events).toEqual(["watching"]);
    const insertTenant = (tx: Pick<DbHandle["db"], "execute">) =>
      tx.execute(sql`insert into tenants (slug, name) values (${slug()}, 'Notice')`);
    await insertTenant(handle.db);
    await vi.waitFor(() => expect(heard.events).toEqual(["watching", "changed"]));
    await expect(
      handle.db.transaction(async (tx) => {
        await insertTenant(tx);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    await handle.db.transaction(async (tx) => {
      await insertTenant(tx);
      await tx.execute(sql`update tenants set name = 'Notice 2' where name = 'Notice'`);
    });
    await vi.waitFor(() => expect(heard.events).toEqual(["watching", "changed", "changed"]));
    await stop();
    expect(heard.events.at(-1)).toBe("not watching");
  });

  it.runIf(driver === "pg")(
    "listens again after its connection is cut, saying it was not watching meanwhile",
    async () => {
      const heard = hearing();
      const stop = await handle.watchChanges!(heard.listener);
      const [cut] = await queryRows<{ cut: boolean }>(
        handle.db,
        sql`select pg_terminate_backend(pid) as cut from pg_stat_activity
            where datname = current_database() and query = 'listen crm_reco_changes'`,
      );
      expect(cut?.cut).toBe(true);
      await vi.waitFor(
        () => expect(heard.events).toEqual(["watching", "not watching", "watching"]),
        {
          timeout: 5_000,
        },
      );
      await ensureTenant(handle.db, { slug: slug(), name: "After the cut" });
      await vi.waitFor(() => expect(heard.events.at(-1)).toBe("changed"));
      await stop();
    },
  );

  it("applies migrations a second time without change", async () => {
    await handle.migrate();
    const [row] = await queryRows<{ count: string | number }>(
      handle.db,
      sql`select count(*) as count from drizzle.__drizzle_migrations`,
    );
    const journal = JSON.parse(
      readFileSync(new URL("../../../../migrations/meta/_journal.json", import.meta.url), "utf8"),
    ) as { entries: unknown[] };
    expect(Number(row!.count)).toBe(journal.entries.length);
  });

  it("creates a tenant once, however often it is ensured", async () => {
    const s = slug();
    const first = await ensureTenant(handle.db, { slug: s, name: "Domaine du Vieux Lavoir" });
    const second = await ensureTenant(handle.db, { slug: s, name: "Domaine du Vieux Lavoir" });
    expect(second.id).toBe(first.id);
    expect(await handle.db.select().from(tenants).where(eq(tenants.slug, s))).toHaveLength(1);
  });

  it("keeps source names unique per tenant and reports a conflict by code", async () => {
    const a = await ensureTenant(handle.db, { slug: slug(), name: "A" });
    const b = await ensureTenant(handle.db, { slug: slug(), name: "B" });
    await createSource(handle.db, a.id, { name: "iSaVigne", kind: "file" });
    await expect(
      createSource(handle.db, a.id, { name: "iSaVigne", kind: "file" }),
    ).rejects.toMatchObject({ code: "source.conflict" });
    // The same name in another estate is another source.
    await expect(
      createSource(handle.db, b.id, { name: "iSaVigne", kind: "file" }),
    ).resolves.toMatchObject({ tenantId: b.id });
  });

  it("never shows one tenant's rows to another", async () => {
    const a = await ensureTenant(handle.db, { slug: slug(), name: "A" });
    const b = await ensureTenant(handle.db, { slug: slug(), name: "B" });
    const source = await createSource(handle.db, a.id, {
      name: "Odoo",
      kind: "odoo",
      config: { url: "https://erp.example" },
    });
    expect((await listSources(handle.db, a.id)).map((s) => s.name)).toEqual(["Odoo"]);
    expect(await listSources(handle.db, b.id)).toEqual([]);
    await expect(getSource(handle.db, b.id, source.id)).rejects.toMatchObject({
      code: "source.not_found",
    });
    await expect(getSource(handle.db, a.id, "not-a-uuid")).rejects.toMatchObject({
      code: "source.not_found",
    });
    expect((await getSource(handle.db, a.id, source.id)).config).toEqual({
      url: "https://erp.example",
    });
  });

  it("rolls back a failed transaction completely", async () => {
    const tenant = await ensureTenant(handle.db, { slug: slug(), name: "T" });
    await expect(
      handle.db.transaction(async (tx) => {
        await tx.insert(sources).values({ tenantId: tenant.id, name: "half", kind: "file" });
        throw new Error("crash mid-import");
      }),
    ).rejects.toThrow("crash mid-import");
    expect(await listSources(handle.db, tenant.id)).toEqual([]);
  });

  it("enforces natural keys and foreign keys with recognisable errors", async () => {
    const tenant = await ensureTenant(handle.db, { slug: slug(), name: "T" });
    await handle.db
      .insert(products)
      .values({ tenantId: tenant.id, sku: "CRE-2021-75", name: "Crémant 2021" });
    const duplicate = await handle.db
      .insert(products)
      .values({ tenantId: tenant.id, sku: "CRE-2021-75", name: "again" })
      .catch((error: unknown) => error);
    expect(isUniqueViolation(duplicate)).toBe(true);
    const orphan = await handle.db
      .insert(orders)
      .values({
        tenantId: tenant.id,
        sourceId: randomUUID(),
        documentNumber: "F1",
        orderDate: "2024-01-01",
      })
      .catch((error: unknown) => error);
    expect(isForeignKeyViolation(orphan)).toBe(true);
  });

  it("round-trips French text, numerics, dates, arrays and JSON identically", async () => {
    const tenant = await ensureTenant(handle.db, { slug: slug(), name: "Château Éole" });
    const [product] = await handle.db
      .insert(products)
      .values({
        tenantId: tenant.id,
        sku: "PN-VV-2022",
        name: "Pinot Noir « Vieilles Vignes » 2022",
        grapes: ["pinot noir", "gamay"],
        vintage: 2022,
        sizeMl: 1500,
        priceInclTax: "34.90",
      })
      .returning();
    const [customer] = await handle.db
      .insert(customers)
      .values({
        tenantId: tenant.id,
        lastName: "Lefèvre",
        firstName: "Zoé",
        postalCode: "01000",
        consentEmailAt: new Date("2024-03-01T10:00:00Z"),
      })
      .returning();
    const source = await createSource(handle.db, tenant.id, { name: "s", kind: "file" });
    const [order] = await handle.db
      .insert(orders)
      .values({
        tenantId: tenant.id,
        sourceId: source.id,
        documentNumber: "FA-0001",
        customerId: customer!.id,
        orderDate: "2024-12-24",
      })
      .returning();
    await handle.db.insert(orderLines).values({
      tenantId: tenant.id,
      orderId: order!.id,
      lineKey: "1",
      productId: product!.id,
      quantity: "6",
      unitPrice: "34.90",
      total: "209.40",
    });

    const [row] = await handle.db.select().from(products).where(eq(products.id, product!.id));
    expect(row).toMatchObject({
      name: "Pinot Noir « Vieilles Vignes » 2022",
      grapes: ["pinot noir", "gamay"],
      vintage: 2022,
      sizeMl: 1500,
      priceInclTax: "34.90",
      active: true,
    });
    const [c] = await handle.db.select().from(customers).where(eq(customers.id, customer!.id));
    expect(c).toMatchObject({
      lastName: "Lefèvre",
      postalCode: "01000",
      consentEmail: "unknown",
      kind: "private",
    });
    expect(c!.consentEmailAt?.toISOString()).toBe("2024-03-01T10:00:00.000Z");
    const [o] = await handle.db.select().from(orders).where(eq(orders.id, order!.id));
    expect(o!.orderDate).toBe("2024-12-24");
  });

  it("bulk-upserts with unnest on natural keys: a second identical load inserts nothing", async () => {
    const tenant = await ensureTenant(handle.db, { slug: slug(), name: "T" });
    const skus = Array.from({ length: 500 }, (_, i) => `SKU-${i}`);
    const names = skus.map((sku) => `Cuvée ${sku}`);
    const upsert = () =>
      queryRows<{ inserted: boolean }>(
        handle.db,
        sql`insert into products (tenant_id, sku, name)
            select ${tenant.id}::uuid, sku, name from unnest(${arrayParam(skus, "text")}, ${arrayParam(names, "text")}) as u(sku, name)
            on conflict (tenant_id, sku) do update set name = excluded.name
              where products.name is distinct from excluded.name
            returning (xmax = 0) as inserted`,
      );
    expect((await upsert()).filter((r) => r.inserted)).toHaveLength(500);
    expect(await upsert()).toHaveLength(0);
  });

  it("reads a page and the list's total together, also past the end and for an empty list", async () => {
    const estate = await ensureTenant(handle.db, { slug: slug(), name: "Pages" });
    const empty = await ensureTenant(handle.db, { slug: slug(), name: "Nothing yet" });
    for (const name of ["Odoo", "Vignoble", "Caisse", "Salon", "Boutique"])
      await createSource(handle.db, estate.id, { name, kind: "file" });
    const page = (tenantId: string, offset: number) =>
      pageWithTotal<{ name: string }>(
        handle.db,
        sql`select count(*)::int from sources where tenant_id = ${tenantId}::uuid`,
        (total) =>
          sql`select name, ${total} from sources where tenant_id = ${tenantId}::uuid
              order by name limit 2 offset ${offset}`,
      );
    const names = async (tenantId: string, offset: number) => {
      const { rows, total } = await page(tenantId, offset);
      return { names: rows.map((r) => r.name), total };
    };
    expect(await names(estate.id, 0)).toEqual({ names: ["Boutique", "Caisse"], total: 5 });
    expect(await names(estate.id, 4)).toEqual({ names: ["Vignoble"], total: 5 });
    expect(await names(estate.id, 10)).toEqual({ names: [], total: 5 });
    expect(await names(empty.id, 0)).toEqual({ names: [], total: 0 });
  });
});

/** A change listener that records what it hears, in order. */
function hearing() {
  const events: string[] = [];
  const listener: ChangeListener = {
    changed: () => events.push("changed"),
    watching: (live) => events.push(live ? "watching" : "not watching"),
  };
  return { events, listener };
}
