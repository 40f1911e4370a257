import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import {
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { JobKind } from "@crm-reco/core";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsEmulator, startAwsEmulator } from "../../test/aws-emulator.ts";
import { s3ObjectCreated, sqsEvent } from "../../test/aws-events.ts";
import { availableDrivers, openTestDatabase } from "../../test/databases.ts";
import { cp1252 } from "../../test/import-fixtures.ts";
import { fixedClock } from "../../test/services.ts";
import { createS3BlobStore } from "../adapters/blob/s3.ts";
import { createS3DirectUploads } from "../adapters/blob/s3-direct-uploads.ts";
import { queryRows } from "../adapters/db/database.ts";
import { createSqsQueue } from "../adapters/queue/sqs.ts";
import { getJob } from "../jobs/job-records.ts";
import { retryJob } from "../jobs/retry-job.ts";
import { createServices } from "../composition.ts";
import { loadConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { createSource } from "../repos/sources.ts";
import { ensureTenant } from "../repos/tenants.ts";
import type { Services } from "../services.ts";
import { createDeadLetterHandler } from "./dead-letter.ts";
import { createQueueWorker } from "./queue-worker.ts";
import { createScheduleHandler } from "./schedule.ts";
import { createUploadCreatedHandler } from "./upload-created.ts";

// The AWS path end to end, offline: real SDK clients against S3 and SQS on loopback, the exact
// event shapes Lambda delivers, and the data landing in PostgreSQL through the Neon driver.
const driver = availableDrivers.includes("neon") ? "neon" : "pglite";
const kinds: JobKind[] = ["import", "sync", "regenerate", "webhook"];

describe(`AWS handlers against S3 and SQS on loopback [${driver}]`, () => {
  let aws: AwsEmulator;
  let sqs: SQSClient;
  let services: Services & { close(): Promise<void> };
  const queueUrls = {} as Record<JobKind, string>;
  const deadUrls = {} as Record<JobKind, string>;
  const bucket = "crm-reco-uploads";

  beforeAll(async () => {
    aws = await startAwsEmulator();
    sqs = aws.sqs();
    aws.server.createBucket(bucket);
    for (const kind of kinds) {
      const dead = aws.server.createQueue(`${kind}-dlq`);
      deadUrls[kind] = dead.queueUrl;
      queueUrls[kind] = aws.server.createQueue(kind, {
        attributes: {
          VisibilityTimeout: "1",
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dead.queueArn,
            maxReceiveCount: "2",
          }),
        },
      }).queueUrl;
    }
    const db = await openTestDatabase(driver);
    services = {
      db,
      blobs: createS3BlobStore(aws.s3(), bucket),
      queue: createSqsQueue({ client: sqs, queueUrls }),
      clock: fixedClock(),
      log: createLogger("silent"),
      version: "0.0.0-test",
      secretKey: new Uint8Array(randomBytes(32)),
      close: () => db.close(),
    };
  }, 60_000);
  afterAll(async () => {
    await services?.close();
    await aws?.stop();
  });

  const ready = async () => services;
  const uploadCreated = createUploadCreatedHandler(ready);
  const importWorker = createQueueWorker("import", ready);
  const deadLetter = createDeadLetterHandler(ready);

  async function receive(url: string, waitSeconds = 0): Promise<Message[]> {
    const answer = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ["All"],
      }),
    );
    return answer.Messages ?? [];
  }
  const remove = (url: string, messages: Message[]) =>
    Promise.all(
      messages.map((m) =>
        sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle })),
      ),
    );

  async function estate() {
    const tenant = await ensureTenant(services.db.db, {
      slug: `t-${randomUUID()}`,
      name: "Domaine",
    });
    const source = await createSource(services.db.db, tenant.id, {
      name: "iSaVigne",
      kind: "file",
    });
    return { tenantId: tenant.id, sourceId: source.id };
  }

  it("imports a French CSV put in the bucket: S3 event → import queue → worker → PostgreSQL, once", async () => {
    const { tenantId, sourceId } = await estate();
    const csv = cp1252(
      "N° client;Nom;Prénom;E-mail;CP;Ville\r\nC1;Lefèvre;Zoé;zoe@exemple.fr;68000;Colmar\r\nC2;Müller;Hélène;helene@exemple.fr;67000;Strasbourg\r\n",
    );
    const key = `uploads/${tenantId}/${sourceId}/customers/${randomUUID()}/clients été 2026.csv`;
    const put = await aws
      .s3()
      .send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: csv, ContentType: "text/csv" }));
    const event = s3ObjectCreated(bucket, [
      { key, size: csv.length, etag: put.ETag!.replaceAll('"', "") },
    ]);
    expect(event.Records[0]!.s3.object.key).toContain("clients+%C3%A9t%C3%A9+2026.csv");

    const first = await uploadCreated(event);
    const again = await uploadCreated(event); // S3 delivers at least once
    expect(first.enqueued).toHaveLength(1);
    expect(again.enqueued).toEqual(first.enqueued);
    const messages = await receive(queueUrls.import);
    expect(messages).toHaveLength(1);

    const result = await importWorker(sqsEvent("import", messages));
    expect(result).toEqual({ batchItemFailures: [] });
    await remove(queueUrls.import, messages);
    const job = await getJob(services.db.db, tenantId, first.enqueued[0]!);
    expect(job).toMatchObject({ status: "succeeded", result: { rowsRead: 2, rowsInserted: 2 } });
    const people = await queryRows<{ last_name: string; first_name: string; city: string }>(
      services.db.db,
      sql`select last_name, first_name, city from customers where tenant_id = ${tenantId}::uuid order by last_name`,
    );
    expect(people).toEqual([
      { last_name: "Lefèvre", first_name: "Zoé", city: "Colmar" },
      { last_name: "Müller", first_name: "Hélène", city: "Strasbourg" },
    ]);

    // The same message delivered again (SQS is at-least-once) does nothing twice.
    expect(await importWorker(sqsEvent("import", messages))).toEqual({ batchItemFailures: [] });
    const runs = await queryRows<{ n: number }>(
      services.db.db,
      sql`select count(*)::int as n from sync_runs where tenant_id = ${tenantId}::uuid`,
    );
    expect(runs).toEqual([{ n: 1 }]);
    expect((await getJob(services.db.db, tenantId, job.id)).attempts).toBe(1);
  });

  it("splits a large import over several invocations near their timeout, ending complete", async () => {
    const { tenantId, sourceId } = await estate();
    const rows = Array.from({ length: 11_000 }, (_, i) => `C${i};Nom${i};client${i}@exemple.fr`);
    const body = new TextEncoder().encode(`N° client;Nom;E-mail\r\n${rows.join("\r\n")}\r\n`);
    const key = `uploads/${tenantId}/${sourceId}/customers/${randomUUID()}/gros fichier.csv`;
    const put = await aws.s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    const {
      enqueued: [jobId],
    } = await uploadCreated(s3ObjectCreated(bucket, [{ key, size: body.length, etag: put.ETag! }]));
    // A function with a minute left: each invocation commits one batch and queues the rest.
    const nearTimeout = { getRemainingTimeInMillis: () => 60_000 };
    const statuses: string[] = [];
    for (let invocations = 0; invocations < 10; invocations++) {
      const messages = await receive(queueUrls.import, 1);
      if (messages.length === 0) break;
      expect(await importWorker(sqsEvent("import", messages), nearTimeout)).toEqual({
        batchItemFailures: [],
      });
      await remove(queueUrls.import, messages);
      statuses.push((await getJob(services.db.db, tenantId, jobId!)).status);
    }
    expect(statuses).toEqual(["queued", "queued", "succeeded"]); // batches of 5,000: 5,000 + 5,000 + 1,000
    const [{ n }] = (await queryRows<{ n: number }>(
      services.db.db,
      sql`select count(*)::int as n from customers where tenant_id = ${tenantId}::uuid`,
    )) as [{ n: number }];
    expect(n).toBe(11_000);
    const runs = await queryRows<{ status: string; rows_read: number }>(
      services.db.db,
      sql`select status, rows_read from sync_runs where tenant_id = ${tenantId}::uuid`,
    );
    expect(runs).toEqual([{ status: "succeeded", rows_read: 11_000 }]);
  });

  it("presigns a browser PUT bound to the key, type and size, whose object then starts the import", async () => {
    const { tenantId, sourceId } = await estate();
    const uploads = createS3DirectUploads(aws.s3Config, bucket);
    const bytes = new TextEncoder().encode("N° client;Nom\r\nP1;Presigné\r\n");
    const key = `uploads/${tenantId}/${sourceId}/customers/${randomUUID()}/navigateur.csv`;
    const put = await uploads.presignPut(key, "text/csv", bytes.length);
    const url = new URL(put.url);
    expect(url.searchParams.get("X-Amz-Expires")).toBe("900");
    expect(url.searchParams.get("X-Amz-SignedHeaders")).toBe("content-length;content-type;host");
    // No checksum of an empty body signed in: S3 would refuse the real file.
    expect([...url.searchParams.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
    const response = await fetch(put.url, { method: "PUT", headers: put.headers, body: bytes });
    expect(response.status).toBe(200);
    const stored = await services.blobs.head(key);
    expect(stored).toMatchObject({ sizeBytes: bytes.length });
    const { enqueued } = await uploadCreated(
      s3ObjectCreated(bucket, [{ key, size: bytes.length, etag: stored!.etag }]),
    );
    expect(enqueued).toHaveLength(1);
    await remove(queueUrls.import, await receive(queueUrls.import, 1));
  });

  it("ignores objects outside the upload layout, and several records in one event make several jobs", async () => {
    const { tenantId, sourceId } = await estate();
    const keys = ["products", "order_lines"].map(
      (entity) => `uploads/${tenantId}/${sourceId}/${entity}/${randomUUID()}/export.csv`,
    );
    const result = await uploadCreated(
      s3ObjectCreated(bucket, [
        { key: keys[0]!, size: 10, etag: "a1" },
        { key: keys[1]!, size: 10, etag: "b2" },
        { key: "exports/mailing.csv", size: 10, etag: "c3" },
      ]),
    );
    expect(result.enqueued).toHaveLength(2);
    expect(result.ignored).toEqual(["exports/mailing.csv"]);
    await remove(queueUrls.import, await receive(queueUrls.import));
  });

  it("reports only the failing message, retries it, dead-letters it, records it dead, and it can be retried", async () => {
    const { tenantId, sourceId } = await estate();
    const good = `uploads/${tenantId}/${sourceId}/customers/${randomUUID()}/ok.csv`;
    const body = new TextEncoder().encode("N° client;Nom\r\nC9;Petit\r\n");
    const put = await aws
      .s3()
      .send(new PutObjectCommand({ Bucket: bucket, Key: good, Body: body }));
    // Its source is deleted once the job is queued: the worker cannot record a run for it.
    const doomed = await createSource(services.db.db, tenantId, {
      name: "Ancien export",
      kind: "file",
    });
    const poison = `uploads/${tenantId}/${doomed.id}/customers/${randomUUID()}/ok.csv`;
    await aws.s3().send(new PutObjectCommand({ Bucket: bucket, Key: poison, Body: body }));
    const { enqueued } = await uploadCreated(
      s3ObjectCreated(bucket, [
        { key: good, size: body.length, etag: put.ETag!.replaceAll('"', "") },
        { key: poison, size: body.length, etag: put.ETag!.replaceAll('"', "") },
      ]),
    );
    await services.db.db.execute(sql`delete from sources where id = ${doomed.id}::uuid`);
    const poisonJob = enqueued[1]!;
    let messages: Message[] = [];
    for (let tries = 0; tries < 10 && messages.length < 2; tries++)
      messages = [...messages, ...(await receive(queueUrls.import, 1))];
    const result = await importWorker(sqsEvent("import", messages));
    const poisonMessage = messages.find((m) => m.Body!.includes(poisonJob))!;
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: poisonMessage.MessageId }]);
    await remove(
      queueUrls.import,
      messages.filter((m) => m !== poisonMessage),
    );
    expect((await getJob(services.db.db, tenantId, poisonJob)).status).toBe("failed");

    // Not deleted: SQS shows it again after its visibility timeout, then moves it to the DLQ.
    let redelivered: Message[] = [];
    for (let tries = 0; tries < 10 && redelivered.length === 0; tries++)
      redelivered = await receive(queueUrls.import, 2);
    expect(redelivered[0]!.Attributes!.ApproximateReceiveCount).toBe("2");
    expect((await importWorker(sqsEvent("import", redelivered))).batchItemFailures).toHaveLength(1);
    let dead: Message[] = [];
    for (let tries = 0; tries < 10 && dead.length === 0; tries++) {
      await receive(queueUrls.import, 2); // the receive that finds it over its limit moves it
      dead = await receive(deadUrls.import, 1);
    }
    expect(dead).toHaveLength(1);
    expect(await deadLetter(sqsEvent("import-dlq", dead))).toEqual({ batchItemFailures: [] });
    const recorded = await getJob(services.db.db, tenantId, poisonJob);
    expect(recorded).toMatchObject({ status: "dead", errorCode: "internal" });

    const again = await retryJob(services, tenantId, poisonJob);
    expect(again.status).toBe("queued");
    const requeued = await receive(queueUrls.import, 1);
    expect(requeued.map((m) => JSON.parse(m.Body!).id)).toEqual([poisonJob]);
    await remove(queueUrls.import, requeued);
    await expect(retryJob(services, tenantId, enqueued[0]!)).rejects.toMatchObject({
      code: "job.conflict",
    });
  });

  it("runs the EventBridge tick: regeneration once imports have gone quiet, once per change", async () => {
    const schedule = createScheduleHandler(ready);
    const event = (time: Date) => ({
      version: "0",
      id: randomUUID(),
      "detail-type": "Scheduled Event" as const,
      source: "aws.events" as const,
      account: "123456789012",
      time: time.toISOString(),
      region: "eu-west-3",
      resources: ["arn:aws:events:eu-west-3:123456789012:rule/crm-reco-schedule"],
      detail: {},
    });
    const later = new Date(Date.now() + 60 * 60_000); // the imports above are an hour old by then
    const first = await schedule(event(later));
    expect(first.regenerations.length).toBeGreaterThan(0);
    expect((await schedule(event(later))).regenerations).toEqual([]);
    const messages: Message[] = [];
    for (let tries = 0; tries < 5 && messages.length < first.regenerations.length; tries++)
      messages.push(...(await receive(queueUrls.regenerate, 1)));
    expect(messages.map((m) => JSON.parse(m.Body!).id).sort()).toEqual(
      [...first.regenerations].sort(),
    );
    await remove(queueUrls.regenerate, messages);
  });

  it("is what the composition root builds from the AWS settings", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "crm-reco-aws-"));
    const built = await createServices(
      loadConfig({
        CRM_RECO_DATA_DIR: dataDir,
        CRM_RECO_QUEUE: "sqs",
        BLOB_STORE: "s3",
        UPLOADS_BUCKET: bucket,
        AWS_ENDPOINT_URL: aws.endpoint,
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        QUEUE_URL_IMPORT: queueUrls.import,
        QUEUE_URL_SYNC: queueUrls.sync,
        QUEUE_URL_REGENERATE: queueUrls.regenerate,
        QUEUE_URL_WEBHOOK: queueUrls.webhook,
        LOG_LEVEL: "silent",
      }),
    );
    try {
      await built.blobs.put("uploads/composed.csv", new TextEncoder().encode("a;b\n"));
      expect(await services.blobs.head("uploads/composed.csv")).toMatchObject({ sizeBytes: 4 });
      expect(built.directUploads).toBeDefined();
      await built.queue.send({
        id: randomUUID(),
        kind: "sync",
        tenantId: randomUUID(),
        payload: { via: "composition" },
      });
      const [message] = await receive(queueUrls.sync, 1);
      expect(JSON.parse(message!.Body!).payload).toEqual({ via: "composition" });
      await remove(queueUrls.sync, [message!]);
    } finally {
      await built.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("sends every kind of job to its own queue", async () => {
    for (const kind of kinds) {
      await services.queue.send({
        id: randomUUID(),
        kind,
        tenantId: randomUUID(),
        payload: { kind },
      });
      const [message] = await receive(queueUrls[kind], 1);
      expect(JSON.parse(message!.Body!).payload).toEqual({ kind });
      await remove(queueUrls[kind], [message!]);
    }
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrls.sync, MessageBody: "not json" }));
    const [junk] = await receive(queueUrls.sync, 1);
    const worker = createQueueWorker("sync", ready);
    expect((await worker(sqsEvent("sync", [junk!]))).batchItemFailures).toEqual([
      { itemIdentifier: junk!.MessageId },
    ]);
  });
});
