import { describe, expect, it } from "vitest";
import { isAppError } from "../errors/app-error.ts";
import { nextRun } from "./next-run.ts";

describe("nextRun", () => {
  it.each([
    // 20:30 UTC in winter is 21:30 in Paris: the next 2 a.m. is 01:00 UTC the next day.
    ["0 2 * * *", "Europe/Paris", "2026-12-01T20:30:00Z", "2026-12-02T01:00:00.000Z"],
    // Summer time: 2 a.m. in Paris is midnight UTC.
    ["0 2 * * *", "Europe/Paris", "2026-07-01T20:30:00Z", "2026-07-02T00:00:00.000Z"],
    ["0 * * * *", "Europe/Paris", "2026-12-01T20:30:00Z", "2026-12-01T21:00:00.000Z"],
    // Strictly after: a run due right now is not the next one.
    ["0 * * * *", "UTC", "2026-12-01T21:00:00Z", "2026-12-01T22:00:00.000Z"],
  ])("%s in %s after %s is %s", (cron, zone, now, expected) => {
    expect(nextRun(cron, zone, new Date(now))?.toISOString()).toBe(expected);
  });

  it.each([[""], ["   "], ["tous les soirs"], ["0 2 * *"], ["61 2 * * *"], ["0 25 * * *"]])(
    "refuses %j in plain language",
    (cron) => {
      try {
        nextRun(cron, "Europe/Paris", new Date("2026-12-01T00:00:00Z"));
        expect.unreachable();
      } catch (error) {
        expect(isAppError(error) && error.code).toBe("schedule.invalid");
        expect((error as Error).message).toMatch(/schedule/);
      }
    },
  );

  it("refuses an unknown time zone", () => {
    expect(() => nextRun("0 2 * * *", "Mars/Olympus", new Date())).toThrow(/schedule/);
  });
});
