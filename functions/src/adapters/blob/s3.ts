import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { AppError, type BlobInfo, type BlobStore } from "@crm-reco/core";

/**
 * Blobs as objects of one private bucket (the AWS target). The etag is S3's (quotes removed):
 * stable for identical bytes sent the same way, which is all the importer asks of it.
 */
export function createS3BlobStore(client: S3Client, bucket: string): BlobStore {
  const checkKey = (key: string) => {
    if (key.length === 0 || key.startsWith("/") || key.split("/").includes(".."))
      throw new AppError("blob.invalid_key", `Invalid blob key: ${key}`);
  };
  const etagOf = (etag: string | undefined) => (etag ?? "").replaceAll('"', "");

  async function head(key: string): Promise<BlobInfo | undefined> {
    checkKey(key);
    try {
      const answer = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return {
        key,
        sizeBytes: answer.ContentLength ?? 0,
        contentType: answer.ContentType,
        etag: etagOf(answer.ETag),
      };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  return {
    async put(key, body, contentType) {
      checkKey(key);
      // A stream of unknown length cannot be sent in one PutObject: collect it (uploads through
      // the API are bounded; the browser sends large files straight to S3 with a presigned URL).
      const bytes =
        body instanceof Uint8Array ? body : new Uint8Array(await new Response(body).arrayBuffer());
      const answer = await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: contentType }),
      );
      return { key, sizeBytes: bytes.length, contentType, etag: etagOf(answer.ETag) };
    },

    async get(key) {
      checkKey(key);
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return answer.Body!.transformToWebStream() as ReadableStream<Uint8Array>;
      } catch (error) {
        if (isMissing(error))
          throw new AppError("blob.not_found", `No file stored at ${key}.`, { key });
        throw error;
      }
    },

    head,

    async delete(key) {
      checkKey(key);
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },

    async list(prefix) {
      const found: BlobInfo[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? [])
          found.push({
            key: object.Key!,
            sizeBytes: object.Size ?? 0,
            contentType: undefined,
            etag: etagOf(object.ETag),
          });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return found.sort((a, b) => a.key.localeCompare(b.key));
    },
  };
}

function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NoSuchKey" || e.name === "NotFound" || e.$metadata?.httpStatusCode === 404;
}
