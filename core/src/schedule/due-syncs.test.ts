import { CronExpressionParser } from "cron-parser";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dueSyncs, latestSlot, type SourceSchedule } from "./due-syncs.ts";

const at = (iso: string) => new Date(iso);
const source = (overrides: Partial<SourceSchedule> = {}): SourceSchedule => ({
  sourceId: "s1",
  tenantId: "t1",
  cron: "0 3 * * *",
  timeZone: "UTC",
  since: at("2026-01-01T00:00:00Z"),
  lastSlot: null,
  busy: false,
  ...overrides,
});
const slotOf = (s: SourceSchedule, now: string) =>
  dueSyncs([s], at(now)).due.map((d) => d.slot.toISOString())[0] ?? null;

describe("dueSyncs", () => {
  it.each([
    ["never run: today's 3 a.m.", source(), "2026-11-25T10:00:00Z", "2026-11-25T03:00:00.000Z"],
    [
      "already enqueued for today",
      source({ lastSlot: at("2026-11-25T03:00:00Z") }),
      "2026-11-25T10:00:00Z",
      null,
    ],
    [
      "yesterday's done, today's due",
      source({ lastSlot: at("2026-11-24T03:00:00Z") }),
      "2026-11-25T10:00:00Z",
      "2026-11-25T03:00:00.000Z",
    ],
    [
      "five days down: one sync, for the latest slot",
      source({ lastSlot: at("2026-11-20T03:00:00Z") }),
      "2026-11-25T10:00:00Z",
      "2026-11-25T03:00:00.000Z",
    ],
    [
      "registered after today's slot: waits for tomorrow",
      source({ since: at("2026-11-25T09:00:00Z") }),
      "2026-11-25T10:00:00Z",
      null,
    ],
    [
      "registered just before the slot",
      source({ since: at("2026-11-25T02:59:00Z") }),
      "2026-11-25T10:00:00Z",
      "2026-11-25T03:00:00.000Z",
    ],
    ["a sync still queued or running", source({ busy: true }), "2026-11-25T10:00:00Z", null],
    [
      "exactly on the slot",
      source({ lastSlot: at("2026-11-24T03:00:00Z") }),
      "2026-11-25T03:00:00.000Z",
      "2026-11-25T03:00:00.000Z",
    ],
    [
      "a millisecond before the slot",
      source({ lastSlot: at("2026-11-24T03:00:00Z") }),
      "2026-11-25T02:59:59.999Z",
      null,
    ],
    [
      "3 a.m. in Paris in winter is 2 a.m. UTC",
      source({ timeZone: "Europe/Paris" }),
      "2026-11-25T10:00:00Z",
      "2026-11-25T02:00:00.000Z",
    ],
    [
      "3 a.m. in Paris in summer is 1 a.m. UTC",
      source({ timeZone: "Europe/Paris" }),
      "2026-07-01T10:00:00Z",
      "2026-07-01T01:00:00.000Z",
    ],
    [
      "every quarter of an hour",
      source({ cron: "*/15 * * * *", lastSlot: at("2026-11-25T09:45:00Z") }),
      "2026-11-25T10:07:00Z",
      "2026-11-25T10:00:00.000Z",
    ],
    [
      "weekdays only, on a Sunday: Friday's slot if it was missed",
      source({ cron: "0 6 * * 1-5", lastSlot: at("2026-11-26T06:00:00Z") }),
      "2026-11-29T12:00:00Z",
      "2026-11-27T06:00:00.000Z",
    ],
    [
      "a leap day's schedule, last met before the source existed",
      source({ cron: "0 0 29 2 *" }),
      "2026-11-25T10:00:00Z",
      null,
    ],
  ])("%s", (_title, s, now, expected) => expect(slotOf(s, now)).toBe(expected));

  it.each([
    ["", "UTC"],
    ["   ", "UTC"],
    ["nonsense", "UTC"],
    ["61 * * * *", "UTC"],
    ["0 0 31 2 *", "UTC"],
    ["0 3 * * *", "Mars/Olympus_Mons"],
  ])("reports %j in %s as invalid and still schedules the others", (cron, timeZone) => {
    const result = dueSyncs(
      [source({ sourceId: "bad", cron, timeZone }), source({ sourceId: "good" })],
      at("2026-11-25T10:00:00Z"),
    );
    expect(result.due.map((d) => d.sourceId)).toEqual(["good"]);
    expect(result.invalid).toEqual([
      { sourceId: "bad", tenantId: "t1", cron, message: expect.stringMatching(/schedule/i) },
    ]);
  });

  it("orders what is due by tenant, then source", () => {
    const result = dueSyncs(
      [
        source({ tenantId: "t2", sourceId: "a" }),
        source({ tenantId: "t1", sourceId: "b" }),
        source({ tenantId: "t1", sourceId: "a" }),
      ],
      at("2026-11-25T10:00:00Z"),
    );
    expect(result.due.map((d) => `${d.tenantId}/${d.sourceId}`)).toEqual(["t1/a", "t1/b", "t2/a"]);
  });
});

