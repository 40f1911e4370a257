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

export const formatDate = (d: Date): string => d.toISOString().slice(0, 10);
