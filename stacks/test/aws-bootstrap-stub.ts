import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { text } from "node:stream/consumers";

/**
 * Answers the three AWS calls `sst build` makes before synthesizing (STS GetCallerIdentity, and
 * CloudFormation DescribeStacks for the CDKToolkit and SSTBootstrap stacks), on loopback, so the
 * real build runs with no network. Any other call gets a 400, so a new dependency on AWS fails
 * loudly instead of hanging. Both speak the AWS query protocol (form body, XML answers).
 */
export async function startAwsBootstrapStub(account = "123456789012") {
  const calls: string[] = [];
  const server = createServer(async (request, response) => {
    const params = new URLSearchParams(await text(request));
    const action = params.get("Action") ?? "";
    const stackName = params.get("StackName") ?? "";
    calls.push(stackName ? `${action}:${stackName}` : action);
    const reply = (status: number, xml: string) => {
      response.writeHead(status, { "content-type": "text/xml" });
      response.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
    };
    if (action === "GetCallerIdentity") {
      return reply(
        200,
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${account}:user/ci</Arn><UserId>AIDACI</UserId><Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>stub-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
    }
    if (action === "DescribeStacks" && stackName === "CDKToolkit") {
      return reply(
        200,
        describeStacks("CDKToolkit", {
          BootstrapVersion: "21",
          BucketName: `cdk-assets-${account}`,
        }),
      );
    }
    if (action === "DescribeStacks" && stackName === "SSTBootstrap") {
      return reply(
        200,
        describeStacks("SSTBootstrap", { Version: "7.4", BucketName: `sst-bootstrap-${account}` }),
      );
    }
    reply(
      400,
      `<ErrorResponse><Error><Type>Sender</Type><Code>NotStubbed</Code><Message>The offline stub does not answer ${action}</Message></Error><RequestId>stub</RequestId></ErrorResponse>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    calls,
    /** The environment for `sst build` to reach this stub (and nothing else) with dummy keys. */
    sstBuildEnv: (): NodeJS.ProcessEnv => ({
      ...process.env,
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: "AKIAOFFLINESTUB",
      AWS_SECRET_ACCESS_KEY: "offline-stub-secret",
      AWS_REGION: "eu-west-3",
      AWS_PROFILE: "",
      SST_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
    }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function describeStacks(name: string, outputs: Record<string, string>) {
  const members = Object.entries(outputs)
    .map(
      ([key, value]) =>
        `<member><OutputKey>${key}</OutputKey><OutputValue>${value}</OutputValue></member>`,
    )
    .join("");
  return `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>${name}</StackName><StackId>arn:aws:cloudformation:eu-west-3:123456789012:stack/${name}/1</StackId><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime><Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>stub-2</RequestId></ResponseMetadata></DescribeStacksResponse>`;
}
