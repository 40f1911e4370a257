import type { SSTConfig } from "sst";
import { AppStack } from "./stacks/app-stack.ts";

/** AWS target (SST v2 on aws-cdk-lib). `npx sst deploy --stage prod`; see docs/deploy-aws.md. */
export default {
  config() {
    return { name: "crm-reco", region: "eu-west-3" };
  },
  stacks(app) {
    app.setDefaultFunctionProps({
      runtime: "nodejs22.x",
      architecture: "arm_64",
      memorySize: 1024,
      timeout: 29,
      logRetention: "one_month",
    });
    // Keep data stores on `sst remove` for every stage that is not a throwaway.
    if (app.stage !== "prod") app.setDefaultRemovalPolicy("destroy");
    app.stack(AppStack);
  },
} satisfies SSTConfig;
