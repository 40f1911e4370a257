import type { FunctionProps } from "sst/constructs";
import { countryLocalesPlugin, zodEnglishOnlyPlugin } from "./esbuild-plugins.ts";

/**
 * Packages only the VPS and embedded targets load (node-postgres, PGlite, pg-boss). The functions
 * import their adapters on demand, so with code splitting these imports stay inside chunks a
 * Lambda never loads, and the bundles neither carry them nor parse them: pg-boss uses import
 * attributes, which the esbuild pinned by sst@2 (0.18) cannot read.
 */
export const vpsOnlyPackages = ["pg", "@electric-sql/pglite", "pg-boss"];

/**
 * Every Lambda's defaults, shared by sst.config.ts and the stack tests so both bundle alike.
 * Functions that run long work override `timeout` (see app-stack.ts).
 */
export const defaultFunctionProps: FunctionProps = {
  runtime: "nodejs22.x",
  architecture: "arm_64",
  memorySize: 1024,
  // API Gateway gives up after 30 s: an API call that takes longer is a bug, not a slow request.
  timeout: 29,
  logRetention: "one_month",
  nodejs: {
    format: "esm",
    // SST does not minify by default; minified bundles load faster on a cold start.
    minify: true,
    splitting: true,
    // SST would upload the main map for its console and leave the chunks' maps in the bundle.
    sourcemap: false,
    esbuild: { external: vpsOnlyPackages, plugins: [countryLocalesPlugin, zodEnglishOnlyPlugin] },
  },
};
