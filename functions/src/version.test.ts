import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { appVersion } from "./version.ts";

it("reports the version of the root package", () => {
  const { version } = JSON.parse(
    readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
  ) as { version: string };
  expect(appVersion).toBe(version);
});
