#!/usr/bin/env node
// The crm-reco command. Node 22.18+ runs our TypeScript sources directly (type stripping),
// so there is no build step between a clone and a running command.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`crm-reco needs Node.js 22.18 or newer (this is ${process.versions.node}).`);
  process.exit(1);
}
// Before the application's modules: Node 22 would spend 0.5 s re-reading package.json files.
const { cachePackageScopes } = await import("../functions/src/package-scope-cache.ts");
cachePackageScopes();
const { main } = await import("../functions/src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
