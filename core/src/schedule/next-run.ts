import { CronExpressionParser } from "cron-parser";
import { AppError } from "../errors/app-error.ts";

/**
 * The first occurrence of `cron` in `timeZone` strictly after `now`, or null when it has none.
 * Throws `schedule.invalid`, in plain language, for a blank or unreadable expression or an
 * unknown time zone: what an admin typing a schedule needs to read before it is saved.
 */
export function nextRun(cron: string, timeZone: string, now: Date): Date | null {
  // cron-parser reads an empty expression as "every minute": a blank schedule is a mistake.
  if (cron.trim() === "")
    throw new AppError("schedule.invalid", "The schedule is empty.", { cron, timeZone });
  if (cron.trim().split(/\s+/).length < 5)
    throw new AppError(
      "schedule.invalid",
      `"${cron}" is not a schedule: a cron expression has five fields (minute hour day month weekday), e.g. "0 2 * * *" for every night at 2 a.m.`,
      { cron, timeZone },
    );
  try {
    const expression = CronExpressionParser.parse(cron, { currentDate: now, tz: timeZone });
    return expression.hasNext() ? expression.next().toDate() : null;
  } catch (error) {
    throw new AppError(
      "schedule.invalid",
      `"${cron}" is not a schedule this app can read (${(error as Error).message}). A cron expression has five fields (minute hour day month weekday), e.g. "0 2 * * *" for every night at 2 a.m.`,
      { cron, timeZone },
    );
  }
}
