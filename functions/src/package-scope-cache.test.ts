import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createPackageTypeFinder, formatOfRelativeImport } from "./package-scope-cache.ts";

// Installed packages as Node sees them: `pkg`, `type: module` at its root and a `cjs` folder with
// its own package.json; `@scope/legacy` without any type; `bare` without a package.json, inside
// a project whose own package.json says `module` (which Node never reads for it).
const root = mkdtempSync(join(tmpdir(), "package-scope-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const write = (path: string, text: string) => {
  mkdirSync(join(root, path, ".."), { recursive: true });
  writeFileSync(join(root, path), text);
};
write("node_modules/pkg/package.json", JSON.stringify({ name: "pkg", type: "module" }));
write("node_modules/pkg/src/deep/a.js", "");
write("node_modules/pkg/cjs/b.js", "");
write("node_modules/pkg/src/c.cjs", "");
write("node_modules/@scope/legacy/d.mjs", "");
write("node_modules/@scope/legacy/e.js", "");
mkdirSync(join(root, "node_modules/pkg/src/folder.js"));
symlinkSync(join(root, "node_modules/pkg/src/deep"), join(root, "node_modules/pkg/src/linked"));
write("node_modules/pkg/cjs/package.json", JSON.stringify({ type: "commonjs" }));
write("node_modules/@scope/legacy/package.json", JSON.stringify({ name: "@scope/legacy" }));
write("package.json", JSON.stringify({ type: "module" }));
write("node_modules/bare/lib/index.js", "");
const url = (path: string) => pathToFileURL(join(root, path)).href;

describe("createPackageTypeFinder", () => {
  it("takes the type the nearest package.json above says, reading each once", () => {
    const reads: string[] = [];
    const find = createPackageTypeFinder((path) => {
      reads.push(path);
      return JSON.stringify(
        path.includes("/cjs/")
          ? { type: "commonjs" }
          : path.includes("legacy")
            ? {}
            : { type: "module" },
      );
    });
    expect(find(join(root, "node_modules/pkg/src/deep"))).toBe("module");
    expect(find(join(root, "node_modules/pkg/src"))).toBe("module");
    expect(find(join(root, "node_modules/pkg/cjs"))).toBe("commonjs");
    expect(find(join(root, "node_modules/@scope/legacy"))).toBeNull();
    expect(reads.map((r) => r.slice(root.length))).toEqual([
      "/node_modules/pkg/package.json",
      "/node_modules/pkg/cjs/package.json",
      "/node_modules/@scope/legacy/package.json",
    ]);
  });
});

describe("formatOfRelativeImport", () => {
  const find = createPackageTypeFinder();
  const from = url("node_modules/pkg/src/index.js");
  it.each([
    ["./deep/a.js", from, { url: url("node_modules/pkg/src/deep/a.js"), format: "module" }],
    // The real file behind a symlink, as Node gives it: one module, not two.
    ["./linked/a.js", from, { url: url("node_modules/pkg/src/deep/a.js"), format: "module" }],
    ["../cjs/b.js", from, { url: url("node_modules/pkg/cjs/b.js"), format: "commonjs" }],
    ["./c.cjs", from, { url: url("node_modules/pkg/src/c.cjs"), format: "commonjs" }],
    [
      "./d.mjs",
      url("node_modules/@scope/legacy/index.js"),
      { url: url("node_modules/@scope/legacy/d.mjs"), format: "module" },
    ],
  ])("%s from an installed package is what Node makes of it", (specifier, parent, expected) =>
    expect(formatOfRelativeImport(specifier, parent, find)).toEqual(expected),
  );

  it.each([
    ["a bare package name", "drizzle-orm", from],
    ["a folder", "./deep", from],
    ["a JSON file", "./data.json", from],
    ["a query", "./deep/a.js?x=1", from],
    ["a file that is not there, for Node's own error", "./missing.js", from],
    ["a folder named like a file", "./folder.js", from],
    ["an import from our own code", "./a.js", url("functions/src/index.js")],
    ["an import with no parent", "./a.js", undefined],
    [
      "a .js file of a package without a type",
      "./e.js",
      url("node_modules/@scope/legacy/index.js"),
    ],
    [
      "a .js file of a package without a package.json",
      "./a.js",
      url("node_modules/bare/lib/index.js"),
    ],
  ])("leaves %s to Node", (_, specifier, parent) =>
    expect(formatOfRelativeImport(specifier, parent, find)).toBeNull(),
  );
});
