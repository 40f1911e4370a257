/**
 * The towns each French postal code serves (La Poste / INSEE data from the `codes-postaux`
 * package), loaded on first use only: ~25 MB that imports without postal codes never pay for.
 */
let cached: Promise<(code: string) => readonly string[]> | undefined;

export function loadPostalTowns(): Promise<(code: string) => readonly string[]> {
  cached ??= import("codes-postaux").then(
    ({ default: codesPostaux }) =>
      (code: string) =>
        codesPostaux.find(code).flatMap((entry) => [entry.nomCommune, entry.libelleAcheminement]),
  );
  return cached;
}
