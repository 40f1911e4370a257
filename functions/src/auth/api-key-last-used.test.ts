import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDrivers } from "../../test/databases.ts";
import { createTestServices } from "../../test/services.ts";
import { apiKeys } from "../db/schema/index.ts";
import { ensureTenant } from "../repos/tenants.ts";
import { actorFromApiKey, createApiKey } from "./users.ts";

describe.each(availableDrivers)("an API key's last use, on %s", (driver) => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    services = await createTestServices(driver);
  });
  afterAll(() => services.close());

  it("is recorded to the minute: a call within a minute of the last recorded one writes nothing", async () => {
    const db = services.db.db;
    const tenant = await ensureTenant(db, { slug: "alpha", name: "Alpha" });
    const { key, row } = await createApiKey(db, tenant.id, {
      name: "Odoo",
      role: "viewer",
      createdBy: null,
    });
    const lastUsed = async () =>
      (await db.select().from(apiKeys).where(eq(apiKeys.id, row.id)))[0]!.lastUsedAt?.toISOString();
    const at = (iso: string) => new Date(iso);

    expect(await lastUsed()).toBeUndefined();
    for (const [call, recorded] of [
      ["2026-11-25T10:00:00.000Z", "2026-11-25T10:00:00.000Z"], // first use
      ["2026-11-25T10:00:59.000Z", "2026-11-25T10:00:00.000Z"], // within the minute
      ["2026-11-25T10:01:00.000Z", "2026-11-25T10:01:00.000Z"], // a minute later
      ["2026-11-25T12:30:00.000Z", "2026-11-25T12:30:00.000Z"], // hours later
    ] as const) {
      const actor = await actorFromApiKey(db, key, at(call));
      expect(actor).toMatchObject({ tenantId: tenant.id, role: "viewer", apiKeyId: row.id });
      expect(await lastUsed(), call).toBe(recorded);
    }
  });
});
