/**
 * Which records a sync page asks for. Pages are cut by keyset, never by offset: a record written
 * while we page moves to the end of the order and is read again later, instead of shifting the
 * pages under us and being skipped.
 *
 * Odoo stores `write_date` to the microsecond (the transaction's start) but reads it to the
 * second, so a page cannot say "after this record's write_date": `write_date > '10:00:00'` also
 * matches what was written at 10:00:00.4, and `=` matches nothing. A page starts at a whole second
 * instead, and when a full page ends inside a second (an import or a mass edit in Odoo writes
 * thousands of records in one transaction, all at one instant), the rest of that second is read
 * by id before the next second: a keyset on (second, id) in date order would skip a record of the
 * same second with a later instant but a lower id, and asking "after this second" again would
 * return the same page for ever.
 */
export type OdooDomain = unknown[];

export type Keyset =
  /** Everything before this second was read. */
  | { from: string }
  /** Inside this second: ids above `id`, and none of `seen` (read by the date page before). */
  | { second: string; id: number; seen: number[] };

/** Seconds re-read before the cursor: a transaction that started earlier may commit after we read. */
export const CURSOR_OVERLAP_SECONDS = 60;

export function pageDomain(base: OdooDomain, since: string | null, at: Keyset | null): OdooDomain {
  const domain: OdooDomain = [...base];
  if (since) domain.push(["write_date", ">=", since]);
  if (at && "from" in at) domain.push(["write_date", ">=", at.from]);
  if (at && "second" in at) {
    domain.push(
      ["write_date", ">=", at.second],
      ["write_date", "<", odooDatetimeMinus(at.second, -1)],
      ["id", ">", at.id],
    );
    if (at.seen.length > 0) domain.push(["id", "not in", at.seen]);
  }
  return domain;
}

/** A date page's order; the records of one second are read in `id asc`. */
export const PAGE_ORDER = "write_date asc, id asc";

/**
 * Where the page after `records` (a page of `pageSize`, read at `at`) starts, or null when the
 * model has been read to its end.
 */
export function nextKeyset(
  records: ReadonlyArray<{ id: number; write_date?: unknown }>,
  at: Keyset | null,
  pageSize: number,
): Keyset | null {
  const full = records.length >= pageSize;
  if (at && "second" in at) {
    // Reading one second by id: on to its next ids, else to the second after it.
    return full ? { ...at, id: records.at(-1)!.id } : { from: odooDatetimeMinus(at.second, -1) };
  }
  if (!full) return null;
  const second = records.at(-1)!.write_date;
  if (typeof second !== "string") return null; // Odoo always has one; nothing to page on without
  return {
    second,
    id: 0,
    seen: records.filter((r) => r.write_date === second).map((r) => r.id),
  };
}

/** An Odoo datetime (`YYYY-MM-DD HH:MM:SS`, UTC) moved back by some seconds, in the same format. */
export function odooDatetimeMinus(value: string, seconds: number): string {
  const instant = Date.parse(`${value.replace(" ", "T")}Z`);
  if (Number.isNaN(instant)) return value;
  return new Date(instant - seconds * 1000).toISOString().slice(0, 19).replace("T", " ");
}

/** The later of two Odoo datetimes (the format sorts as text). */
export const laterOf = (
  a: string | null | undefined,
  b: string | null | undefined,
): string | null => (!a ? (b ?? null) : !b ? a : a > b ? a : b);
