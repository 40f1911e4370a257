/**
 * Below this, a suggested column is worth a second look: a fuzzy name match, not a saved
 * mapping, an exact header or a synonym. The mapping editor marks it, and an import made with
 * it says so.
 */
export const LOW_CONFIDENCE = 0.9;

/** The fields an import's mapping guessed with low confidence, the least sure first. */
export function uncertainFields(
  suggestions: readonly { field: string; column: string; confidence: number }[],
): { field: string; column: string; confidence: number }[] {
  return suggestions
    .filter((s) => s.confidence < LOW_CONFIDENCE)
    .map(({ field, column, confidence }) => ({ field, column, confidence }))
    .sort((a, b) => a.confidence - b.confidence || a.field.localeCompare(b.field));
}
