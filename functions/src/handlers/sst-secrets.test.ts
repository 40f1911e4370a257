import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SSM_CREDENTIALS as CREDENTIALS, startSsmStandIn } from "../../test/ssm-stand-in.ts";
import { readBoundSecrets } from "./sst-secrets.ts";

describe("readBoundSecrets (SST's Config.Secret, without the AWS SDK)", () => {
  const ssm = startSsmStandIn();
  let env: Record<string, string>;
  let endpoint: string;

  beforeAll(async () => {
    endpoint = await ssm.listen();
  });
  afterAll(() => ssm.close());
  beforeEach(() => {
    ssm.parameters.clear();
    ssm.requests.length = 0;
    ssm.verifyWith(CREDENTIALS.secretAccessKey);
    ssm.refuse(undefined);
    // What SST and Lambda put in a bound function's environment.
    env = {
      SST_APP: "crm-reco",
      SST_STAGE: "prod",
      SST_SSM_PREFIX: "/sst/crm-reco/prod/",
      SST_Secret_value_DATABASE_URL: "__FETCH_FROM_SSM__",
      SST_Secret_value_CRM_RECO_SECRET_KEY: "__FETCH_FROM_SSM__",
      AWS_REGION: "eu-west-3",
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
      AWS_ENDPOINT_URL_SSM: endpoint,
    };
  });

  it("reads the stage's values in one signed GetParameters call, with the role's session token", async () => {
    ssm.parameters.set("/sst/crm-reco/prod/Secret/DATABASE_URL/value", "postgres://neon/db");
    ssm.parameters.set("/sst/crm-reco/prod/Secret/CRM_RECO_SECRET_KEY/value", "a-key");
    expect(await readBoundSecrets(["DATABASE_URL", "CRM_RECO_SECRET_KEY"], env)).toEqual({
      DATABASE_URL: "postgres://neon/db",
      CRM_RECO_SECRET_KEY: "a-key",
    });
    expect(ssm.requests).toEqual([
      {
        target: "AmazonSSM.GetParameters",
        names: [
          "/sst/crm-reco/prod/Secret/DATABASE_URL/value",
          "/sst/crm-reco/prod/Secret/CRM_RECO_SECRET_KEY/value",
        ],
        withDecryption: true,
        sessionToken: CREDENTIALS.sessionToken,
      },
    ]);
  });

  it("takes the app's fallback value for a secret the stage does not set", async () => {
    ssm.parameters.set("/sst/crm-reco/prod/Secret/DATABASE_URL/value", "postgres://neon/db");
    ssm.parameters.set("/sst/crm-reco/.fallback/Secret/CRM_RECO_SECRET_KEY/value", "shared-key");
    expect(await readBoundSecrets(["DATABASE_URL", "CRM_RECO_SECRET_KEY"], env)).toEqual({
      DATABASE_URL: "postgres://neon/db",
      CRM_RECO_SECRET_KEY: "shared-key",
    });
    expect(ssm.requests.map((r) => r.names)).toEqual([
      [
        "/sst/crm-reco/prod/Secret/DATABASE_URL/value",
        "/sst/crm-reco/prod/Secret/CRM_RECO_SECRET_KEY/value",
      ],
      ["/sst/crm-reco/.fallback/Secret/CRM_RECO_SECRET_KEY/value"],
    ]);
  });

  it("says which secrets are set nowhere, and how to set them", async () => {
    ssm.parameters.set("/sst/crm-reco/prod/Secret/DATABASE_URL/value", "postgres://neon/db");
    await expect(readBoundSecrets(["DATABASE_URL", "CRM_RECO_SECRET_KEY"], env)).rejects.toThrow(
      'These secrets are not set for the "prod" stage: CRM_RECO_SECRET_KEY (npx sst secrets set <NAME> <value> --stage prod).',
    );
  });

  it("asks SSM nothing for a secret not bound here or given as a plain value", async () => {
    delete env.SST_Secret_value_CRM_RECO_SECRET_KEY;
    env.SST_Secret_value_DATABASE_URL = "postgres://local/dev";
    expect(await readBoundSecrets(["DATABASE_URL", "CRM_RECO_SECRET_KEY"], env)).toEqual({
      DATABASE_URL: "postgres://local/dev",
      CRM_RECO_SECRET_KEY: undefined,
    });
    expect(ssm.requests).toEqual([]);
  });

  it("reports SSM's refusal with its error type and message", async () => {
    ssm.refuse({
      status: 400,
      type: "com.amazonaws.ssm#AccessDeniedException",
      message: "User is not authorized to perform ssm:GetParameters",
    });
    await expect(readBoundSecrets(["DATABASE_URL"], env)).rejects.toThrow(
      "Reading the bound secrets from SSM failed: 400 AccessDeniedException User is not authorized to perform ssm:GetParameters",
    );
  });

  it("is refused by the stand-in when signed with another key (its check is real)", async () => {
    ssm.verifyWith("another-secret-key");
    await expect(readBoundSecrets(["DATABASE_URL"], env)).rejects.toThrow(
      "400 InvalidSignatureException",
    );
  });
});
