import { Duration } from "aws-cdk-lib";
import {
  HeadersFrameOption,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";

/**
 * The security headers the app itself sends on the VPS (functions/src/http/security-headers.ts),
 * so the site behaves the same on both targets; plus one source for `connect-src`: the uploads
 * bucket's regional endpoint, where the browser PUTs files with presigned URLs.
 */
export function contentSecurityPolicy(uploadsBucketEndpoint: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' https://${uploadsBucketEndpoint}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Applied to every CloudFront behaviour; `override` so an origin cannot weaken them. */
export function createSiteHeadersPolicy(
  scope: Construct,
  id: string,
  uploadsBucket: IBucket,
): ResponseHeadersPolicy {
  return new ResponseHeadersPolicy(scope, id, {
    comment: "CRM Reco: CSP, HSTS, no framing, no sniffing",
    securityHeadersBehavior: {
      contentSecurityPolicy: {
        // A token: CloudFormation fills in the bucket's endpoint at deploy time.
        contentSecurityPolicy: contentSecurityPolicy(uploadsBucket.bucketRegionalDomainName),
        override: true,
      },
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(365),
        includeSubdomains: true,
        override: true,
      },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      contentTypeOptions: { override: true },
      referrerPolicy: {
        referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
    },
    customHeadersBehavior: {
      customHeaders: [
        { header: "Cross-Origin-Resource-Policy", value: "same-origin", override: true },
      ],
    },
  });
}