describe("latestSlot", () => {
  it.each([
    ["0 3 * * *", "UTC", "2026-11-25T10:00:00Z", "2026-11-25T03:00:00.000Z"],
    ["0 3 * * *", "UTC", "2026-11-25T02:00:00Z", "2026-11-24T03:00:00.000Z"],
    ["30 * * * *", "Asia/Kolkata", "2026-11-25T10:10:00Z", "2026-11-25T10:00:00.000Z"],
    ["@daily", "UTC", "2026-11-25T10:00:00Z", "2026-11-25T00:00:00.000Z"],
  ])("%s in %s at %s is %s", (cron, timeZone, now, expected) =>
    expect(latestSlot(cron, timeZone, at(now))?.toISOString()).toBe(expected),
  );

  it("throws schedule.invalid for what it cannot read", () =>
    expect(() => latestSlot("every day", "UTC", at("2026-11-25T10:00:00Z"))).toThrow(
      expect.objectContaining({ code: "schedule.invalid" }),
    ));
});

// Schedules like the ones people write, in zones with and without summer time or whole hours.
const arbitraryCron = fc
  .tuple(
    fc.oneof(
      fc.constant("*"),
      fc.integer({ min: 1, max: 30 }).map((k) => `*/${k}`),
      fc.integer({ min: 0, max: 59 }).map(String),
    ),
    fc.oneof(
      fc.constant("*"),
      fc.integer({ min: 1, max: 6 }).map((k) => `*/${k}`),
      fc.integer({ min: 0, max: 23 }).map(String),
    ),
    fc.constantFrom("*", "1-5", "0,6"),
  )
  .map(([minute, hour, weekday]) => `${minute} ${hour} * * ${weekday}`);
const arbitraryZone = fc.constantFrom("UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata");
// Minutes in 2026, over both summer-time changes in Europe and in the United States.
const arbitraryMinute = fc
  .integer({ min: 0, max: 365 * 24 * 60 })
  .map((m) => new Date(Date.UTC(2026, 0, 1) + m * 60_000));

/** Every occurrence in (from, to], by the library's own forward walk. */
function occurrences(cron: string, timeZone: string, from: Date, to: Date): string[] {
  const expression = CronExpressionParser.parse(cron, { currentDate: from, tz: timeZone });
  const out: string[] = [];
  for (let next = expression.next().toDate(); next <= to; next = expression.next().toDate())
    out.push(next.toISOString());
  return out;
}

/** The scheduler ticking at each of `ticks`, remembering what it enqueued as the jobs table does. */
function simulate(cron: string, timeZone: string, since: Date, ticks: Date[]): string[] {
  const enqueued: string[] = [];
  let lastSlot: Date | null = null;
  for (const now of ticks) {
    const { due } = dueSyncs([source({ cron, timeZone, since, lastSlot })], now);
    for (const d of due) {
      enqueued.push(d.slot.toISOString());
      lastSlot = d.slot;
    }
  }
  return enqueued;
}

// cron-parser takes a fraction of a millisecond per tick: generous limits for a busy machine.
describe("dueSyncs, properties", () => {
  it("ticking every minute enqueues every occurrence after registration, each exactly once", () => {
    fc.assert(
      fc.property(
        arbitraryCron,
        arbitraryZone,
        arbitraryMinute,
        fc.integer({ min: 1, max: 3 * 60 }),
        (cron, timeZone, since, minutes) => {
          const ticks = Array.from(
            { length: minutes },
            (_, i) => new Date(since.getTime() + (i + 1) * 60_000),
          );
          expect(simulate(cron, timeZone, since, ticks)).toEqual(
            occurrences(cron, timeZone, since, ticks.at(-1)!),
          );
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);

  it("with ticks missed, never enqueues a slot twice, out of order, early, or before registration", () => {
    fc.assert(
      fc.property(
        arbitraryCron,
        arbitraryZone,
        arbitraryMinute,
        fc.array(fc.integer({ min: 1, max: 24 * 60 }), { minLength: 1, maxLength: 20 }),
        (cron, timeZone, since, gaps) => {
          let t = since.getTime();
          const ticks = gaps.map((gap) => new Date((t += gap * 60_000)));
          const enqueued = simulate(cron, timeZone, since, ticks);
          expect(new Set(enqueued).size).toBe(enqueued.length);
          expect([...enqueued].sort()).toEqual(enqueued);
          // Each one is an occurrence (its own latest slot), after registration.
          for (const slot of enqueued) {
            expect(latestSlot(cron, timeZone, new Date(slot))?.toISOString()).toBe(slot);
            expect(new Date(slot) > since).toBe(true);
          }
          // At most one sync per tick, and the latest occurrence is never left behind.
          expect(enqueued.length).toBeLessThanOrEqual(ticks.length);
          const last = latestSlot(cron, timeZone, ticks.at(-1)!);
          if (last && last > since) expect(enqueued.at(-1)).toBe(last.toISOString());
        },
      ),
      { numRuns: 40 },
    );
  }, 60_000);

  it("is idempotent: once its slot is recorded, a source is not due again at the same time", () => {
    fc.assert(
      fc.property(arbitraryCron, arbitraryZone, arbitraryMinute, (cron, timeZone, now) => {
        const s = source({ cron, timeZone, since: new Date(now.getTime() - 30 * 86_400_000) });
        const [first] = dueSyncs([s], now).due;
        if (!first) return;
        expect(dueSyncs([{ ...s, lastSlot: first.slot }], now).due).toEqual([]);
        expect(first.slot.getTime()).toBeLessThanOrEqual(now.getTime());
      }),
    );
  });
});
