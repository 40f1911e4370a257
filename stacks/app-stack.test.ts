import { Match, Template } from "aws-cdk-lib/assertions";
import { App, getStack } from "sst/constructs";
import { initProject } from "sst/project.js";
import { beforeAll, describe, expect, it } from "vitest";
import { AppStack } from "./app-stack.ts";
import { defaultFunctionProps } from "./function-defaults.ts";
import { jobKinds, type JobKind } from "./job-queues.ts";
import {
  actionsOf,
  appFunction,
  appFunctions,
  getAtt,
  type HandlerName,
  handlerNames,
  logicalIdOf,
  type Resource,
  resourcesAllowing,
  roleStatements,
} from "./test/template-queries.ts";

const alarmEmail = "alarms@example.fr";
const workerOf: Record<JobKind, HandlerName> = {
  import: "import-worker",
  sync: "sync-worker",
  regenerate: "regenerate-worker",
  webhook: "webhook-worker",
};

// SST's test mode: the real constructs, bundling and site build, no AWS account or network.
describe("AWS stack", () => {
  let template: Template;
  /** Logical ids, found through the environment the functions are given (their contract). */
  let bucketId: string;
  const queueId = {} as Record<JobKind, string>;
  const deadLetterQueueId = {} as Record<JobKind, string>;
  const resource = (id: string) => template.toJSON().Resources[id] as Resource;

  beforeAll(async () => {
    process.env.NODE_ENV = "test";
    process.env.SST_TELEMETRY_DISABLED = "1";
    process.env.CRM_RECO_ALARM_EMAIL = alarmEmail;
    await initProject({ stage: "test" });
    const app = new App({
      mode: "deploy",
      stage: "test",
      region: "eu-west-3",
      account: "123456789012",
      name: "crm-reco",
    });
    app.setDefaultFunctionProps(defaultFunctionProps);
    app.stack(AppStack);
    await app.finish();
    template = Template.fromStack(getStack(AppStack));

    const env = appFunction(template, "api").Properties.Environment!.Variables;
    bucketId = logicalIdOf(env.UPLOADS_BUCKET);
    for (const kind of jobKinds) {
      queueId[kind] = logicalIdOf(env[`QUEUE_URL_${kind.toUpperCase()}`]);
      const redrive = resource(queueId[kind]).Properties.RedrivePolicy as {
        deadLetterTargetArn: unknown;
      };
      deadLetterQueueId[kind] = logicalIdOf(redrive.deadLetterTargetArn);
    }
  });

  describe("functions", () => {
    it("has exactly one function per handler", () => {
      expect([...appFunctions(template).keys()].sort()).toEqual([...handlerNames].sort());
    });

    it.each(handlerNames)("runs %s on Node 22, arm64, with the whole configuration", (name) => {
      const { Properties: fn } = appFunction(template, name);
      expect(fn.Runtime).toBe("nodejs22.x");
      expect(fn.Architectures).toEqual(["arm64"]);
      expect(fn.MemorySize).toBe(1024);
      const env = fn.Environment!.Variables;
      expect(env).toMatchObject({
        DB_DRIVER: "neon",
        BLOB_STORE: "s3",
        CRM_RECO_QUEUE: "sqs",
        UPLOADS_BUCKET: { Ref: bucketId },
        SST_Secret_value_DATABASE_URL: "__FETCH_FROM_SSM__",
        SST_Secret_value_CRM_RECO_SECRET_KEY: "__FETCH_FROM_SSM__",
      });
      for (const kind of jobKinds)
        expect(env[`QUEUE_URL_${kind.toUpperCase()}`]).toEqual({ Ref: queueId[kind] });
      expect(JSON.stringify(env.WEB_ORIGIN)).toContain("DomainName");
    });

    it.each([
      ["api", 29],
      ["upload-created", 29],
      ["import-worker", 900],
      ["sync-worker", 900],
      ["regenerate-worker", 900],
      ["webhook-worker", 30],
      ["dead-letter", 30],
      ["schedule", 29],
    ] as const)("gives %s a timeout of %i s", (name, seconds) => {
      expect(appFunction(template, name).Properties.Timeout).toBe(seconds);
    });

    it("keeps the secrets out of the template: SST reads them from SSM at start", () => {
      const json = JSON.stringify(template.toJSON());
      expect(json).not.toMatch(/postgres(ql)?:\/\//);
      for (const fn of appFunctions(template).values()) {
        const env = fn.Properties.Environment!.Variables;
        expect(env).not.toHaveProperty("DATABASE_URL");
        expect(env).not.toHaveProperty("CRM_RECO_SECRET_KEY");
      }
      const readable = resourcesAllowing(template, "api", "ssm:GetParameters");
      expect(JSON.stringify(readable)).toContain("/Secret/DATABASE_URL/value");
      expect(JSON.stringify(readable)).toContain("/Secret/CRM_RECO_SECRET_KEY/value");
    });
  });

  describe("HTTP API", () => {
    it("routes GET /health and every /api path to the one api function", () => {
      template.resourceCountIs("AWS::ApiGatewayV2::Api", 1);
      template.hasResourceProperties("AWS::ApiGatewayV2::Api", { ProtocolType: "HTTP" });
      const routes = Object.values(
        template.findResources("AWS::ApiGatewayV2::Route") as Record<string, Resource>,
      ).map((route) => route.Properties.RouteKey);
      expect(routes.sort()).toEqual(["ANY /api/{proxy+}", "GET /health"]);
      const integrations = Object.values(
        template.findResources("AWS::ApiGatewayV2::Integration") as Record<string, Resource>,
      );
      expect(integrations).toHaveLength(2);
      for (const integration of integrations)
        expect(integration.Properties).toMatchObject({
          IntegrationType: "AWS_PROXY",
          PayloadFormatVersion: "2.0",
          IntegrationUri: getAtt(appFunction(template, "api").id),
        });
    });
  });

  describe("uploads bucket", () => {
    it("is private, encrypted, reachable over TLS only, and cleans up after itself", () => {
      expect(resource(bucketId).Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } },
          ],
        },
        LifecycleConfiguration: {
          Rules: expect.arrayContaining([
            expect.objectContaining({
              Prefix: "uploads/",
              ExpirationInDays: 90,
              Status: "Enabled",
            }),
            expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
          ]),
        },
      });
      template.hasResourceProperties("AWS::S3::BucketPolicy", {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Deny",
              Action: "s3:*",
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            }),
          ]),
        },
      });
    });

    it("lets browsers PUT presigned uploads with a content type, and nothing else", () => {
      expect(resource(bucketId).Properties.CorsConfiguration).toEqual({
        CorsRules: [
          {
            AllowedMethods: ["PUT"],
            AllowedOrigins: ["*"],
            AllowedHeaders: ["content-type"],
            MaxAge: 3600,
          },
        ],
      });
    });

    it("tells upload-created about objects created under uploads/ only", () => {
      const uploadCreated = appFunction(template, "upload-created").id;
      template.hasResourceProperties("Custom::S3BucketNotifications", {
        BucketName: { Ref: bucketId },
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            {
              Events: ["s3:ObjectCreated:*"],
              Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "uploads/" }] } },
              LambdaFunctionArn: getAtt(uploadCreated),
            },
          ],
        },
      });
      template.hasResourceProperties("AWS::Lambda::Permission", {
        Action: "lambda:InvokeFunction",
        FunctionName: getAtt(uploadCreated),
        Principal: "s3.amazonaws.com",
        SourceArn: getAtt(bucketId),
      });
    });
  });

  describe("job queues", () => {
    it.each(jobKinds)("%s: consumed by its worker, one failed message at a time", (kind) => {
      const batchSize = kind === "webhook" ? 10 : 1;
      template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
        EventSourceArn: getAtt(queueId[kind]),
        FunctionName: { Ref: appFunction(template, workerOf[kind]).id },
        BatchSize: batchSize,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      });
    });

    it.each(jobKinds)(
      "%s: hidden longer than its worker runs, dead-lettered after 5 deliveries",
      (kind) => {
        const queue = resource(queueId[kind]).Properties;
        const timeout = appFunction(template, workerOf[kind]).Properties.Timeout as number;
        expect(queue.VisibilityTimeout).toBeGreaterThan(timeout);
        expect(queue.RedrivePolicy).toEqual({
          deadLetterTargetArn: getAtt(deadLetterQueueId[kind]),
          maxReceiveCount: 5,
        });
      },
    );

    it.each(jobKinds)("%s: its dead letters are kept 14 days and recorded as dead jobs", (kind) => {
      const deadLetters = resource(deadLetterQueueId[kind]).Properties;
      expect(deadLetters.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      expect(deadLetters.VisibilityTimeout).toBeGreaterThan(
        appFunction(template, "dead-letter").Properties.Timeout as number,
      );
      template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
        EventSourceArn: getAtt(deadLetterQueueId[kind]),
        FunctionName: { Ref: appFunction(template, "dead-letter").id },
        BatchSize: 10,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      });
    });

    it("has no other queue and no other event source", () => {
      template.resourceCountIs("AWS::SQS::Queue", 8);
      template.resourceCountIs("AWS::Lambda::EventSourceMapping", 8);
    });
  });

  it("looks for due syncs every 5 minutes with the schedule function", () => {
    const schedule = appFunction(template, "schedule").id;
    template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(5 minutes)",
      State: "ENABLED",
      Targets: [Match.objectLike({ Arn: getAtt(schedule) })],
    });
    template.hasResourceProperties("AWS::Lambda::Permission", {
      FunctionName: getAtt(schedule),
      Principal: "events.amazonaws.com",
    });
  });

  describe("least privilege", () => {
    const sends: Record<HandlerName, JobKind[]> = {
      api: ["import", "sync", "regenerate", "webhook"],
      "upload-created": ["import"],
      "import-worker": ["import", "regenerate", "webhook"],
      "sync-worker": ["regenerate", "webhook"],
      "regenerate-worker": ["webhook"],
      "webhook-worker": [],
      "dead-letter": [],
      schedule: ["sync", "regenerate"],
    };
    it.each(handlerNames)("%s sends jobs to its queues only", (name) => {
      const queues = resourcesAllowing(template, name, "sqs:SendMessage");
      expect(queues).toHaveLength(sends[name].length);
      expect(queues).toEqual(
        expect.arrayContaining(sends[name].map((kind) => getAtt(queueId[kind]))),
      );
    });

    it.each(handlerNames)("%s consumes its own queues only", (name) => {
      const consumed = resourcesAllowing(template, name, "sqs:ReceiveMessage");
      const expected =
        name === "dead-letter"
          ? jobKinds.map((kind) => getAtt(deadLetterQueueId[kind]))
          : jobKinds.filter((kind) => workerOf[kind] === name).map((kind) => getAtt(queueId[kind]));
      expect(consumed).toHaveLength(expected.length);
      expect(consumed).toEqual(expect.arrayContaining(expected));
    });

    const bucketObjects = () => ({ "Fn::Join": ["", [getAtt(bucketId), "/*"]] });
    it.each(["api", "upload-created", "import-worker"] as const)(
      "%s reads objects of the uploads bucket only",
      (name) => {
        expect(resourcesAllowing(template, name, "s3:GetObject*")).toEqual([
          getAtt(bucketId),
          bucketObjects(),
        ]);
      },
    );

    it("lets only the api put objects (presigned uploads), and nobody delete them", () => {
      expect(resourcesAllowing(template, "api", "s3:PutObject")).toEqual([bucketObjects()]);
      for (const name of handlerNames) {
        const s3Actions = roleStatements(template, name).flatMap(actionsOf);
        if (name !== "api") expect(s3Actions).not.toContain("s3:PutObject");
        expect(s3Actions.filter((action) => /^s3:(\*|Delete)/.test(action))).toEqual([]);
      }
    });

    it.each([
      "sync-worker",
      "regenerate-worker",
      "webhook-worker",
      "dead-letter",
      "schedule",
    ] as const)("%s has no access to S3", (name) => {
      const s3Actions = roleStatements(template, name)
        .flatMap(actionsOf)
        .filter((action) => action.startsWith("s3:"));
      expect(s3Actions).toEqual([]);
    });

    it("grants no SQS, S3 or SSM action on every resource", () => {
      for (const name of handlerNames)
        for (const statement of roleStatements(template, name))
          if (statement.Resource === "*")
            expect(actionsOf(statement).filter((a) => /^(sqs|s3|ssm):/.test(a))).toEqual([]);
    });
  });

  describe("CloudFront", () => {
    const distribution = () =>
      Object.values(
        template.findResources("AWS::CloudFront::Distribution") as Record<string, Resource>,
      )[0]!.Properties.DistributionConfig as {
        DefaultCacheBehavior: { ResponseHeadersPolicyId: unknown };
        CacheBehaviors: Array<{
          PathPattern: string;
          CachePolicyId: string;
          AllowedMethods: string[];
          ResponseHeadersPolicyId: unknown;
        }>;
      };

    it("forwards /api/* and /health to the API uncached", () => {
      const behaviors = distribution().CacheBehaviors;
      expect(behaviors.map((b) => b.PathPattern).sort()).toEqual(["/api/*", "/health"]);
      for (const behavior of behaviors) {
        expect(behavior.CachePolicyId).toBe("4135ea2d-6df8-44a3-9df3-4b5a84be39ad"); // Managed-CachingDisabled
        expect(behavior.AllowedMethods).toContain("POST");
      }
    });

    it("sends the app's security headers on every response, with the bucket in connect-src", () => {
      const policies = template.findResources("AWS::CloudFront::ResponseHeadersPolicy");
      const [policyId] = Object.keys(policies);
      expect(Object.keys(policies)).toHaveLength(1);
      template.hasResourceProperties("AWS::CloudFront::ResponseHeadersPolicy", {
        ResponseHeadersPolicyConfig: {
          SecurityHeadersConfig: {
            ContentSecurityPolicy: {
              Override: true,
              ContentSecurityPolicy: {
                "Fn::Join": [
                  "",
                  [
                    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' https://",
                    getAtt(bucketId, "RegionalDomainName"),
                    "; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
                  ],
                ],
              },
            },
            StrictTransportSecurity: {
              AccessControlMaxAgeSec: 31_536_000,
              IncludeSubdomains: true,
              Override: true,
            },
            FrameOptions: { FrameOption: "DENY", Override: true },
            ContentTypeOptions: { Override: true },
            ReferrerPolicy: { ReferrerPolicy: "strict-origin-when-cross-origin", Override: true },
          },
        },
      });
      const { DefaultCacheBehavior, CacheBehaviors } = distribution();
      for (const behavior of [DefaultCacheBehavior, ...CacheBehaviors])
        expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    });
  });

  describe("alarms", () => {
    const alarms = () =>
      Object.values(template.findResources("AWS::CloudWatch::Alarm") as Record<string, Resource>);

    it.each(handlerNames)("alarms on any error of %s within 5 minutes", (name) => {
      const mine = alarms().filter(
        (alarm) =>
          alarm.Properties.MetricName === "Errors" &&
          JSON.stringify(alarm.Properties.Dimensions) ===
            JSON.stringify([
              { Name: "FunctionName", Value: { Ref: appFunction(template, name).id } },
            ]),
      );
      expect(mine).toHaveLength(1);
      expect(mine[0]!.Properties).toMatchObject({
        Namespace: "AWS/Lambda",
        Statistic: "Sum",
        Period: 300,
        Threshold: 0,
        ComparisonOperator: "GreaterThanThreshold",
        TreatMissingData: "notBreaching",
      });
    });

    it.each(jobKinds)("alarms when a %s dead letter stays in its queue", (kind) => {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Namespace: "AWS/SQS",
        MetricName: "ApproximateNumberOfMessagesVisible",
        Dimensions: [{ Name: "QueueName", Value: getAtt(deadLetterQueueId[kind], "QueueName") }],
        Threshold: 0,
        ComparisonOperator: "GreaterThanThreshold",
      });
    });

    it("sends every alarm to one topic, mailed to the address given at deploy time", () => {
      const [topicId] = Object.keys(template.findResources("AWS::SNS::Topic"));
      expect(alarms()).toHaveLength(handlerNames.length + jobKinds.length);
      for (const alarm of alarms())
        expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      template.hasResourceProperties("AWS::SNS::Subscription", {
        Protocol: "email",
        Endpoint: alarmEmail,
        TopicArn: { Ref: topicId },
      });
    });
  });

  it("outputs the API and site URLs and the bucket name", () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.ApiUrl!.Value).toEqual(
      getAtt(Object.keys(template.findResources("AWS::ApiGatewayV2::Api"))[0]!, "ApiEndpoint"),
    );
    expect(JSON.stringify(outputs.SiteUrl!.Value)).toContain("DomainName");
    expect(outputs.UploadsBucket!.Value).toEqual({ Ref: bucketId });
  });
});
