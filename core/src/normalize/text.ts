/** Trimmed, with runs of spaces (including no-break spaces) collapsed to one. */
export const collapseSpaces = (text: string): string =>
  text.replace(/[\s\u00a0\u202f]+/g, " ").trim();

/** The text without its accents: "Lefèvre" → "Lefevre", "Gewürztraminer" → "Gewurztraminer". */
export const withoutAccents = (text: string): string =>
  text.normalize("NFD").replace(/\p{M}/gu, "");

/**
 * The text as staff compare it: accents, case and spacing aside ("LEFÈVRE  Anne" and
 * "lefevre anne" are one). Every comparison of names, labels and places goes through it, so
 * that two screens never disagree on what is the same.
 */
export const foldText = (text: string): string =>
  // Lower case first: "İ" lowers to "i" and a combining dot, which the accents then take.
  collapseSpaces(withoutAccents(text.toLowerCase()));

const LOWER_PARTICLES = new Set([
  "de",
  "du",
  "des",
  "la",
  "le",
  "les",
  "d",
  "l",
  "et",
  "en",
  "sur",
  "sous",
  "von",
  "van",
  "der",
  "di",
  "da",
]);

/**
 * Title case as French names and places are written: each word capitalised, hyphenated parts
 * too (`Jean-Pierre`, `Saint-Émilion`), particles in lower case inside the text
 * (`Château de la Tour`), apostrophes kept (`d'Alsace`, `O'Neil`).
 */
export function titleCase(text: string): string {
  const words = collapseSpaces(text).toLocaleLowerCase("fr").split(" ");
  return words
    .map((word, i) =>
      word
        .split("-")
        .map((part) =>
          part
            .split("'")
            .map((piece, j, pieces) => {
              const particle = LOWER_PARTICLES.has(piece) && (i > 0 || j < pieces.length - 1);
              return particle ? piece : piece.charAt(0).toLocaleUpperCase("fr") + piece.slice(1);
            })
            .join("'"),
        )
        .join("-"),
    )
    .join(" ");
}

export function changeCase(text: string, to: "upper" | "lower" | "title"): string {
  if (to === "upper") return collapseSpaces(text).toLocaleUpperCase("fr");
  if (to === "lower") return collapseSpaces(text).toLocaleLowerCase("fr");
  return titleCase(text);
}
