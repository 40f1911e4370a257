import { defineConfig } from "vitest/config";
import solid from "vite-plugin-solid";

// One run for the whole repository, one project per part, each with the environment it needs.
export default defineConfig({
  test: {
    // Two files at a time: most wait on PostgreSQL, Chromium or a child process, so two fit the
    // CI machine's two cores (Vitest's default there, one, left the whole run ~25 % longer).
    maxWorkers: 2,
    projects: [
      {
        test: { name: "core", include: ["core/src/**/*.test.ts"], environment: "node" },
      },
      {
        test: {
          name: "functions",
          include: ["functions/src/**/*.test.ts", "functions/test/**/*.test.ts"],
          environment: "node",
          globalSetup: ["functions/test/global-setup.ts"],
          setupFiles: ["functions/test/package-scope-cache.setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Sequential: both files build the site and bundle the functions into the same folders.
        test: {
          name: "stacks",
          include: ["stacks/**/*.test.ts"],
          environment: "node",
          // PostgreSQL and Neon's proxy, for the api bundle's first request.
          globalSetup: ["functions/test/global-setup.ts"],
          setupFiles: ["functions/test/package-scope-cache.setup.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        plugins: [solid()],
        resolve: { conditions: ["development", "browser"] },
        test: {
          name: "web",
          include: ["web/src/**/*.test.{ts,tsx}"],
          environment: "jsdom",
          // The router ships JSX: compiled with the components rather than loaded by Node.
          server: { deps: { inline: [/@solidjs\/router/] } },
        },
      },
      {
        test: {
          name: "e2e",
          include: ["web/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["functions/test/global-setup.ts"],
          setupFiles: ["functions/test/package-scope-cache.setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
