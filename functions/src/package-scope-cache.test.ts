import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createPackageTypeFinder, formatOfRelativeImport } from "./package-scope-cache.ts";

// An installed package as Node sees it: `type: module` at its root, a `cjs` folder with its own
// package.json, and a `legacy` package without any type.
const root = mkdtempSync(join(tmpdir(), "package-scope-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const write = (path: string, text: string) => {
  mkdirSync(join(root, path, ".."), { recursive: true });
  writeFileSync(join(root, path), text);
};
write("node_modules/pkg/package.json", JSON.stringify({ name: "pkg", type: "module" }));
write("node_modules/pkg/src/deep/a.js", "");
write("node_modules/pkg/cjs/package.json", JSON.stringify({ type: "commonjs" }));
write("node_modules/@scope/legacy/package.json", JSON.stringify({ name: "@scope/legacy" }));
const url = (path: string) => pathToFileURL(join(root, path)).href;

describe("createPackageTypeFinder", () => {
  it("takes the type of the nearest package.json above, reading each once", () => {
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
    expect(find(join(root, "node_modules/@scope/legacy"))).toBe("commonjs");
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
    ["../cjs/b.js", from, { url: url("node_modules/pkg/cjs/b.js"), format: "commonjs" }],
    ["./c.cjs", from, { url: url("node_modules/pkg/src/c.cjs"), format: "commonjs" }],
    [
      "./d.mjs",
      url("node_modules/@scope/legacy/index.js"),
      { url: url("node_modules/@scope/legacy/d.mjs"), format: "module" },
    ],
    [
      "./e.js",
      url("node_modules/@scope/legacy/index.js"),
      { url: url("node_modules/@scope/legacy/e.js"), format: "commonjs" },
    ],
  ])("%s from an installed package is what Node makes of it", (specifier, parent, expected) =>
    expect(formatOfRelativeImport(specifier, parent, find)).toEqual(expected),
  );

  it.each([
    ["a bare package name", "drizzle-orm", from],
    ["a folder", "./deep", from],
    ["a JSON file", "./data.json", from],
    ["a query", "./deep/a.js?x=1", from],
    ["an import from our own code", "./a.js", url("functions/src/index.js")],
    ["an import with no parent", "./a.js", undefined],
  ])("leaves %s to Node", (_, specifier, parent) =>
    expect(formatOfRelativeImport(specifier, parent, find)).toBeNull(),
  );
});
