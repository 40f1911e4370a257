import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The dependency rule is enforced by lint; this proves the rule bites where it should.
describe("the core/ purity lint rule", () => {
  const eslint = new ESLint({ cwd: new URL("../..", import.meta.url).pathname });
  const lint = async (code: string, filePath: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return result!.messages.map((message) => message.ruleId);
  };

  it.each([
    [
      'import { S3Client } from "@aws-sdk/client-s3";\nexport const c = S3Client;\n',
      "no-restricted-imports",
    ],
    ['import pg from "pg";\nexport const p = pg;\n', "no-restricted-imports"],
    [
      'import { readFile } from "node:fs/promises";\nexport const r = readFile;\n',
      "no-restricted-imports",
    ],
    ['import { sql } from "drizzle-orm";\nexport const s = sql;\n', "no-restricted-imports"],
    ["export const url = process.env.DATABASE_URL;\n", "no-restricted-globals"],
  ])("refuses %j in core/", async (code, rule) => {
    expect(await lint(code, "core/src/example.ts")).toContain(rule);
  });

  it("accepts the same import in a functions/ adapter", async () => {
    expect(
      await lint(
        'import pg from "pg";\nexport const p = pg;\n',
        "functions/src/adapters/db/example.ts",
      ),
    ).toEqual([]);
  });

  it("keeps process.env to the composition root", async () => {
    expect(
      await lint("export const port = process.env.PORT;\n", "functions/src/http/example.ts"),
    ).toContain("no-restricted-properties");
    expect(
      await lint("export const port = process.env.PORT;\n", "functions/src/config.ts"),
    ).toEqual([]);
  });
});
