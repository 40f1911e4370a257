import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { registerHooks } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

// Node 22 reads and parses a package's package.json again for every file of it that is imported
// (to learn the file's format), and drizzle-orm's is 179 KB: loading drizzle-orm's PostgreSQL
// modules took 0.6 s of every command's start (0.08 s with this). Later Node versions keep what
// they read; this does the same for the relative imports inside installed packages, the ones
// that pay for it, and leaves every other import to Node. Measured in docs/benchmarks.md.

type Format = "module" | "commonjs";

/**
 * The `type` of the package.json nearest above a folder, as Node finds it (never past a
 * `node_modules` folder), read once per folder; `null` when that package.json says none, or
 * there is none: Node then looks at the file's own syntax, which is left to it.
 */
export function createPackageTypeFinder(read = (path: string) => readFileSync(path, "utf8")) {
  const typeOfFolder = new Map<string, Format | null>();
  const find = (folder: string): Format | null => {
    if (typeOfFolder.has(folder)) return typeOfFolder.get(folder)!;
    const file = join(folder, "package.json");
    const parent = dirname(folder);
    let type: Format | null;
    if (existsSync(file)) {
      const declared = (JSON.parse(read(file)) as { type?: unknown }).type;
      type = declared === "module" || declared === "commonjs" ? declared : null;
    } else type = parent === folder || basename(parent) === "node_modules" ? null : find(parent);
    typeOfFolder.set(folder, type);
    return type;
  };
  return find;
}

/** The format Node gives a file imported by a relative path from an installed package, if sure. */
export function formatOfRelativeImport(
  specifier: string,
  parentURL: string | undefined,
  packageType: (folder: string) => Format | null,
): { url: string; format: Format } | null {
  if (!parentURL?.startsWith("file:") || !parentURL.includes("/node_modules/")) return null;
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return null;
  const url = new URL(specifier, parentURL);
  if (url.search || url.hash) return null;
  if (!/\.(mjs|cjs|js)$/.test(url.pathname)) return null; // a folder, JSON, no extension: Node's rules
  // As Node resolves it: the real file behind any symlink (one module, not two), and a missing
  // file or a folder left to Node, for its own error.
  let path: string;
  try {
    path = realpathSync(fileURLToPath(url));
    if (!statSync(path).isFile()) return null;
  } catch {
    return null;
  }
  const href = pathToFileURL(path).href;
  if (path.endsWith(".mjs")) return { url: href, format: "module" };
  if (path.endsWith(".cjs")) return { url: href, format: "commonjs" };
  const type = packageType(dirname(path));
  // A package without a type: Node looks at the file's syntax.
  return type ? { url: href, format: type } : null;
}

/** Registers the cache for this process's imports; call before importing the application. */
export function cachePackageScopes(): void {
  // Once per process, however many times a test runner evaluates this module.
  const flag = Symbol.for("crm-reco.package-scope-cache");
  const global = globalThis as { [flag]?: true };
  if (global[flag]) return;
  global[flag] = true;
  const packageType = createPackageTypeFinder();
  registerHooks({
    resolve(specifier, context, nextResolve) {
      // `import` only: `require` keeps Node's own resolution (folders, extensions tried).
      const known = context.conditions.includes("import")
        ? formatOfRelativeImport(specifier, context.parentURL, packageType)
        : null;
      return known ? { ...known, shortCircuit: true } : nextResolve(specifier, context);
    },
  });
}
