/**
 * Fields the import's normalisation (core's `normalizeRecord`) turns into others: a full name is
 * split into civility, first and last name. The record then no longer has the original field,
 * and the preview would call the value empty although the import keeps what it became. (A mobile
 * is kept as itself, beside the phone it may also become: it needs no entry.)
 */
const MADE_INTO: Partial<Record<string, readonly string[]>> = {
  full_name: ["civility", "first_name", "last_name"],
};

/**
 * What `field` became in the normalised record, as [field, value] pairs; empty when the record
 * keeps the field itself or it became nothing. A field with a column of its own is left out: its
 * value came (at least partly) from that column, which shows it.
 */
export function madeInto(
  field: string,
  normalized: Record<string, unknown> | null | undefined,
  mapped: ReadonlySet<string>,
): Array<[string, unknown]> {
  if (!normalized || field in normalized) return [];
  return (MADE_INTO[field] ?? [])
    .filter((f) => !mapped.has(f))
    .map((f): [string, unknown] => [f, normalized[f]])
    .filter(([, value]) => value !== null && value !== undefined && value !== "");
}
