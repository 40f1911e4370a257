import { Duration } from "aws-cdk-lib";
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
} from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";

/** Where `POST /api/uploads` points the browser; `upload-created` only hears about this prefix. */
export const uploadsPrefix = "uploads/";
/** Long enough to re-run an import of a recent export, short enough not to hoard customer data. */
export const uploadRetentionDays = 90;

/**
 * The private bucket of imported files. Browsers PUT exports straight into it with presigned URLs
 * (no 6 MB Lambda payload limit); everything else reaches it through the functions' IAM roles.
 *
 * CORS allows PUT from any origin rather than from the site's CloudFront origin only: the site's
 * CSP names this bucket's endpoint (connect-src), so the bucket cannot also name the distribution
 * without a dependency cycle. Nothing is lost: CORS is not access control here. A PUT is only
 * accepted with a valid, short-lived presigned signature, which a non-browser client could use
 * without CORS anyway, and the CSP keeps the site's own pages from sending data to other buckets.
 */
export function createUploadsBucket(scope: Construct, id: string): Bucket {
  return new Bucket(scope, id, {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    cors: [
      {
        allowedMethods: [HttpMethods.PUT],
        allowedOrigins: ["*"],
        allowedHeaders: ["content-type"],
        maxAge: 3600,
      },
    ],
    lifecycleRules: [
      {
        id: "expire-uploads",
        prefix: uploadsPrefix,
        expiration: Duration.days(uploadRetentionDays),
      },
      {
        id: "abort-incomplete-multipart-uploads",
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ],
  });
}
