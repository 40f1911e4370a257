import { type SQL, sql } from "drizzle-orm";

// Accented letters and their plain ones, both cases: PGlite's lower() leaves "É" as it is.
const ACCENTED = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸ";
const PLAIN = "aaaaaaceeeeiiiinooooouuuuyyAAAAAACEEEEIIIINOOOOOUUUUYY";

/**
 * Text as searched: lower-case, ligatures spelt out (œ as in "oenologie"), and the accented
 * letters the database folds (below) without their accents, so that both sides read alike; other
 * letters ("ř", "ł") stay as typed, matched as they are stored.
 */
export const searchFold = (text: string): string => {
  let folded = "";
  for (const char of text.normalize("NFC").replace(/[œŒ]/g, "oe").replace(/[æÆ]/g, "ae")) {
    const at = ACCENTED.indexOf(char);
    folded += at >= 0 ? PLAIN[at]! : char;
  }
  return folded.toLowerCase();
};

/**
 * The text without the accents of `ACCENTED`, in SQL (no `unaccent`: it is an extension PGlite
 * and a managed server may not have).
 */
export const withoutAccentsSql = (expr: SQL) => sql`translate(${expr}, ${ACCENTED}, ${PLAIN})`;

/** `searchFold` in SQL, for the database's side of a search. */
const foldSql = (expr: SQL) =>
  sql`lower(${withoutAccentsSql(sql`replace(replace(replace(replace(${expr}, 'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae')`)})`;

const escapeLike = (word: string) => word.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A query that is a phone number as people type one: "06 12 34 56 78", "+33 6.12.34.56.78". */
const phoneDigits = (query: string): string | null => {
  if (!/^[\d\s.+()/-]+$/.test(query)) return null;
  // Stored numbers are international (+33612345678): a national 0, or the 00 of an
  // international prefix, is left out of the match.
  const digits = query.replace(/\D/g, "").replace(/^00?/, "");
  return digits.length >= 6 ? digits : null;
};

/**
 * Rows whose fields hold every word of the query, in any order, accents and case aside
 * ("francoise robert" finds "ROBERT Françoise"); with `phones`, a query that is a number finds
 * it however it is written. `null` for an empty query.
 */
export function matchesQuery(query: string, fields: SQL[], phones: SQL[] = []): SQL | null {
  const words = searchFold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const haystack = foldSql(sql`concat_ws(' ', ${sql.join(fields, sql`, `)})`);
  const allWords = sql.join(
    words.map((w) => sql`${haystack} like ${`%${escapeLike(w)}%`}`),
    sql` and `,
  );
  const digits = phones.length > 0 ? phoneDigits(query) : null;
  if (digits === null) return sql`(${allWords})`;
  // Each number on its own: a match must not run from the end of one into the next.
  const numbers = phones.map(
    (phone) => sql`regexp_replace(coalesce(${phone}, ''), '[^0-9]', '', 'g') like ${`%${digits}%`}`,
  );
  return sql`((${allWords}) or ${sql.join(numbers, sql` or `)})`;
}
