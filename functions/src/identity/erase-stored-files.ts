import type { BlobStore } from "@crm-reco/core";
import { loadPipeline } from "../on-demand.ts";

/**
 * The uploaded exports that name a person being erased, deleted: they are kept to show a file as
 * it was read and to try a mapping on it, and after an erasure nothing may name the person (the
 * import runs keep their counts and checksums; the preview falls back to the source's next
 * file). A file names them when one of its cells is one of their identifiers (a customer code,
 * an id in a source, an e-mail), case aside, or, for an e-mail, one word of a cell ("Jean
 * <jean@x.fr>"), wherever it is: a preamble, the header, a file of one column that could not be
 * imported, any sheet of a workbook. An id of fewer than four digits is no identifier here: "17"
 * is as likely a quantity of a sales file as someone's Odoo number, and the file would go for
 * nothing. Files that are no table (binary, .xls, .ods) are left: nothing of them was imported.
 */
export async function deleteFilesNaming(
  blobs: BlobStore,
  tenantId: string,
  identifiers: string[],
): Promise<string[]> {
  const wanted = new Set(
    identifiers
      .map((k) => k.trim().toLowerCase())
      .filter((k) => k.length >= 2 && !/^\d{1,3}$/.test(k)),
  );
  if (wanted.size === 0) return [];
  const deleted: string[] = [];
  // Files imported by the web app, the CLI and the demo; on AWS, the browser's direct uploads.
  const stored = [
    ...(await blobs.list(`${tenantId}/imports/`)),
    ...(await blobs.list(`uploads/${tenantId}/`)),
  ];
  for (const blob of stored)
    if (await names(blobs, blob.key, wanted)) {
      await blobs.delete(blob.key);
      deleted.push(blob.key);
    }
  return deleted;
}

async function names(blobs: BlobStore, key: string, wanted: Set<string>): Promise<boolean> {
  const { cellsOfFile } = await loadPipeline();
  const isWanted = (cell: string) => {
    const text = cell.toLowerCase();
    return (
      wanted.has(text) ||
      (text.includes("@") &&
        text.split(/[\s<>'()[\]]+/).some((word) => word.includes("@") && wanted.has(word)))
    );
  };
  try {
    for await (const cells of cellsOfFile(await blobs.get(key)))
      if (cells.some(isWanted)) return true;
  } catch {
    return false; // an Excel file that cannot be opened: nothing of it could be imported
  }
  return false;
}
