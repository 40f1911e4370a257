import { Fn } from "aws-cdk-lib";
import {
  AllowedMethods,
  CachePolicy,
  OriginRequestPolicy,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { EventType } from "aws-cdk-lib/aws-s3";
import { LambdaDestination } from "aws-cdk-lib/aws-s3-notifications";
import {
  Api,
  Config,
  Function as SstFunction,
  type FunctionProps,
  StaticSite,
  type StackContext,
} from "sst/constructs";
import { alarmOnDeadLetters, alarmOnErrors, createAlarmTopic, notify } from "./alarms.ts";
import {
  createJobQueue,
  deadLetterSettings,
  type JobKind,
  type JobQueue,
  jobKinds,
  jobSettings,
} from "./job-queues.ts";
import { createSiteHeadersPolicy } from "./site-headers.ts";
import { createUploadsBucket, uploadsPrefix } from "./uploads-bucket.ts";

/** How often due Odoo syncs are looked for (each source has its own schedule within that). */
export const syncScheduleExpression = "rate(5 minutes)";

/**
 * The serverless target. API Gateway HTTP API → the api Lambda (the same app the VPS serves);
 * browsers upload files straight to S3, whose notifications start imports; one SQS queue per
 * kind of job, each drained by its worker and backed by a dead-letter queue; EventBridge looks
 * for due syncs; the SolidJS site is on CloudFront, which also forwards /api/* and /health to
 * the API so the browser talks to one origin. Each function gets only the queues and bucket
 * access its work needs.
 */
export function AppStack({ stack }: StackContext) {
  const databaseUrl = new Config.Secret(stack, "DATABASE_URL");
  const secretKey = new Config.Secret(stack, "CRM_RECO_SECRET_KEY");
  const uploads = createUploadsBucket(stack, "Uploads");
  const queues = Object.fromEntries(
    jobKinds.map((kind) => [kind, createJobQueue(stack, `${capitalize(kind)}Queue`, kind)]),
  ) as Record<JobKind, JobQueue>;

  // Every function reads the same configuration, whatever part of it its work uses.
  const common: FunctionProps = {
    bind: [databaseUrl, secretKey],
    environment: {
      DB_DRIVER: "neon",
      BLOB_STORE: "s3",
      UPLOADS_BUCKET: uploads.bucketName,
      CRM_RECO_QUEUE: "sqs",
      ...Object.fromEntries(
        jobKinds.map((kind) => [`QUEUE_URL_${kind.toUpperCase()}`, queues[kind].queue.queueUrl]),
      ),
      // The only writable folder on Lambda.
      CRM_RECO_DATA_DIR: "/tmp/crm-reco",
    },
  };
  const lambda = (id: string, handler: string, props: FunctionProps = {}) =>
    new SstFunction(stack, id, {
      ...common,
      ...props,
      handler: `functions/src/handlers/${handler}.handler`,
    });
  const sendTo = (fn: SstFunction, kinds: JobKind[]) =>
    kinds.forEach((kind) => queues[kind].queue.grantSendMessages(fn));

  // The API presigns upload PUTs, reads files for previews, and sends every kind of job.
  const apiFunction = lambda("ApiFunction", "api");
  uploads.grantRead(apiFunction);
  uploads.grantPut(apiFunction);
  sendTo(apiFunction, [...jobKinds]);

  const uploadCreated = lambda("UploadCreated", "upload-created");
  uploads.grantRead(uploadCreated);
  sendTo(uploadCreated, ["import"]);
  uploads.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(uploadCreated), {
    prefix: uploadsPrefix,
  });

  const workers: Record<JobKind, SstFunction> = {
    import: lambda("ImportWorker", "import-worker", workerProps("import")),
    sync: lambda("SyncWorker", "sync-worker", workerProps("sync")),
    regenerate: lambda("RegenerateWorker", "regenerate-worker", workerProps("regenerate")),
    webhook: lambda("WebhookWorker", "webhook-worker", workerProps("webhook")),
  };
  uploads.grantRead(workers.import);
  // A long import queues its own continuation before its timeout (see handlers/queue-worker.ts).
  sendTo(workers.import, ["import", "regenerate", "webhook"]);
  sendTo(workers.sync, ["regenerate", "webhook"]);
  sendTo(workers.regenerate, ["webhook"]);
  for (const kind of jobKinds) {
    workers[kind].addEventSource(
      new SqsEventSource(queues[kind].queue, {
        batchSize: jobSettings[kind].batchSize,
        reportBatchItemFailures: true,
      }),
    );
  }

  const deadLetter = lambda("DeadLetter", "dead-letter", {
    timeout: deadLetterSettings.functionTimeoutSeconds,
  });
  for (const kind of jobKinds) {
    deadLetter.addEventSource(
      new SqsEventSource(queues[kind].deadLetterQueue, {
        batchSize: deadLetterSettings.batchSize,
        reportBatchItemFailures: true,
      }),
    );
  }

  const schedule = lambda("Schedule", "schedule");
  sendTo(schedule, ["sync", "regenerate"]);
  new Rule(stack, "SyncSchedule", {
    description: "Looks for Odoo sources whose sync is due",
    schedule: Schedule.expression(syncScheduleExpression),
    targets: [new LambdaFunction(schedule)],
  });

  const api = new Api(stack, "Api", {
    routes: { "GET /health": apiFunction, "ANY /api/{proxy+}": apiFunction },
  });

  const headersPolicy = createSiteHeadersPolicy(stack, "SiteHeaders", uploads);
  const apiBehavior = {
    origin: new HttpOrigin(Fn.select(2, Fn.split("/", api.url))),
    viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    allowedMethods: AllowedMethods.ALLOW_ALL,
    cachePolicy: CachePolicy.CACHING_DISABLED,
    originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    responseHeadersPolicy: headersPolicy,
  };
  const site = new StaticSite(stack, "Web", {
    path: "web",
    // Its own output folder, so a deploy build never races the VPS adapter's web/dist.
    buildCommand: "npm run build -- --outDir dist-aws",
    buildOutput: "dist-aws",
    errorPage: "redirect_to_index_page",
    cdk: {
      distribution: {
        defaultBehavior: { responseHeadersPolicy: headersPolicy },
        additionalBehaviors: { "/api/*": apiBehavior, "/health": apiBehavior },
      },
    },
  });

  const allFunctions: Record<string, SstFunction> = {
    Api: apiFunction,
    UploadCreated: uploadCreated,
    ImportWorker: workers.import,
    SyncWorker: workers.sync,
    RegenerateWorker: workers.regenerate,
    WebhookWorker: workers.webhook,
    DeadLetter: deadLetter,
    Schedule: schedule,
  };
  // Links the functions build (e-mails, webhooks) point at the site.
  const siteUrl = site.url;
  if (siteUrl)
    Object.values(allFunctions).forEach((fn) => fn.addEnvironment("WEB_ORIGIN", siteUrl));

  // An address given at deploy time gets the alarms by e-mail (see docs/deploy-aws.md).
  const alarmTopic = createAlarmTopic(stack, "Alarms", process.env.CRM_RECO_ALARM_EMAIL);
  const alarmAction = notify(alarmTopic);
  for (const [name, fn] of Object.entries(allFunctions))
    alarmOnErrors(stack, `${name}Errors`, fn, alarmAction);
  for (const kind of jobKinds) {
    const id = `${capitalize(kind)}DeadLetters`;
    alarmOnDeadLetters(stack, id, queues[kind].deadLetterQueue, alarmAction);
  }

  stack.addOutputs({
    ApiUrl: api.url,
    SiteUrl: site.url ?? "",
    UploadsBucket: uploads.bucketName,
    AlarmTopic: alarmTopic.topicArn,
  });
  return { api, site, uploads, queues };
}

/** The worker's timeout from its job settings (its queue's visibility timeout is set above it). */
function workerProps(kind: JobKind): FunctionProps {
  return { timeout: jobSettings[kind].functionTimeoutSeconds };
}

const capitalize = (word: string) => word[0]!.toUpperCase() + word.slice(1);
