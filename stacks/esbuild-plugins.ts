import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { FunctionProps } from "sst/constructs";

type EsbuildPlugin = NonNullable<
  NonNullable<NonNullable<FunctionProps["nodejs"]>["esbuild"]>["plugins"]
>[number];

/**
 * i18n-iso-countries' Node entry registers its locales with `require("./langs/" + name +
 * ".json")`. The esbuild pinned by sst@2 (0.18) cannot bundle a computed require, so it stays in
 * the bundle and throws MODULE_NOT_FOUND when a Lambda loads it. This writes the same entry with
 * one literal require per locale the library supports: what Node does, resolved at build time.
 * Not needed once the bundler is esbuild ≥ 0.19 (glob-style requires), or once the code imports
 * `i18n-iso-countries/index.js` and registers the locales it uses.
 */
export const countryLocalesPlugin: EsbuildPlugin = {
  name: "i18n-iso-countries-locales",
  setup(build) {
    build.onLoad({ filter: /[\\/]i18n-iso-countries[\\/]entry-node\.js$/ }, (args) => {
      const library = createRequire(args.path)("./index.js") as {
        getSupportedLanguages(): string[];
      };
      const registrations = library
        .getSupportedLanguages()
        .map((locale) => `library.registerLocale(require("./langs/${locale}.json"));`);
      return {
        contents: [
          'var library = require("./index");',
          ...registrations,
          "module.exports = library;",
        ].join("\n"),
        loader: "js",
        resolveDir: dirname(args.path),
      };
    });
  },
};

/**
 * zod re-exports its 40-odd message locales as one namespace (`z.locales`), which esbuild cannot
 * tree-shake: every function carried 260 KB of translations it never reads (zod formats its
 * messages in English by default, and our API answers with its own codes). This resolves zod's
 * locale index to English only, so `z.locales.en` still exists and nothing else does. Drop it
 * once zod ships an entry without the namespace (colinhacks/zod#5665).
 */
export const zodEnglishOnlyPlugin: EsbuildPlugin = {
  name: "zod-english-only",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.resolveDir)
        ? { path: join(args.resolveDir, "..", "locales", "index.js"), namespace: "zod-en" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-en" }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      loader: "js",
      resolveDir: dirname(args.path),
    }));
  },
};
