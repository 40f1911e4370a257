/** A clock that only moves when a test moves it, so write_date values are predictable. */
export interface FakeClock {
  now(): Date;
  set(d: Date): void;
  advance(seconds: number): void;
}

export function createFakeClock(start: Date): FakeClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (d) => {
      current = d.getTime();
    },
    advance: (seconds) => {
      current += seconds * 1000;
    },
  };
}

/** Odoo's Datetime.to_string: UTC, to the second (so several writes can share a write_date). */
export const formatDatetime = (d: Date): string => d.toISOString().slice(0, 19).replace("T", " ");

/**
 * What Odoo's database holds in `create_date` and `write_date`: the transaction's start to the
 * microsecond (PostgreSQL's `now()`), which `read` then gives to the second.
 */
export const formatPreciseDatetime = (d: Date): string =>
  `${d.toISOString().slice(0, 23).replace("T", " ")}000`;

/** A datetime as PostgreSQL compares it: to the microsecond, "10:00:00" being "10:00:00.000000". */
export const comparableDatetime = (value: string): string =>
  value.length === 19 ? `${value}.000000` : value;

export const formatDate = (d: Date): string => d.toISOString().slice(0, 10);
