import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiGatewayV2Event, lambdaContext } from "../functions/test/apigw-event.ts";
import { startSsmStandIn, SSM_CREDENTIALS } from "../functions/test/ssm-stand-in.ts";
import { startAwsBootstrapStub } from "./test/aws-bootstrap-stub.ts";
import { type BuiltTemplate, builtFunction, handlerNames } from "./test/template-queries.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = mkdtempSync(join(tmpdir(), "crm-reco-sst-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Where a cold start's cost grows: the file Lambda loads first. Target 1.5 MiB for the api. */
const apiTargetBytes = 1.5 * 1024 * 1024;
/** The ceiling CI enforces until the api's PDF and encoding libraries load on demand. */
const mainBundleBudgetBytes = 4 * 1024 * 1024;

let template: BuiltTemplate;

// The real `sst build`, as a deploy would run it, with its AWS calls answered on loopback.
beforeAll(async () => {
  const stub = await startAwsBootstrapStub();
  try {
    const { code, output } = await run(
      join(root, "node_modules", ".bin", "sst"),
      ["build", "--stage", "ci", "--to", out],
      stub.sstBuildEnv(),
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
  const bundle = () => builtFunction(template, out, name);

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

// The api's first request, from its bundle alone, as on Lambda: the secrets read from SSM as SST
// binds them, the database through the Neon driver. What the usual requests never need stays
// unloaded: the AWS SDK (S3 and SQS clients load when a job is sent or a file touched), and the
// import pipeline's and schedules' libraries (loaded by the routes that use them).
const loadedOnDemandOnly: Record<string, RegExp> = {
  "the AWS SDK's S3, SQS or SSM client": /@aws-sdk\/client-(s3|sqs|ssm)/,
  "libphonenumber's metadata": /country_calling_codes/,
  papaparse: /UndetectableDelimiter/,
  "cron-parser or luxon": /Invalid cron expression|Invalid DateTime/,
};
const postgres = inject("postgres");
const neonWsProxy = inject("neonWsProxy");
describe.runIf(postgres && neonWsProxy)("the api bundle's first request", () => {
  it("reads its bound secrets from SSM, answers /health from the database, and loads nothing it does not need", async () => {
    const { fn, folder } = builtFunction(template, out, "api");
    const admin = new pg.Client({ connectionString: `${postgres!.baseUrl}postgres` });
    await admin.connect();
    const database = `api_bundle_${Date.now()}`;
    await admin.query(`create database ${database} template ${postgres!.templateDatabase}`);
    const ssm = startSsmStandIn();
    const endpoint = await ssm.listen();
    try {
      ssm.parameters.set(
        "/sst/crm-reco/ci/Secret/DATABASE_URL/value",
        `${postgres!.baseUrl}${database}`,
      );
      ssm.parameters.set(
        "/sst/crm-reco/ci/Secret/CRM_RECO_SECRET_KEY/value",
        Buffer.alloc(32, 7).toString("base64"),
      );
      // The function's environment as synthesized; references get the values AWS would give.
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      const resolved = (name: string, value: unknown) =>
        typeof value === "string"
          ? value
          : name.startsWith("QUEUE_URL_")
            ? `https://sqs.eu-west-3.amazonaws.com/123456789012/${name.slice(10).toLowerCase()}`
            : name === "WEB_ORIGIN"
              ? "https://d111111abcdef8.cloudfront.net"
              : `crm-reco-ci-${name.toLowerCase()}`;
      const env: NodeJS.ProcessEnv = {
        ...Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, resolved(k, v)])),
        PATH: process.env.PATH,
        AWS_REGION: "eu-west-3",
        AWS_ACCESS_KEY_ID: SSM_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: SSM_CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: SSM_CREDENTIALS.sessionToken,
        AWS_ENDPOINT_URL_SSM: endpoint,
        NEON_WS_PROXY: neonWsProxy!,
        CRM_RECO_DATA_DIR: join(out, "lambda-tmp"),
        EVENT: JSON.stringify(apiGatewayV2Event("GET", "/health")),
        CONTEXT: JSON.stringify(lambdaContext()),
      };
      expect(env.SST_Secret_value_DATABASE_URL).toBe("__FETCH_FROM_SSM__");
      const main = join(folder, "functions", "src", "handlers", "api.mjs");
      const { code, output } = await run(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `import { registerHooks } from "node:module";
           const loaded = [];
           registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); loaded.push(r.url); return r; } });
           const { handler } = await import(${JSON.stringify(pathToFileURL(main).href)});
           const response = await handler(JSON.parse(process.env.EVENT), JSON.parse(process.env.CONTEXT));
           console.log(JSON.stringify({ response, loaded }));
           process.exit(0); // the Neon pool would keep a finished Lambda alive; AWS freezes it instead`,
        ],
        env,
        folder,
      );
      expect(code, output).toBe(0);
      const result = output.split("\n").find((line) => line.startsWith('{"response"'));
      expect(result, output).toBeDefined();
      const { response, loaded } = JSON.parse(result!) as {
        response: { statusCode: number; body: string };
        loaded: string[];
      };
      expect(response.statusCode, output).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({
        status: "ok",
        database: { ok: true, driver: "neon" },
      });
      expect(ssm.requests.map((r) => r.names)).toEqual([
        [
          "/sst/crm-reco/ci/Secret/DATABASE_URL/value",
          "/sst/crm-reco/ci/Secret/CRM_RECO_SECRET_KEY/value",
        ],
      ]);
      const files = loaded
        .filter((url) => url.startsWith("file:"))
        .map((url) => fileURLToPath(url));
      expect(files.length).toBeGreaterThan(1);
      const unwanted = Object.entries(loadedOnDemandOnly).flatMap(([what, marker]) =>
        files
          .filter((file) => marker.test(readFileSync(file, "utf8")))
          .map((file) => `${what}: ${file}`),
      );
      expect(unwanted).toEqual([]);
    } finally {
      await ssm.close();
      await admin.query(`drop database ${database} with (force)`);
      await admin.end();
    }
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
