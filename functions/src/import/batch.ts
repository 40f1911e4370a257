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
 * it top to bottom would expect, and one statement never touches a row twice.
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
