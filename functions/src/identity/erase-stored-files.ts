import { AppError, type BlobStore } from "@crm-reco/core";
import { loadPipeline } from "../on-demand.ts";
import { foldText } from "@crm-reco/core/normalize/text";

/** Whom an erasure is about: their identifiers, and their names, that a bare number needs. */
export interface ErasedPerson {
  /** Customer codes, ids in sources, e-mails. */
  identifiers: string[];
  /** Last names and company names. */
  names: string[];
}

/**
 * The uploaded exports that name a person being erased, deleted: they are kept to show a file as
 * it was read and to try a mapping on it, and after an erasure nothing may name the person (the
 * import runs keep their counts and checksums; the preview falls back to the source's next
 * file). A row names them when one of its cells is one of their codes or e-mails, case aside, or
 * holds one of their e-mails ("Jean <jean@x.fr>, Marie <marie@x.fr>"), wherever it is: a
 * preamble, the header, a file of one column that could not be imported, any sheet of a
 * workbook. A code of digits only (an Odoo number, a numeric customer code) counts only beside
 * one of their names in the same row: alone, 2019 is as likely a vintage, 67100 a postcode, 17 a
 * quantity, and the file would go for nothing. Files that are no table (binary,
 * .xls, .ods) are left: nothing of them was imported. A file that cannot be read for another
 * reason (the store failing) fails the erasure, before anything is erased, to be asked again.
 */
export async function deleteFilesNaming(
  blobs: BlobStore,
  tenantId: string,
  person: ErasedPerson,
): Promise<string[]> {
  const keys = person.identifiers.map((k) => foldText(k)).filter((k) => k.length >= 2);
  const wanted: Wanted = {
    codes: new Set(keys.filter((k) => !/^\d+$/.test(k))),
    numbers: new Set(keys.filter((k) => /^\d{2,}$/.test(k))),
    names: person.names.map(words).filter((n) => n.trim() !== ""),
  };
  if (wanted.codes.size === 0 && wanted.numbers.size === 0) return [];
  // Files imported by the web app, the CLI and the demo; on AWS, the browser's direct uploads.
  const stored = [
    ...(await blobs.list(`${tenantId}/imports/`)),
    ...(await blobs.list(`uploads/${tenantId}/`)),
  ];
  // All read before any is deleted: a store failing part way leaves everything as it was.
  const naming: string[] = [];
  for (const blob of stored) if (await names(blobs, blob.key, wanted)) naming.push(blob.key);
  for (const key of naming) await blobs.delete(key);
  return naming;
}

interface Wanted {
  codes: Set<string>;
  numbers: Set<string>;
  /** Each name as `words` gives it: " de la tour ". */
  names: string[];
}

/** A text's words, space-separated and space-framed, to find a name in it as whole words. */
const words = (text: string) =>
  ` ${foldText(text)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()} `;
const EMAIL = /[^\s<>"',;:()[\]]+@[^\s<>"',;:()[\]]+/g;

function rowNames(cells: string[], wanted: Wanted): boolean {
  const folded = cells.map(foldText);
  if (folded.some((cell) => wanted.codes.has(cell))) return true;
  for (const cell of folded)
    if (cell.includes("@") && (cell.match(EMAIL) ?? []).some((e) => wanted.codes.has(e)))
      return true;
  if (!folded.some((cell) => wanted.numbers.has(cell))) return false;
  const text = words(cells.join(" "));
  return wanted.names.some((name) => text.includes(name));
}

async function names(blobs: BlobStore, key: string, wanted: Wanted): Promise<boolean> {
  const { cellsOfFile } = await loadPipeline();
  try {
    for await (const cells of cellsOfFile(await blobs.get(key)))
      if (rowNames(cells, wanted)) return true;
  } catch (error) {
    // An Excel file that cannot be opened: nothing of it could be imported.
    if (error instanceof AppError && error.code.startsWith("import.")) return false;
    throw error;
  }
  return false;
}
