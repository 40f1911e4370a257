import { Fn } from "aws-cdk-lib";
import {
  AllowedMethods,
  CachePolicy,
  OriginRequestPolicy,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { Api, Config, StaticSite, type StackContext } from "sst/constructs";

/**
 * The serverless target: API Gateway HTTP API → the api Lambda (the same app the VPS serves),
 * and the SolidJS site on CloudFront, which also forwards /api/* and /health to the API so the
 * browser talks to one origin.
 */
export function AppStack({ stack }: StackContext) {
  const databaseUrl = new Config.Secret(stack, "DATABASE_URL");

  const api = new Api(stack, "Api", {
    defaults: {
      function: {
        bind: [databaseUrl],
        environment: {
          DB_DRIVER: "neon",
          CRM_RECO_DATA_DIR: "/tmp/crm-reco",
          NODE_OPTIONS: "--enable-source-maps",
        },
      },
    },
    routes: {
      "GET /health": "functions/src/handlers/api.handler",
      "ANY /api/{proxy+}": "functions/src/handlers/api.handler",
    },
  });

  const apiOrigin = new HttpOrigin(Fn.select(2, Fn.split("/", api.url)));
  const apiBehavior = {
    origin: apiOrigin,
    viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    allowedMethods: AllowedMethods.ALLOW_ALL,
    cachePolicy: CachePolicy.CACHING_DISABLED,
    originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
  };

  const site = new StaticSite(stack, "Web", {
    path: "web",
    // Its own output folder, so a deploy build never races the VPS adapter's web/dist.
    buildCommand: "npm run build -- --outDir dist-aws",
    buildOutput: "dist-aws",
    errorPage: "redirect_to_index_page",
    cdk: {
      distribution: { additionalBehaviors: { "/api/*": apiBehavior, "/health": apiBehavior } },
    },
  });

  stack.addOutputs({ ApiUrl: api.url, SiteUrl: site.url ?? "" });
  return { api, site };
}
