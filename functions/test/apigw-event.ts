import type { APIGatewayProxyEventV2, Context } from "aws-lambda";

/**
 * An API Gateway HTTP API (payload format 2.0) event exactly as AWS delivers it to Lambda for a
 * `$default` route; see the AWS docs "Working with AWS Lambda proxy integrations for HTTP APIs".
 */
export function apiGatewayV2Event(
  method: string,
  pathWithQuery: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): APIGatewayProxyEventV2 {
  const [rawPath, rawQueryString = ""] = pathWithQuery.split("?") as [string, string?];
  const queryStringParameters = rawQueryString
    ? Object.fromEntries(new URLSearchParams(rawQueryString))
    : undefined;
  const now = new Date("2026-11-25T10:00:00Z");
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    cookies: undefined,
    headers: {
      accept: "application/json",
      "content-length": String(options.body?.length ?? 0),
      host: "abc123.execute-api.eu-west-3.amazonaws.com",
      "user-agent": "curl/8.5.0",
      "x-amzn-trace-id": "Root=1-67890abc-0123456789abcdef01234567",
      "x-forwarded-for": "203.0.113.7",
      "x-forwarded-port": "443",
      "x-forwarded-proto": "https",
      ...options.headers,
    },
    queryStringParameters,
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.execute-api.eu-west-3.amazonaws.com",
      domainPrefix: "abc123",
      http: {
        method,
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: "203.0.113.7",
        userAgent: "curl/8.5.0",
      },
      requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      routeKey: "$default",
      stage: "$default",
      time: "25/Nov/2026:10:00:00 +0000",
      timeEpoch: now.getTime(),
    },
    body: options.body,
    isBase64Encoded: false,
  };
}

export const lambdaContext = (): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: "crm-reco-prod-api",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:eu-west-3:123456789012:function:crm-reco-prod-api",
  memoryLimitInMB: "1024",
  awsRequestId: "0b3f6f1e-0000-4000-8000-000000000001",
  logGroupName: "/aws/lambda/crm-reco-prod-api",
  logStreamName: "2026/11/25/[$LATEST]abcdef",
  getRemainingTimeInMillis: () => 29_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
});
