import { AwsClient } from "aws4fetch";

/** What SST puts in a bound secret's variable when the value is to be read from SSM. */
const FROM_SSM = "__FETCH_FROM_SSM__";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The secrets SST binds to a function (`Config.Secret`), read from SSM Parameter Store the way
 * `sst/node/config` reads them: SST sets `SST_Secret_value_<NAME>` to `__FETCH_FROM_SSM__` and
 * lets the function read `<SST_SSM_PREFIX>Secret/<NAME>/value`, or the app-wide fallback
 * `/sst/<app>/.fallback/Secret/<NAME>/value` (`sst secrets set --fallback`).
 *
 * Why not `sst/node/config`: importing it builds the AWS SDK's SSM client (the SDK's core with
 * it), about 140 ms of every cold start, for one signed POST; and the API's usual requests
 * (sign-in, lists, reviews) never need the SDK otherwise.
 *
 * A name not bound to this function comes back undefined (the environment then decides).
 */
export async function readBoundSecrets(
  names: readonly string[],
  env: Env,
): Promise<Record<string, string | undefined>> {
  const values: Record<string, string | undefined> = {};
  const fromSsm: string[] = [];
  for (const name of names) {
    const value = env[`SST_Secret_value_${name}`];
    if (value === FROM_SSM) fromSsm.push(name);
    else values[name] = value;
  }
  if (fromSsm.length === 0) return values;

  const ssm = ssmClient(env);
  const stagePath = (name: string) => `${env.SST_SSM_PREFIX ?? ""}Secret/${name}/value`;
  const fallbackPath = (name: string) => `/sst/${env.SST_APP}/.fallback/Secret/${name}/value`;
  const found = await ssm.getParameters(fromSsm.map(stagePath));
  const missing = fromSsm.filter((name) => !found.has(stagePath(name)));
  const fallback = missing.length > 0 ? await ssm.getParameters(missing.map(fallbackPath)) : found;
  const unset: string[] = [];
  for (const name of fromSsm) {
    values[name] = found.get(stagePath(name)) ?? fallback.get(fallbackPath(name));
    if (values[name] === undefined) unset.push(name);
  }
  if (unset.length > 0)
    throw new Error(
      `These secrets are not set for the "${env.SST_STAGE}" stage: ${unset.join(", ")} ` +
        `(npx sst secrets set <NAME> <value> --stage ${env.SST_STAGE}).`,
    );
  return values;
}

/** SSM's `GetParameters` over its JSON protocol, signed (SigV4) with the function's role. */
function ssmClient(env: Env) {
  const region = env.SST_REGION ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new Error("No AWS region (AWS_REGION) to read the bound secrets from.");
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY)
    throw new Error("No AWS credentials (AWS_ACCESS_KEY_ID) to read the bound secrets with.");
  const aws = new AwsClient({
    accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    sessionToken: env.AWS_SESSION_TOKEN,
    service: "ssm",
    region,
    retries: 2, // a cold start waits on this: retry a throttle briefly, then say what failed
  });
  const endpoint =
    env.AWS_ENDPOINT_URL_SSM ?? env.AWS_ENDPOINT_URL ?? `https://ssm.${region}.amazonaws.com`;

  return {
    /** Values by name; names SSM does not have are absent. At most 10 names per call (SSM's limit). */
    async getParameters(paths: string[]): Promise<Map<string, string>> {
      const values = new Map<string, string>();
      for (let start = 0; start < paths.length; start += 10) {
        const response = await aws.fetch(endpoint, {
          method: "POST",
          headers: {
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": "AmazonSSM.GetParameters",
          },
          body: JSON.stringify({ Names: paths.slice(start, start + 10), WithDecryption: true }),
        });
        const body = (await response.json().catch(() => ({}))) as {
          Parameters?: Array<{ Name: string; Value: string }>;
          __type?: string;
          message?: string;
          Message?: string;
        };
        if (!response.ok)
          throw new Error(
            `Reading the bound secrets from SSM failed: ${response.status} ` +
              `${body.__type?.split("#").at(-1) ?? ""} ${body.message ?? body.Message ?? ""}`.trim(),
          );
        for (const p of body.Parameters ?? []) values.set(p.Name, p.Value);
      }
      return values;
    },
  };
}
