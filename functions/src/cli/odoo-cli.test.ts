import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedOdooEstate } from "../../test/odoo-estate.ts";
import { type FakeOdoo, startFakeOdoo } from "../odoo/test-server/fake-odoo.ts";

// The Odoo commands as an estate's IT person runs them: a real process against a fake Odoo.
const bin = fileURLToPath(new URL("../../../bin/crm-reco.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "crm-reco-odoo-cli-"));
let odoo: FakeOdoo;

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn" };
  delete env.DATABASE_URL;
  delete env.DB_DRIVER;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args, "--data-dir", dir], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  odoo = await startFakeOdoo({
    version: "19.0",
    users: [
      { uid: 2, login: "admin", password: "admin", apiKeys: ["key-of-admin-0123456789"] },
      { uid: 6, login: "crm-reco", password: "x", apiKeys: ["key-of-crm-reco-9876543210"] },
    ],
  });
  seedOdooEstate(odoo, { people: 6 });
});
afterAll(async () => {
  await odoo?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("crm-reco odoo commands", () => {
  it("tests a connection before it is saved, in French by default", async () => {
    const ok = await runCli([
      "odoo",
      "test",
      "--url",
      odoo.url,
      "--db",
      "estate",
      "--user",
      "admin",
      "--key",
      "key-of-admin-0123456789",
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("✓ Odoo 19.0 répond, via l'API JSON-2.");
    const refused = await runCli([
      "odoo",
      "test",
      "--url",
      odoo.url,
      "--db",
      "estate",
      "--user",
      "admin",
      "--key",
      "revoked",
      "--lang",
      "en",
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/✗ Odoo refused the API key/);
  });

  it("adds a source with its key kept out of sight, then syncs it with a JSON summary", async () => {
    const keyFile = join(dir, "odoo.key");
    writeFileSync(keyFile, "key-of-admin-0123456789\n");
    const added = await runCli([
      "source",
      "add",
      "odoo",
      "--name",
      "Odoo du domaine",
      "--url",
      odoo.url,
      "--db",
      "estate",
      "--user",
      "admin",
      "--key-file",
      keyFile,
      "--schedule",
      "0 * * * *",
    ]);
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("key …6789");
    expect(added.stdout).not.toContain("key-of-admin");

    const tested = await runCli(["odoo", "test", "--source", "Odoo du domaine", "--json"]);
    expect(JSON.parse(tested.stdout)).toMatchObject({ ok: true, protocol: "json2" });

    const synced = await runCli(["sync", "Odoo du domaine", "--json"]);
    expect(synced.code).toBe(0);
    const summary = JSON.parse(synced.stdout);
    expect(summary).toMatchObject({
      status: "succeeded",
      protocol: "json2",
      serverVersion: "19.0",
    });
    expect(
      summary.runs.map((r: { entity: string; rowsInserted: number }) => [
        r.entity,
        r.rowsInserted > 0,
      ]),
    ).toEqual([
      ["customers", true],
      ["products", true],
      ["order_lines", true],
    ]);
    const again = JSON.parse((await runCli(["sync", "Odoo du domaine", "--json"])).stdout);
    expect(again.runs.every((r: { rowsInserted: number }) => r.rowsInserted === 0)).toBe(true);

    const text = await runCli(["sync", "Odoo du domaine", "--full"]);
    expect(text.stdout).toMatch(
      /^Odoo 19\.0 \(json2\), full sync: succeeded\n {2}customers {4}read \d+/,
    );
  });

  it("gives a source a new key and user when its key expired, keeping it out of sight", async () => {
    const add = await runCli([
      "source",
      "add",
      "odoo",
      "--name",
      "Odoo expiré",
      "--url",
      odoo.url,
      "--db",
      "estate",
      "--user",
      "admin",
      "--key",
      "key-that-expired-0000",
    ]);
    expect(add.code).toBe(0);
    const test = async () =>
      JSON.parse((await runCli(["odoo", "test", "--source", "Odoo expiré", "--json"])).stdout);
    expect(await test()).toMatchObject({ ok: false });
    const keyFile = join(dir, "new.key");
    writeFileSync(keyFile, "key-of-crm-reco-9876543210\n");
    const replaced = await runCli([
      "source",
      "key",
      "--source",
      "Odoo expiré",
      "--key-file",
      keyFile,
      "--user",
      "crm-reco",
    ]);
    expect(replaced).toMatchObject({
      code: 0,
      stdout:
        'New key for "Odoo expiré" (key …3210, user crm-reco).\nTest it: crm-reco odoo test --source "Odoo expiré"\n',
    });
    expect(await test()).toMatchObject({ ok: true });
    expect(await runCli(["source", "key", "--source", "Inconnu", "--key", "k"])).toMatchObject({
      code: 1,
      stderr: 'Error (source.not_found): No source named "Inconnu".\n',
    });
    // A key or a login of spaces is none: refused, the stored key kept.
    for (const flags of [
      ["--key", "   "],
      ["--key", "k", "--user", "  "],
    ])
      expect(await runCli(["source", "key", "--source", "Odoo expiré", ...flags])).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/^Error \(cli\.invalid\)/),
      });
    expect(await test()).toMatchObject({ ok: true });
  });

  it("refuses a sync of a source that does not exist, or is a file source", async () => {
    const missing = await runCli(["sync", "Inconnu"]);
    expect(missing).toMatchObject({
      code: 1,
      stderr: 'Error (source.not_found): No source named "Inconnu".\n',
    });
  });
});
