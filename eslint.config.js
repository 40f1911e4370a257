// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// core/ is the pure domain: it must never reach infrastructure. Everything that touches the
// outside world goes through a port that functions/ implements.
const infrastructureImports = [
  {
    group: ["@aws-sdk/*", "aws-sdk", "sst", "sst/*", "aws-cdk-lib", "aws-cdk-lib/*"],
    message: "core/ is pure: AWS belongs in functions/ adapters.",
  },
  {
    group: ["pg", "pg-*", "@electric-sql/*", "@neondatabase/*", "drizzle-orm", "drizzle-orm/*"],
    message: "core/ is pure: database access belongs in functions/ adapters.",
  },
  { group: ["hono", "hono/*", "@hono/*"], message: "core/ is pure: HTTP belongs in functions/." },
  {
    group: [
      "fs",
      "fs/*",
      "node:fs",
      "node:fs/*",
      "child_process",
      "node:child_process",
      "net",
      "node:net",
      "http",
      "node:http",
    ],
    message: "core/ is pure: I/O comes in through ports.",
  },
  {
    group: ["@crm-reco/functions", "@crm-reco/functions/*", "**/functions/**"],
    message: "core/ must not depend on functions/.",
  },
];

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "**/dist-aws/**",
      "**/sst-env.d.ts",
      ".sst/**",
      "cdk.out/**",
      "migrations/**",
      "test-results/**",
      ".data/**",
      ".ci/.node/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      // TypeScript already checks names; the core rule knows neither DOM nor Node types.
      "no-undef": "off",
      // With noUncheckedIndexedAccess, `rows[0]!` after a single-row insert is the honest form.
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    files: ["core/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: infrastructureImports }],
      "no-restricted-globals": [
        "error",
        { name: "process", message: "core/ is pure: configuration comes in as arguments." },
      ],
    },
  },
  {
    files: ["functions/src/**/*.ts", "web/src/**/*.ts", "web/src/**/*.tsx"],
    ignores: ["functions/src/config.ts", "**/*.test.ts", "**/*.test.tsx"],
    rules: {
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "Only functions/src/config.ts (the composition root) reads the environment.",
        },
      ],
    },
  },
);
