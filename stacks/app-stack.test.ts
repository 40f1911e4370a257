import { Match, Template } from "aws-cdk-lib/assertions";
import { App, getStack } from "sst/constructs";
import { initProject } from "sst/project.js";
import { beforeAll, describe, expect, it } from "vitest";
import { AppStack } from "./app-stack.ts";

// SST's test mode: the real constructs, bundling and site build, no AWS account or network.
describe("AWS stack", () => {
  let template: Template;

  beforeAll(async () => {
    process.env.NODE_ENV = "test";
    process.env.SST_TELEMETRY_DISABLED = "1";
    await initProject({ stage: "test" });
    const app = new App({
      mode: "deploy",
      stage: "test",
      region: "eu-west-3",
      account: "123456789012",
      name: "crm-reco",
    });
    app.setDefaultFunctionProps({ runtime: "nodejs22.x", architecture: "arm_64" });
    app.stack(AppStack);
    await app.finish();
    template = Template.fromStack(getStack(AppStack));
  });

  it("runs the api handler on Node 22, arm64", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      Runtime: "nodejs22.x",
      Architectures: ["arm64"],
      Handler: Match.stringLikeRegexp("api\\.handler$"),
      Environment: { Variables: Match.objectLike({ DB_DRIVER: "neon" }) },
    });
  });

  it("routes GET /health and every /api path to that handler through an HTTP API", () => {
    template.resourceCountIs("AWS::ApiGatewayV2::Api", 1);
    template.hasResourceProperties("AWS::ApiGatewayV2::Api", { ProtocolType: "HTTP" });
    const routes = Object.values(template.findResources("AWS::ApiGatewayV2::Route")).map(
      (route) => route.Properties.RouteKey,
    );
    expect(routes.sort()).toEqual(["ANY /api/{proxy+}", "GET /health"]);
    template.hasResourceProperties("AWS::ApiGatewayV2::Integration", {
      IntegrationType: "AWS_PROXY",
      PayloadFormatVersion: "2.0",
    });
  });

  it("binds the DATABASE_URL secret to the function without putting its value in the template", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({ SST_Secret_value_DATABASE_URL: "__FETCH_FROM_SSM__" }),
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/postgres(ql)?:\/\//);
  });

  it("serves the site from CloudFront, forwarding /api/* and /health to the API uncached", () => {
    const distribution = Object.values(template.findResources("AWS::CloudFront::Distribution"))[0]!;
    const behaviors = distribution.Properties.DistributionConfig.CacheBehaviors as Array<{
      PathPattern: string;
      CachePolicyId: string;
      AllowedMethods: string[];
    }>;
    expect(behaviors.map((b) => b.PathPattern).sort()).toEqual(["/api/*", "/health"]);
    for (const behavior of behaviors) {
      expect(behavior.CachePolicyId).toBe("4135ea2d-6df8-44a3-9df3-4b5a84be39ad"); // Managed-CachingDisabled
      expect(behavior.AllowedMethods).toContain("POST");
    }
  });
});
