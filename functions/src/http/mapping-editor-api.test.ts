import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../../test/api-client.ts";
import { availableDrivers } from "../../test/databases.ts";
import { createTestServices } from "../../test/services.ts";
import { createUser } from "../auth/users.ts";
import { importFile } from "../import/import-file.ts";
import { createSource } from "../repos/sources.ts";
import { ensureTenant } from "../repos/tenants.ts";
import type { Services } from "../services.ts";
import { createApp } from "./app.ts";

const PASSWORD = "correct horse battery";
const customersCsv = [
  "N° client;Nom;Prénom;E-mail;Code postal",
  "C1;Martin;Anne;anne@exemple.fr;68000",
  "C2;Durand;Paul;paul@exemple.fr;75011",
].join("\r\n");
const productsCsv = ["Article;Libellé;Prix", "CR21;Crémant 2021;12,50"].join("\r\n");
/** No column the suggestion recognises: its import fails, the file stays. */
const salesCsv = ["Quoi;Combien", "Crémant;3"].join("\r\n");

/** What the mapping editor reads: a source's file per entity, fields with their types, authors. */
describe.each(availableDrivers.filter((d) => d !== "neon"))(
  "mapping editor API on %s",
  (driver) => {
    let services: Services & { close(): Promise<void> };
    let app: ReturnType<typeof createApp>;
    let sourceId: string;
    let tenantId: string;
    let api: ReturnType<typeof apiClient>;
    const call = async (method: string, path: string, as: string, body?: unknown) =>
      api.call(method, path, { as, body });

    beforeAll(async () => {
      services = await createTestServices(driver);
      app = createApp(services);
      api = apiClient(app, PASSWORD);
      const tenant = await ensureTenant(services.db.db, { slug: "gamma", name: "Domaine gamma" });
      for (const role of ["editor", "viewer"] as const)
        await createUser(services.db.db, tenant.id, {
          email: `${role}@gamma.fr`,
          password: PASSWORD,
          role,
        });
      tenantId = tenant.id;
      sourceId = (await createSource(services.db.db, tenant.id, { name: "Caveau", kind: "file" }))
        .id;
      // Imported the way the CLI and the demo estate do: no upload job, the file kept in the blobs.
      for (const [entity, fileName, text] of [
        ["customers", "clients.csv", customersCsv],
        ["order_lines", "ventes.csv", salesCsv],
        ["products", "articles.csv", productsCsv],
      ] as const) {
        const bytes = new TextEncoder().encode(text);
        const checksum = createHash("sha256").update(bytes).digest("hex");
        const key = `${tenant.id}/imports/${checksum}/${fileName}`;
        await services.blobs.put(key, bytes, "text/csv");
        await importFile(services, {
          tenantId: tenant.id,
          sourceId,
          entity,
          fileName,
          checksum,
          open: () => services.blobs.get(key),
          trigger: "cli",
        }).catch(() => undefined);
      }
    }, 60_000);
    afterAll(async () => {
      await services?.close();
    });

    it.each([
      ["any", "articles.csv", "products"],
      ["customers", "clients.csv", "customers"],
      ["products", "articles.csv", "products"],
    ])("previews the latest file of entity %s: %s", async (entity, name, read) => {
      const query = entity === "any" ? "" : `?entity=${entity}`;
      const preview = await call(
        "GET",
        `/api/sources/${sourceId}/preview${query}`,
        "viewer@gamma.fr",
      );
      expect(preview.status).toBe(200);
      expect(preview.body.file).toMatchObject({ name, entity: read });
    });

    it("shows the columns and rows of a file the suggestion cannot map", async () => {
      const preview = await call(
        "GET",
        `/api/sources/${sourceId}/preview?entity=order_lines&rows=5`,
        "viewer@gamma.fr",
      );
      expect(preview.status).toBe(200);
      expect(preview.body.file).toMatchObject({
        name: "ventes.csv",
        columns: ["Quoi", "Combien"],
        rows: [["Crémant", "3"]],
      });
      expect(preview.body.missingRequired).toContain("document_number");
      expect(preview.body.preview).toMatchObject({ error: { code: "mapping.missing_required" } });
    });

    it("says in words that a source has no file of an entity", async () => {
      const other = (await createSource(services.db.db, tenantId, { name: "Vide", kind: "file" }))
        .id;
      const preview = await call(
        "GET",
        `/api/sources/${other}/preview?entity=order_lines`,
        "viewer@gamma.fr",
      );
      expect(preview.status).toBe(400);
      expect(preview.body.error).toMatchObject({ message: expect.stringContaining("order_lines") });
    });

    it("gives each field the column types it accepts", async () => {
      const fields = (await call("GET", "/api/mappings/fields", "viewer@gamma.fr")).body as Record<
        string,
        Array<{ key: string; accepts: string[] }>
      >;
      const email = fields.customers!.find((f) => f.key === "email")!;
      expect(email.accepts).toContain("email");
      expect(email.accepts).not.toContain("date");
      const lastName = fields.customers!.find((f) => f.key === "last_name")!;
      expect(lastName.accepts).toEqual(expect.arrayContaining(["text", "email", "number"]));
      // "Client depuis" and its dates are no name.
      expect(lastName.accepts).not.toContain("date");
    });

    it.each([
      [{ last_name: "Nom" }, "mapping.missing_required", ["external_id"]],
      [{ external_id: "N° client", phone: "Téléphone" }, "mapping.unknown_column", ["phone"]],
      [{ external_id: "N° client", shoe_size: "Nom" }, "mapping.unknown_field", ["shoe_size"]],
    ])("names the fields a validation error is about: %j", async (fields, code, named) => {
      const checked = await call("POST", "/api/mappings/validate", "viewer@gamma.fr", {
        entity: "customers",
        columns: ["N° client", "Nom"],
        fields,
      });
      expect(checked.body).toMatchObject({ valid: false, errors: [{ code, fields: named }] });
    });

    it("lists versions with their author: none for an import's, the editor for a saved one", async () => {
      const before = (await call("GET", `/api/mappings?sourceId=${sourceId}`, "viewer@gamma.fr"))
        .body.items as Array<{ entity: string; version: number; createdBy: string | null }>;
      expect(before.find((m) => m.entity === "customers")).toMatchObject({
        version: 1,
        createdBy: null,
      });
      const saved = await call("POST", "/api/mappings", "editor@gamma.fr", {
        sourceId,
        entity: "customers",
        columns: ["N° client", "Nom", "Prénom", "E-mail", "Code postal"],
        fields: { external_id: "N° client", last_name: "Nom", email: "E-mail" },
      });
      expect(saved.status).toBe(201);
      expect(saved.body).toMatchObject({ version: 2, createdBy: "editor@gamma.fr" });
      const detail = await call(
        "GET",
        `/api/mappings/${saved.body.id as string}`,
        "viewer@gamma.fr",
      );
      expect(detail.body).toMatchObject({ version: 2, createdBy: "editor@gamma.fr" });
      const after = (await call("GET", `/api/mappings?entity=customers`, "viewer@gamma.fr")).body
        .items as Array<{ version: number; createdBy: string | null }>;
      expect(after[0]).toMatchObject({ version: 2, createdBy: "editor@gamma.fr" });
    });
  },
);
