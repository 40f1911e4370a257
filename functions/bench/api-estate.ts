// The estate bench:api reads: the demo estate loaded into a migrated PostgreSQL database by the real
// import and recommendation paths, a signed-in viewer and an API key to call the API with, and
// some recommendation ids for the detail route.
import { sql } from "drizzle-orm";
import { queryRows } from "../src/adapters/db/database.ts";
import { createApiKey, createUser, openSession } from "../src/auth/users.ts";
import { createServices } from "../src/composition.ts";
import { loadConfig } from "../src/config.ts";
import { loadDemoEstate } from "../src/demo/load-demo.ts";
import { createLogger } from "../src/log.ts";
import { ensureTenant } from "../src/repos/tenants.ts";

export interface BenchEstate {
  customers: number;
  recommendations: number;
  /** The `Cookie` header of a viewer's session: what the web app's review screen sends. */
  sessionCookie: string;
  /** An API key (viewer), sent as `Authorization: Bearer …` by the estate's other tools. */
  apiKey: string;
  recommendationIds: string[];
}

export async function seedBenchEstate(
  databaseUrl: string,
  dataDir: string,
  detailIdCount: number,
): Promise<BenchEstate> {
  // In-process queue: seeding needs no pg-boss; the measured server runs with it.
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    CRM_RECO_QUEUE: "inline",
    CRM_RECO_DATA_DIR: dataDir,
  });
  const services = await createServices(config, createLogger("warn"), "command");
  try {
    await services.db.migrate();
    const db = services.db.db;
    const tenant = await ensureTenant(db, { slug: "default", name: "Domaine du banc d'essai" });
    const demo = await loadDemoEstate(services, tenant.id);
    const user = await createUser(db, tenant.id, {
      email: "bench@example.fr",
      password: "vendanges tardives 2026",
      role: "viewer",
    });
    const session = await openSession(db, user, new Date());
    const { key } = await createApiKey(db, tenant.id, {
      name: "bench",
      role: "viewer",
      createdBy: null,
    });
    // What autovacuum does within a minute or so on a live server; without statistics the
    // planner guesses a few dozen recommendations per estate and picks other plans.
    await db.execute(sql`vacuum analyze`);
    // Spread over the whole list rather than its first page, in a fixed order.
    const rows = await queryRows<{ id: string }>(
      db,
      sql`select id from recommendations where tenant_id = ${tenant.id}::uuid order by md5(id::text) limit ${detailIdCount}`,
    );
    return {
      customers: demo.customers,
      recommendations: demo.recommendations,
      sessionCookie: `crm_session=${session.token}`,
      apiKey: key,
      recommendationIds: rows.map((row) => row.id),
    };
  } finally {
    await services.close();
  }
}
