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
 * Splits a batch so that no natural key repeats inside a part, keeping the rows' order: one
 * statement never touches a row twice, and records whose writes depend on one another across
 * keys (order lines share their order's header) are applied as a person reading the file would.
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
 * Keeps each key's last row, in the place of its first, for records whose write touches only
 * their own row (customers, products). A file import already writes only each key's last row
 * (`createLastRowFinder`); this guards any other source that sends one record twice in a batch
 * (an Odoo page read again while records change), where one statement would otherwise insert
 * the same identity twice. The earlier rows change nothing that stays: counted unchanged.
 */
export function lastOfEachKey(
  records: CanonicalRecord[],
  keyOf: (record: CanonicalRecord) => string,
): { records: CanonicalRecord[]; superseded: number } {
  const last = new Map<string, CanonicalRecord>();
  for (const record of records) last.set(keyOf(record), record); // a Map keeps first-set order
  return { records: [...last.values()], superseded: records.length - last.size };
}
