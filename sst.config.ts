import type { SSTConfig } from "sst";
import { AppStack } from "./stacks/app-stack.ts";
import { defaultFunctionProps } from "./stacks/function-defaults.ts";

/** AWS target (SST v2 on aws-cdk-lib). `npx sst deploy --stage prod`; see docs/deploy-aws.md. */
export default {
  config() {
    return { name: "crm-reco", region: "eu-west-3" };
  },
  stacks(app) {
    app.setDefaultFunctionProps(defaultFunctionProps);
    // Keep data stores on `sst remove` for every stage that is not a throwaway.
    if (app.stage !== "prod") app.setDefaultRemovalPolicy("destroy");
    app.stack(AppStack);
  },
} satisfies SSTConfig;
