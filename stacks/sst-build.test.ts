import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { startAwsBootstrapStub } from "./test/aws-bootstrap-stub.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = mkdtempSync(join(tmpdir(), "crm-reco-sst-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// The real `sst build`, as a deploy would run it, with its AWS calls answered on loopback.
it("synthesizes the whole app with the real `sst build`, offline", async () => {
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
    const templateFile = readdirSync(out).find((file) => file.endsWith(".template.json"));
    expect(templateFile, `no template in ${readdirSync(out).join(", ")}`).toBeDefined();
    const template = JSON.parse(readFileSync(join(out, templateFile!), "utf8")) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const types = Object.values(template.Resources).map((resource) => resource.Type);
    expect(types).toEqual(
      expect.arrayContaining([
        "AWS::ApiGatewayV2::Api",
        "AWS::Lambda::Function",
        "AWS::CloudFront::Distribution",
      ]),
    );
    expect(
      Object.values(template.Resources).some(
        (r) => r.Type === "AWS::Lambda::Function" && r.Properties.Runtime === "nodejs22.x",
      ),
    ).toBe(true);
  } finally {
    await stub.close();
  }
});

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
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
