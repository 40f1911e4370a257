import type { Message } from "@aws-sdk/client-sqs";
import type { S3Event, SQSEvent } from "aws-lambda";

const REGION = "eu-west-3";
const ACCOUNT = "123456789012";

/** S3's key encoding in event notifications: URL-encoded, with `+` for spaces. */
export const s3EventKey = (key: string) =>
  encodeURIComponent(key).replace(/%20/g, "+").replace(/%2F/g, "/");

/** An `ObjectCreated:Put` notification exactly as S3 sends it to Lambda (several records allowed). */
export function s3ObjectCreated(
  bucket: string,
  objects: Array<{ key: string; size: number; etag: string }>,
): S3Event {
  return {
    Records: objects.map((object, i) => ({
      eventVersion: "2.1",
      eventSource: "aws:s3",
      awsRegion: REGION,
      eventTime: new Date(Date.UTC(2026, 11, 1, 10, 0, i)).toISOString(),
      eventName: "ObjectCreated:Put",
      userIdentity: { principalId: "AWS:AROAEXAMPLE:crm-reco-api" },
      requestParameters: { sourceIPAddress: "203.0.113.7" },
      responseElements: {
        "x-amz-request-id": `REQ${i}`,
        "x-amz-id-2": "EXAMPLE123/5678abcdefghijklambdaisawesome/mnopqrstuvwxyzABCDEFGH",
      },
      s3: {
        s3SchemaVersion: "1.0",
        configurationId: "uploads",
        bucket: {
          name: bucket,
          ownerIdentity: { principalId: "A3NL1KOZZKExample" },
          arn: `arn:aws:s3:::${bucket}`,
        },
        object: {
          key: s3EventKey(object.key),
          size: object.size,
          eTag: object.etag,
          sequencer: `0A1B2C3D4E5F67890${i}`,
        },
      },
    })),
  };
}

/** Messages received from SQS as the Lambda event source mapping hands them to the function. */
export function sqsEvent(queueName: string, messages: Message[]): SQSEvent {
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body!,
      attributes: {
        ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? "1",
        SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
        SenderId: m.Attributes?.SenderId ?? "AROAEXAMPLE",
        ApproximateFirstReceiveTimestamp:
          m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: m.MD5OfBody!,
      eventSource: "aws:sqs",
      eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:${queueName}`,
      awsRegion: REGION,
    })),
  };
}
