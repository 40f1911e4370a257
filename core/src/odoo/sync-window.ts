/**
 * Which records a sync page asks for. Pages are cut by keyset on (write_date, id), never by
 * offset: a record written while we page moves to the end of the order and is read again later,
 * instead of shifting the pages under us and being skipped.
 */
export type OdooDomain = unknown[];

export interface Keyset {
  writeDate: string;
  id: number;
}

/** Seconds re-read before the cursor: a transaction that started earlier may commit after we read. */
export const CURSOR_OVERLAP_SECONDS = 60;

export function pageDomain(
  base: OdooDomain,
  since: string | null,
  after: Keyset | null,
): OdooDomain {
  const domain: OdooDomain = [...base];
  if (since) domain.push(["write_date", ">=", since]);
  if (after)
    domain.push(
      "|",
      ["write_date", ">", after.writeDate],
      "&",
      ["write_date", "=", after.writeDate],
      ["id", ">", after.id],
    );
  return domain;
}

export const PAGE_ORDER = "write_date asc, id asc";

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
