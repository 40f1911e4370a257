import type { CanonicalRecord } from "@crm-reco/core";

export interface BatchCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export const addCounts = (a: BatchCounts, b: BatchCounts): BatchCounts => ({
  inserted: a.inserted + b.inserted,
  updated: a.updated + b.updated,
  unchanged: a.unchanged + b.unchanged,
});

/**
 * Splits a batch so that no natural key repeats inside a part: a file that lists the same
 * customer twice is applied in order (the second row updates the first), as a person reading
 * it top to bottom would expect, and one statement never touches a row twice. Rows of different
 * keys keep their order too: for records whose writes depend on one another across keys (order
 * lines share their order's header). Where rows touch only their own record, `layers` does the
 * same in far fewer parts.
 */
export function splitOnRepeatedKeys(
  records: CanonicalRecord[],
  keyOf: (record: CanonicalRecord) => string,
): CanonicalRecord[][] {
  const parts: CanonicalRecord[][] = [[]];
  let seen = new Set<string>();
  for (const record of records) {
    const key = keyOf(record);
    if (seen.has(key)) {
      parts.push([]);
      seen = new Set();
    }
    seen.add(key);
    parts[parts.length - 1]!.push(record);
  }
  return parts.filter((part) => part.length > 0);
}

/**
 * Keeps each key's last row, in the place of its first. A file that repeats a customer (an
 * export with a row per order) describes the customer as its last row does: applied one by one,
 * each earlier row was written and then overwritten, and importing the same file again flipped
 * every such customer back and forth, reporting updates where nothing had changed. The earlier
 * rows change nothing that stays, so they are counted as unchanged (`superseded`). For records
 * whose write touches only their own row (customers, products); order lines share their
 * order's header and keep `splitOnRepeatedKeys`.
 */
export function lastOfEachKey(
  records: CanonicalRecord[],
  keyOf: (record: CanonicalRecord) => string,
): { records: CanonicalRecord[]; superseded: number } {
  const last = new Map<string, CanonicalRecord>();
  for (const record of records) last.set(keyOf(record), record); // a Map keeps first-set order
  return { records: [...last.values()], superseded: records.length - last.size };
}
