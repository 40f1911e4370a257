import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../../../test/api-client.ts";
import { availableDrivers } from "../../../test/databases.ts";
import { createTestServices } from "../../../test/services.ts";
import { createUser } from "../../auth/users.ts";
import { importFile } from "../../import/import-file.ts";
import { createSource } from "../../repos/sources.ts";
import { ensureTenant } from "../../repos/tenants.ts";
import type { Services } from "../../services.ts";
import { createApp } from "../app.ts";

const PASSWORD = "correct horse battery";
const CUSTOMERS =
  "N° client;Nom;E-mail\r\nC1;Martin;anne@exemple.fr\r\nC2;Petit;luc@exemple.fr\r\n";

describe.each(availableDrivers.filter((d) => d !== "neon"))("sync now on %s", (driver) => {
  let services: Services & { close(): Promise<void> };
  let api: ReturnType<typeof apiClient>;
  let sourceId: string;

  beforeAll(async () => {
    services = await createTestServices(driver);
    api = apiClient(createApp(services), PASSWORD);
    const tenant = await ensureTenant(services.db.db, { slug: "alpha", name: "alpha" });
    await createUser(services.db.db, tenant.id, {
      email: "editor@alpha.fr",
      password: PASSWORD,
      role: "editor",
    });
    // Imported the way `crm-reco import` and the demo estate do: a stored file and a run, no job.
    const source = await createSource(services.db.db, tenant.id, { name: "Cave", kind: "file" });
    sourceId = source.id;
    const bytes = new TextEncoder().encode(CUSTOMERS);
    const checksum = createHash("sha256").update(bytes).digest("hex");
    const key = `${tenant.id}/imports/${checksum}/clients.csv`;
    await services.blobs.put(key, bytes, "text/csv");
    await importFile(services, {
      tenantId: tenant.id,
      sourceId,
      entity: "customers",
      fileName: "clients.csv",
      checksum,
      open: () => services.blobs.get(key),
      trigger: "cli",
    });
  }, 120_000);
  afterAll(async () => {
    await services?.close();
  });

  it("imports the latest file again, even one that came through the command line", async () => {
    const queued = await api.call("POST", `/api/sources/${sourceId}/sync`, {
      as: "editor@alpha.fr",
      body: {},
    });
    expect(queued.status).toBe(202);
    const job = await api.waitForJob(queued.body.id as string, "editor@alpha.fr");
    // The same rows again: read, nothing new, nothing changed.
    expect(job).toMatchObject({
      status: "succeeded",
      result: { rowsRead: 2, rowsInserted: 0, rowsUnchanged: 2 },
    });
    const runs = await api.call("GET", `/api/sources/${sourceId}/runs`, { as: "editor@alpha.fr" });
    // The test clock stands still: both runs start at the same instant, so compare as a set.
    expect(runs.body.items!.map((r) => `${r.trigger} ${r.fileName}`).sort()).toEqual([
      "cli clients.csv",
      "manual clients.csv",
    ]);
  });

  it("says which columns an uploaded file's import recognised without certainty, and only those", async () => {
    const upload = async (name: string, text: string) => {
      const form = new FormData();
      form.set("entity", "customers");
      form.set("file", new File([new TextEncoder().encode(text)], name, { type: "text/csv" }));
      const sent = await api.call("POST", `/api/sources/${sourceId}/files`, {
        as: "editor@alpha.fr",
        body: form,
      });
      expect(sent.status).toBe(202);
      return api.waitForJob(sent.body.id as string, "editor@alpha.fr");
    };
    const guessed = await upload(
      "clients-2025.csv",
      "N° client;Nom;Prenon;Vile\r\nC3;Durand;Marc;Colmar\r\n",
    );
    expect(guessed).toMatchObject({ status: "succeeded", result: { rowsInserted: 1 } });
    expect((guessed.result as { uncertainFields: unknown }).uncertainFields).toEqual([
      { field: "city", column: "Vile", confidence: expect.closeTo(0.8, 2) },
      { field: "first_name", column: "Prenon", confidence: expect.closeTo(0.83, 2) },
    ]);
    // The same headers again: the mapping saved by the first import is sure of itself.
    const again = await upload(
      "clients-2025b.csv",
      "N° client;Nom;Prenon;Vile\r\nC4;Roth;Léa;Sélestat\r\n",
    );
    expect((again.result as { uncertainFields: unknown }).uncertainFields).toEqual([]);
  });
});
