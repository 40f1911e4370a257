import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { startFauxqs } from "fauxqs";

/**
 * S3 and SQS on loopback (fauxqs), spoken to by the real AWS SDK v3 clients. Path-style S3 so
 * that no DNS is involved; any credentials do.
 */
export async function startAwsEmulator() {
  const server = await startFauxqs({ port: 0, logger: false });
  const common = {
    endpoint: server.address,
    region: "eu-west-3",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  };
  return {
    server,
    endpoint: server.address,
    s3Config: { ...common, forcePathStyle: true },
    s3: () => new S3Client({ ...common, forcePathStyle: true }),
    sqs: () => new SQSClient(common),
    stop: () => server.stop(),
  };
}

export type AwsEmulator = Awaited<ReturnType<typeof startAwsEmulator>>;
