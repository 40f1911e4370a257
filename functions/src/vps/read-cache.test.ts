import { afterEach, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import pg from "pg";
import { availableDrivers } from "../../test/databases.ts";
import { createTestServices } from "../../test/services.ts";
import type { DbDriver } from "../adapters/db/database.ts";
import { createApiKey } from "../auth/users.ts";
import {
  apiKeys,
  customers,
  products,
  recommendationRuns,
  recommendations,
} from "../db/schema/index.ts";
import { ensureTenant } from "../repos/tenants.ts";
import type { Services } from "../services.ts";
import { type RunningServer, startVpsServer } from "./server.ts";

/** One recommendation, and an API key to read it with. */
async function seed(services: Services) {
  const db = services.db.db;
  const tenant = await ensureTenant(db, { slug: "cache", name: "Domaine du cache" });
  const { key, row } = await createApiKey(db, tenant.id, {
    name: "test",
    role: "viewer",
    createdBy: null,
  });
  // Used just now: reading with it writes nothing (a minute's precision), which would clear it all.
  await db.update(apiKeys).set({ lastUsedAt: services.clock.now() }).where(eq(apiKeys.id, row.id));
  const [customer] = await db
    .insert(customers)
    .values({ tenantId: tenant.id, customerCode: "C1", lastName: "Martin", kind: "private" })
    .returning();
  const [product] = await db
    .insert(products)
    .values({ tenantId: tenant.id, sku: "CR21", name: "Crémant Brut 2021" })
    .returning();
  const [run] = await db
    .insert(recommendationRuns)
    .values({ tenantId: tenant.id, algorithm: "hybrid", status: "succeeded" })
    .returning();
  const [reco] = await db
    .insert(recommendations)
    .values({
      tenantId: tenant.id,
      runId: run!.id,
      customerId: customer!.id,
      productId: product!.id,
      algorithm: "itemknn",
      score: 1,
      confidence: 0.5,
      rank: 1,
      explanation: { fr: "Essai", en: "Try", fallback: false },
    })
    .returning();
  return { key, id: reco!.id };
}

/**
 * Writes as another process would, on a connection of its own (PGlite has only one). `silently`
 * sets session_replication_role = replica, which skips triggers: the write sends no notice, so
 * an answer that does not show it came from memory.
 */
async function writeElsewhere(
  services: Services,
  driver: DbDriver,
  statement: string,
  silently: boolean,
) {
  const statements = silently
    ? ["set session_replication_role = replica", statement, "set session_replication_role = origin"]
    : [statement];
  if (driver === "pglite") {
    for (const each of statements) await services.db.db.execute(sql.raw(each));
    return;
  }
  const pool = (services.db.db as unknown as { $client: pg.Pool }).$client;
  const client = new pg.Client({ connectionString: pool.options.connectionString });
  await client.connect();
  for (const each of statements) await client.query(each);
  await client.end();
}

describe.each(availableDrivers.filter((d) => d !== "neon"))(
  "the VPS server's read cache on %s",
  (driver) => {
    let services: Services & { close(): Promise<void> };
    let server: RunningServer | undefined;
    afterEach(async () => {
      await server?.close();
      await services?.close();
    });

    /** A fresh estate with one recommendation, served by a VPS server once `prepare` has run. */
    const serve = async (prepare: (services: Services) => Promise<unknown> = async () => {}) => {
      services = await createTestServices(driver);
      const seeded = await seed(services);
      await prepare(services);
      server = await startVpsServer({
        services,
        port: 0,
        host: "127.0.0.1",
        webDistDir: "/nonexistent",
      });
      return seeded;
    };
    const status = async (key: string, id: string) => {
      const response = await fetch(`${server!.url}/api/recommendations/${id}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { status: string }).status;
    };
    const approveElsewhere = (id: string, silently: boolean) =>
      writeElsewhere(
        services,
        driver,
        `update recommendations set status = 'approved' where id = '${id}'`,
        silently,
      );

    it("answers a repeated read from memory until a write is notified, by any connection", async () => {
      const { key, id } = await serve();
      expect(await status(key, id)).toBe("pending");
      await approveElsewhere(id, true);
      expect(await status(key, id)).toBe("pending"); // kept: that write sent no notice

      await writeElsewhere(
        services,
        driver,
        `update recommendations set reject_reason = 'notice' where id = '${id}'`,
        false,
      );
      await vi.waitFor(async () => expect(await status(key, id)).toBe("approved"));
    });

    it("gives requests that arrive together on an empty cache the same answer", async () => {
      const { key, id } = await serve();
      const paths = [
        `/api/recommendations/${id}`,
        "/api/recommendations?limit=5",
        "/api/recommendations/facets",
      ];
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          fetch(server!.url + paths[i % 3], { headers: { authorization: `Bearer ${key}` } }).then(
            async (r) => ({ path: paths[i % 3], status: r.status, body: await r.text() }),
          ),
        ),
      );
      for (const path of paths) {
        const same = answers.filter((a) => a.path === path);
        expect(same.map((a) => a.status)).toEqual(Array(10).fill(200));
        expect(new Set(same.map((a) => a.body)).size).toBe(1);
      }
      expect(JSON.parse(answers[0]!.body)).toMatchObject({ id, status: "pending" });
    });

    it("reads afresh every time from a database without the change notices of migration 0003", async () => {
      const { key, id } = await serve((services) =>
        services.db.db.execute(sql`drop function crm_reco_notify_change() cascade`),
      );
      expect(await status(key, id)).toBe("pending");
      await approveElsewhere(id, false);
      expect(await status(key, id)).toBe("approved");
    });
  },
);
