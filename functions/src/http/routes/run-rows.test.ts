import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../../../test/api-client.ts";
import { availableDrivers } from "../../../test/databases.ts";
import { createTestServices } from "../../../test/services.ts";
import { createUser } from "../../auth/users.ts";
import { ensureTenant } from "../../repos/tenants.ts";
import type { Services } from "../../services.ts";
import { createApp } from "../app.ts";

const PASSWORD = "correct horse battery";

// A title line before the header (so file lines ≠ row numbers), a rejected row (line 4: no
// name, code or e-mail) and an anomaly (line 5: an e-mail without a domain).
const CUSTOMERS = [
  "Export clients du 01/12/2026",
  "N° client;Nom;Prénom;E-mail;CP;Ville",
  "C1;Martin;Anne;anne@exemple.fr;68000;Colmar",
  ";;;;;Colmar",
  "C3;Bernard;Zoé;zoe@exemple;67000;Strasbourg",
  "C4;Petit;Luc;luc@exemple.fr;68100;Mulhouse",
  "C5;Roux;Léa;lea@exemple.fr;68000;Colmar",
].join("\r\n");

describe.each(availableDrivers.filter((d) => d !== "neon"))("jump to a row on %s", (driver) => {
  let services: Services & { close(): Promise<void> };
  let api: ReturnType<typeof apiClient>;
  let runId: string;
  let otherEstate: string;

  beforeAll(async () => {
    services = await createTestServices(driver);
    const app = createApp(services);
    api = apiClient(app, PASSWORD);
    for (const slug of ["alpha", "beta"]) {
      const tenant = await ensureTenant(services.db.db, { slug, name: slug });
      for (const role of ["admin", "editor", "viewer"] as const)
        await createUser(services.db.db, tenant.id, {
          email: `${role}@${slug}.fr`,
          password: PASSWORD,
          role,
        });
    }
    const source = await api.call("POST", "/api/sources", {
      as: "admin@alpha.fr",
      body: { name: "iSaVigne", kind: "file" },
    });
    const form = new FormData();
    form.set("entity", "customers");
    form.set("file", new File([CUSTOMERS], "clients.csv", { type: "text/csv" }));
    const upload = await api.call("POST", `/api/sources/${source.body.id as string}/files`, {
      as: "editor@alpha.fr",
      body: form,
    });
    expect(upload.status).toBe(202);
    const job = await api.waitForJob(upload.body.id as string, "editor@alpha.fr");
    expect(job).toMatchObject({ status: "succeeded", result: { rowsRejected: 1 } });
    runId = (job.result as { runId: string }).runId;
    otherEstate = "viewer@beta.fr";
  }, 120_000);
  afterAll(async () => {
    await services?.close();
  });

  it("shows the lines around one line as they are in the file, with the run's issues on them", async () => {
    const answer = await api.call("GET", `/api/runs/${runId}/rows?line=4&around=1`, {
      as: "viewer@alpha.fr",
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      fileName: "clients.csv",
      headerLine: 2,
      columns: ["N° client", "Nom", "Prénom", "E-mail", "CP", "Ville"],
      rows: [
        { line: 3, values: ["C1", "Martin", "Anne", "anne@exemple.fr", "68000", "Colmar"] },
        { line: 4, values: ["", "", "", "", "", "Colmar"] },
        { line: 5, values: ["C3", "Bernard", "Zoé", "zoe@exemple", "67000", "Strasbourg"] },
      ],
    });
    const issues = answer.body.issues as Array<Record<string, unknown>>;
    expect(issues.filter((i) => i.kind === "rejected").map((i) => i.line)).toEqual([4]);
    expect(issues).toContainEqual(
      expect.objectContaining({
        kind: "anomaly",
        line: 5,
        code: "email.invalid",
        message: expect.objectContaining({ fr: expect.stringContaining("zoe@exemple") }),
      }),
    );
  });

  it("names each rejection and anomaly of the validation report with an example message", async () => {
    const sources = await api.call("GET", "/api/sources", { as: "viewer@alpha.fr" });
    const sourceId = sources.body.items![0]!.id as string;
    const report = await api.call("GET", `/api/sources/${sourceId}/validation`, {
      as: "viewer@alpha.fr",
    });
    expect(report.body.rejectedByReason).toEqual([
      {
        code: expect.any(String),
        rows: 1,
        example: { fr: expect.stringMatching(/\w/), en: expect.stringMatching(/\w/) },
      },
    ]);
    // The staff read the reason in their language.
    const [{ example }] = report.body.rejectedByReason as [{ example: { fr: string; en: string } }];
    expect(example.fr).not.toBe(example.en);
    expect(report.body.openAnomalies).toContainEqual({
      code: "email.invalid",
      field: "email",
      severity: expect.any(String),
      count: 1,
      // What the group has in common, not one of its values.
      example: { fr: "E-mail invalide", en: "Invalid e-mail" },
    });
  });

  it("stops at the end of the file, and around=0 gives the one line", async () => {
    const end = await api.call("GET", `/api/runs/${runId}/rows?line=7&around=5`, {
      as: "viewer@alpha.fr",
    });
    expect((end.body.rows as Array<{ line: number }>).map((r) => r.line)).toEqual([3, 4, 5, 6, 7]);
    const one = await api.call("GET", `/api/runs/${runId}/rows?line=6&around=0`, {
      as: "viewer@alpha.fr",
    });
    expect(one.body.rows).toEqual([
      { line: 6, values: ["C4", "Petit", "Luc", "luc@exemple.fr", "68100", "Mulhouse"] },
    ]);
    expect(one.body.issues).toEqual([]);
  });

  it("keeps another estate's runs out of reach, and validates the line", async () => {
    const foreign = await api.call("GET", `/api/runs/${runId}/rows?line=4`, { as: otherEstate });
    expect(foreign.status).toBe(404);
    const bad = await api.call("GET", `/api/runs/${runId}/rows?line=0`, {
      as: "viewer@alpha.fr",
    });
    expect(bad.status).toBe(400);
    const anonymous = await api.call("GET", `/api/runs/${runId}/rows?line=4`);
    expect(anonymous.status).toBe(401);
  });
});
