import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import { handle } from "hono/aws-lambda";
import { createApp } from "../http/app.ts";
import { securityHeaders } from "../http/security-headers.ts";
import type { Services } from "../services.ts";
import { lambdaServices } from "./lambda-services.ts";

type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

/**
 * API Gateway HTTP API (payload v2) in front of the same app the VPS serves. Services are built
 * on the first invocation and reused while the execution environment lives (one pool, no leak).
 */
export function createApiHandler(buildServices: () => Promise<Services>): ApiHandler {
  let lambdaHandler: Promise<ReturnType<typeof handle>> | undefined;
  return async (event, context) => {
    lambdaHandler ??= buildServices().then((services) => handle(createApp(services)));
    try {
      const invoke = await lambdaHandler;
      // hono declares its own, narrower copy of the AWS event type; the payload is the same.
      const result = (await invoke(
        event as unknown as Parameters<typeof invoke>[0],
        context,
      )) as APIGatewayProxyStructuredResultV2;
      return { ...result, headers: { ...securityHeaders, ...result.headers } };
    } catch (error) {
      lambdaHandler = undefined; // a failed cold start must not poison the environment
      throw error;
    }
  };
}

export const handler = createApiHandler(lambdaServices);
