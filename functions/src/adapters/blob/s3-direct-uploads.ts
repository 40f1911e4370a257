import { PutObjectCommand, S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

/** Where a browser sends a file itself (AWS): a short-lived URL for one object, one size, one type. */
export interface DirectUploads {
  presignPut(
    key: string,
    contentType: string,
    sizeBytes: number,
  ): Promise<{ url: string; headers: Record<string, string>; expiresAt: Date }>;
}

const EXPIRES_SECONDS = 15 * 60;

/**
 * Presigned S3 PUTs. The signature covers the content type and length: the browser can send
 * exactly the file it announced to exactly the key it was given, for fifteen minutes, and nothing
 * else (the bucket stays private).
 */
export function createS3DirectUploads(config: S3ClientConfig, bucket: string): DirectUploads {
  // Its own client: by default the SDK signs a checksum of the (empty) body into the URL, and S3
  // would then refuse the browser's file as corrupt. A checksum only when S3 requires one.
  const client = new S3Client({ ...config, requestChecksumCalculation: "WHEN_REQUIRED" });
  return {
    async presignPut(key, contentType, sizeBytes) {
      const url = await getSignedUrl(
        client,
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          ContentType: contentType,
          ContentLength: sizeBytes,
        }),
        {
          expiresIn: EXPIRES_SECONDS,
          signableHeaders: new Set(["content-type", "content-length"]),
        },
      );
      return {
        url,
        headers: { "content-type": contentType },
        expiresAt: new Date(Date.now() + EXPIRES_SECONDS * 1000),
      };
    },
  };
}
