import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { text } from "node:stream/consumers";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";

/** The role's credentials a test function gets; the stand-in checks signatures against them. */
export const SSM_CREDENTIALS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  sessionToken: "session-token-of-the-role",
};

/**
 * SSM's GetParameters on loopback: it checks each request's SigV4 signature with the AWS SDK's
 * own signer (the one AWS maintains), as SSM would, then answers from a parameter table.
 */
export function startSsmStandIn() {
  const parameters = new Map<string, string>();
  const requests: Array<{
    target: string;
    names: string[];
    withDecryption: boolean;
    sessionToken: string | undefined;
  }> = [];
  let verifyWith = SSM_CREDENTIALS.secretAccessKey;
  let refuse: { status: number; type: string; message: string } | undefined;
  const server = createServer(async (req, res) => {
    const body = await text(req);
    const reply = (status: number, json: unknown) => {
      res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify(json));
    };
    if (!(await signedCorrectly(req, body, verifyWith)))
      return reply(400, {
        __type: "InvalidSignatureException",
        message: "The request signature we calculated does not match the signature you provided.",
      });
    const { Names, WithDecryption } = JSON.parse(body) as {
      Names: string[];
      WithDecryption: boolean;
    };
    requests.push({
      target: String(req.headers["x-amz-target"]),
      names: Names,
      withDecryption: WithDecryption,
      sessionToken: req.headers["x-amz-security-token"] as string | undefined,
    });
    if (refuse) return reply(refuse.status, { __type: refuse.type, message: refuse.message });
    reply(200, {
      Parameters: Names.filter((n) => parameters.has(n)).map((n) => ({
        Name: n,
        Type: "SecureString",
        Value: parameters.get(n),
        Version: 1,
      })),
      InvalidParameters: Names.filter((n) => !parameters.has(n)),
    });
  });
  return {
    parameters,
    requests,
    /** Starts listening on loopback; returns the endpoint (AWS_ENDPOINT_URL_SSM). */
    async listen(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    verifyWith: (secret: string) => (verifyWith = secret),
    refuse: (error: typeof refuse) => (refuse = error),
  };
}

/** Signs the request as received, at its own date, and compares with the signature it carries. */
async function signedCorrectly(req: IncomingMessage, body: string, secretAccessKey: string) {
  const authorization = String(req.headers.authorization ?? "");
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/ssm\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match || match[1] !== SSM_CREDENTIALS.accessKeyId || match[3] !== "eu-west-3") return false;
  const signedHeaders = match[4]!.split(";");
  const headers = Object.fromEntries(signedHeaders.map((h) => [h, String(req.headers[h])]));
  const amzDate = String(req.headers["x-amz-date"]);
  const signingDate = new Date(
    amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"),
  );
  const signer = new SignatureV4({
    service: "ssm",
    region: "eu-west-3",
    sha256: Hash.bind(null, "sha256"),
    applyChecksum: false, // SSM's JSON protocol signs no x-amz-content-sha256
    credentials: { ...SSM_CREDENTIALS, secretAccessKey },
  });
  const [hostname, port] = String(req.headers.host).split(":");
  const signed = await signer.sign(
    {
      method: req.method!,
      protocol: "http:",
      hostname: hostname!,
      port: Number(port),
      path: req.url!,
      query: {},
      headers,
      body,
    },
    { signingDate },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1];
  return expected === match[5];
}
