import { type SQL, sql } from "drizzle-orm";

// Accented letters and their plain ones, both cases: PGlite's lower() leaves "É" as it is.
const ACCENTED = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸ";
const PLAIN = "aaaaaaceeeeiiiinooooouuuuyyAAAAAACEEEEIIIINOOOOOUUUUYY";

/** Text as searched: lower-case, without accents, ligatures spelt out (œ as in "oenologie"). */
export const foldText = (text: string): string =>
  text
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae");

/** `foldText` in SQL, for the database's side of a search. */
const foldSql = (expr: SQL) =>
  sql`lower(translate(replace(replace(replace(replace(${expr}, 'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae'), ${ACCENTED}, ${PLAIN}))`;

const escapeLike = (word: string) => word.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A query that is a phone number as people type one: "06 12 34 56 78", "+33 6.12.34.56.78". */
const phoneDigits = (query: string): string | null => {
  if (!/^[\d\s.+()/-]+$/.test(query)) return null;
  const digits = query.replace(/\D/g, "");
  // Stored numbers are international (+33612345678): the national 0 is left out of the match.
  return digits.length >= 6 ? digits.replace(/^0+/, "") : null;
};

/**
 * Rows whose fields hold every word of the query, in any order, accents and case aside
 * ("francoise robert" finds "ROBERT Françoise"); with `phones`, a query that is a number finds
 * it however it is written. `null` for an empty query.
 */
export function matchesQuery(query: string, fields: SQL[], phones: SQL[] = []): SQL | null {
  const words = foldText(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const haystack = foldSql(sql`concat_ws(' ', ${sql.join(fields, sql`, `)})`);
  const allWords = sql.join(
    words.map((w) => sql`${haystack} like ${`%${escapeLike(w)}%`}`),
    sql` and `,
  );
  const digits = phones.length > 0 ? phoneDigits(query) : null;
  if (digits === null) return sql`(${allWords})`;
  const numbers = sql`regexp_replace(concat_ws(' ', ${sql.join(phones, sql`, `)}), '[^0-9]', '', 'g')`;
  return sql`((${allWords}) or ${numbers} like ${`%${digits}%`})`;
}
