import { type SQL, sql } from "drizzle-orm";
import { arrayParam } from "../adapters/db/database.ts";
import type { ErasedPerson } from "./erase-stored-files.ts";
import { withoutAccents } from "@crm-reco/core/normalize/text";
import { withoutAccentsSql } from "../repos/text-search.ts";

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A whole field of the raw line (between separators or quotes), not a substring: K1 ≠ K10. */
const field = (text: string) => `(^|[;,\t|"])${escape(text)}($|[;,\t|"])`;
/** An e-mail wherever it stands: "Jean <jean@x.fr>", "a@x.fr, jean@x.fr", mailto:jean@x.fr. */
const address = (email: string) =>
  `(^|[^[:alnum:]._%+-])${escape(email)}($|[^[:alnum:]_-]|\\.($|[^[:alnum:]]))`;
const word = (name: string) => `(^|[^[:alpha:]])${escape(name)}($|[^[:alpha:]])`;

/**
 * A condition on a raw line (of a rejected row) that names the person: by the rules of
 * `deleteFilesNaming`, one of their codes as a field or one of their e-mails anywhere; a code of
 * digits only beside one of their names (a vintage of 2019 or a postcode of 67100 alone is no
 * one).
 */
export function rawLineNames(person: ErasedPerson, raw: SQL): SQL {
  const ids = person.identifiers.map((k) => k.trim()).filter((k) => k.length >= 2);
  const strong = [
    ...ids.filter((k) => !/^\d+$/.test(k) && !k.includes("@")).map(field),
    ...ids.filter((k) => k.includes("@")).map(address),
  ];
  const numbers = ids.filter((k) => /^\d{2,}$/.test(k)).map(field);
  const names = person.names
    .map((n) => withoutAccents(n.trim()))
    .filter((n) => n.length >= 2)
    .map(word);
  const some = (text: SQL, patterns: string[]) =>
    patterns.length === 0 ? sql`false` : sql`${text} ~* any(${arrayParam(patterns, "text")})`;
  // Names are compared without accents, as in files: "LEFEVRE" is Lefèvre.
  const plain = withoutAccentsSql(raw);
  return sql`(${some(raw, strong)} or (${some(raw, numbers)} and ${some(plain, names)}))`;
}
