// Every test file runs in a process of its own: each would spend 0.5 s re-reading drizzle-orm's
// package.json as Node 22 does (see functions/src/package-scope-cache.ts).
import { cachePackageScopes } from "../src/package-scope-cache.ts";

cachePackageScopes();
