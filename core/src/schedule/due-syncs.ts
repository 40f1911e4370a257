import { CronExpressionParser } from "cron-parser";
import { AppError } from "../errors/app-error.ts";

/** What the scheduler knows of one source with a schedule. */
export interface SourceSchedule {
  sourceId: string;
  tenantId: string;
  /** A cron expression (five fields, or six with seconds), read in `timeZone`. */
  cron: string;
  /** An IANA time zone: "0 3 * * *" means 3 a.m. at the estate, summer and winter. */
  timeZone: string;
  /** When the source was registered: a schedule never fires for a time before it existed. */
  since: Date;
  /** The slot of the last sync the scheduler enqueued for this source; null if none yet. */
  lastSlot: Date | null;
  /** A sync of this source is queued or running. */
  busy: boolean;
}

export interface DueSync {
  sourceId: string;
  tenantId: string;
  /** The occurrence this sync is for: with the source, the key that makes enqueuing idempotent. */
  slot: Date;
}

export interface ScheduleProblem {
  sourceId: string;
  tenantId: string;
  cron: string;
  message: string;
}

/**
 * The latest occurrence of `cron` in `timeZone` at or before `now`, or null when it has none.
 * Throws `schedule.invalid` for an expression or a time zone that cannot be read.
 */
export function latestSlot(cron: string, timeZone: string, now: Date): Date | null {
  // cron-parser reads an empty expression as "every minute": a blank schedule is a mistake.
  if (cron.trim() === "")
    throw new AppError("schedule.invalid", "The schedule is empty.", { cron, timeZone });
  try {
    // prev() is strictly before its start: start a millisecond later so `now` itself counts.
    const expression = CronExpressionParser.parse(cron, {
      currentDate: new Date(now.getTime() + 1),
      tz: timeZone,
    });
    return expression.hasPrev() ? expression.prev().toDate() : null;
  } catch (error) {
    throw new AppError(
      "schedule.invalid",
      `"${cron}" in ${timeZone} is not a schedule this app can read: ${(error as Error).message}.`,
      { cron, timeZone },
    );
  }
}

/**
 * Which scheduled syncs to enqueue at `now`. Rules:
 * - a source is due when the latest occurrence of its schedule at or before `now` is later than
 *   both its last scheduled slot and the moment it was registered;
 * - occurrences missed while nothing ran (the server was down) make one sync, for the latest;
 * - a source whose sync is still queued or running is not due: syncs do not pile up, and the slot
 *   is caught up once that sync has ended;
 * - an expression or time zone that cannot be read is reported, never thrown, so one bad source
 *   does not stop the others.
 * Results are ordered by tenant then source, so repeated runs read alike.
 */
export function dueSyncs(
  schedules: readonly SourceSchedule[],
  now: Date,
): { due: DueSync[]; invalid: ScheduleProblem[] } {
  const due: DueSync[] = [];
  const invalid: ScheduleProblem[] = [];
  const ordered = [...schedules].sort(
    (a, b) => compare(a.tenantId, b.tenantId) || compare(a.sourceId, b.sourceId),
  );
  for (const source of ordered) {
    let slot: Date | null;
    try {
      slot = latestSlot(source.cron, source.timeZone, now);
    } catch (error) {
      const { sourceId, tenantId, cron } = source;
      invalid.push({ sourceId, tenantId, cron, message: (error as Error).message });
      continue;
    }
    if (!slot || source.busy) continue;
    const floor = Math.max(source.since.getTime(), source.lastSlot?.getTime() ?? -Infinity);
    if (slot.getTime() > floor)
      due.push({ sourceId: source.sourceId, tenantId: source.tenantId, slot });
  }
  return { due, invalid };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
