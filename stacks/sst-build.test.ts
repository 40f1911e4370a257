import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsBootstrapStub } from "./test/aws-bootstrap-stub.ts";
import { handlerNames } from "./test/template-queries.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = mkdtempSync(join(tmpdir(), "crm-reco-sst-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Where a cold start's cost grows: the file Lambda loads first. Target 1.5 MiB for the api. */
const apiTargetBytes = 1.5 * 1024 * 1024;
/** The ceiling CI enforces until the api's PDF and encoding libraries load on demand. */
const mainBundleBudgetBytes = 4 * 1024 * 1024;

interface BuiltTemplate {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}
let template: BuiltTemplate;

// The real `sst build`, as a deploy would run it, with its AWS calls answered on loopback.
beforeAll(async () => {
  const stub = await startAwsBootstrapStub();
  try {
    const { code, output } = await run(
      join(root, "node_modules", ".bin", "sst"),
      ["build", "--stage", "ci", "--to", out],
      {
        ...process.env,
        AWS_ENDPOINT_URL: stub.endpoint,
        AWS_ACCESS_KEY_ID: "AKIAOFFLINESTUB",
        AWS_SECRET_ACCESS_KEY: "offline-stub-secret",
        AWS_REGION: "eu-west-3",
        AWS_PROFILE: "",
        SST_TELEMETRY_DISABLED: "1",
        NODE_ENV: "production",
      },
    );
    expect(code, output).toBe(0);
    expect(stub.calls).toEqual(
      expect.arrayContaining([
        "GetCallerIdentity",
        "DescribeStacks:CDKToolkit",
        "DescribeStacks:SSTBootstrap",
      ]),
    );
  } finally {
    await stub.close();
  }
  const templateFile = readdirSync(out).find((file) => file.endsWith(".template.json"));
  expect(templateFile, `no template in ${readdirSync(out).join(", ")}`).toBeDefined();
  template = JSON.parse(readFileSync(join(out, templateFile!), "utf8")) as BuiltTemplate;
});

it("synthesizes the whole app with the real `sst build`, offline", () => {
  const types = Object.values(template.Resources).map((resource) => resource.Type);
  expect(types).toEqual(
    expect.arrayContaining([
      "AWS::ApiGatewayV2::Api",
      "AWS::Lambda::Function",
      "AWS::CloudFront::Distribution",
      "AWS::SQS::Queue",
      "Custom::S3BucketNotifications",
      "AWS::Events::Rule",
    ]),
  );
  expect(
    Object.values(template.Resources).some(
      (r) => r.Type === "AWS::Lambda::Function" && r.Properties.Runtime === "nodejs22.x",
    ),
  ).toBe(true);
});

// What Lambda will load: each bundle, minified, from a folder with no node_modules around it.
describe.each(handlerNames)("the %s bundle", (name) => {
  const bundle = () => {
    const fn = Object.values(template.Resources).find(
      (r) =>
        r.Type === "AWS::Lambda::Function" &&
        r.Properties.Handler === `functions/src/handlers/${name}.handler`,
    );
    expect(fn, `no function for ${name}`).toBeDefined();
    const key = (fn!.Properties.Code as { S3Key: string }).S3Key;
    const folder = join(out, `asset.${key.replace(/\.zip$/, "")}`);
    return { folder, main: join(folder, "functions", "src", "handlers", `${name}.mjs`) };
  };

  it("is minified, within budget, and loads without node_modules", async () => {
    const { folder, main } = bundle();
    const code = readFileSync(main, "utf8");
    const mainBytes = Buffer.byteLength(code);
    // Minified output is a few very long lines; esbuild's readable output averages ~40 chars.
    expect(mainBytes / code.split("\n").length).toBeGreaterThan(500);
    expect(mainBytes).toBeLessThanOrEqual(mainBundleBudgetBytes);
    // zod's translations stay out (zodEnglishOnlyPlugin): its French message is one of them.
    expect(filesContaining(folder, "Entrée invalide")).toEqual([]);

    // The VPS-only packages are external: a static import of one would fail here, as on Lambda.
    const { code: exit, output } = await run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const started = performance.now();
         const loaded = await import(${JSON.stringify(pathToFileURL(main).href)});
         if (typeof loaded.handler !== "function") throw new Error("no handler export");
         console.log(JSON.stringify({ initMs: performance.now() - started }));`,
      ],
      { PATH: process.env.PATH },
      folder,
    );
    expect(exit, output).toBe(0);
    const { initMs } = JSON.parse(output.trim().split("\n").at(-1)!) as { initMs: number };
    const totalBytes = folderBytes(folder);
    const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
    console.log(
      `${name}: main ${mib(mainBytes)} (${mainBytes} B), all files ${mib(totalBytes)}, module init ${Math.round(initMs)} ms` +
        (name === "api" ? `; target ${mib(apiTargetBytes)}` : ""),
    );
  });
});

function filesContaining(folder: string, text: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".mjs"))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => readFileSync(file, "utf8").includes(text));
}

function folderBytes(folder: string): number {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd = root,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    // A hang (sst waiting for a network it will never get) must fail the test, not CI's clock.
    const timer = setTimeout(() => child.kill("SIGKILL"), 150_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
