import type { BlobStore } from "@crm-reco/core";
import { loadPipeline } from "../on-demand.ts";

/**
 * The uploaded exports that name a person being erased, deleted: they are kept to show a file as
 * it was read and to try a mapping on it, and after an erasure nothing may name the person (the
 * import runs keep their counts and checksums; the preview falls back to the source's next
 * file). A file names them when one of its cells, or one word of a cell ("Jean <jean@x.fr>"),
 * is one of their identifiers (e-mail, customer code, an id in a source), case aside.
 * Files that cannot be read as a table are left: nothing of them could be imported.
 */
export async function deleteFilesNaming(
  blobs: BlobStore,
  tenantId: string,
  identifiers: string[],
): Promise<string[]> {
  const wanted = new Set(
    identifiers.map((k) => k.trim().toLowerCase()).filter((k) => k.length >= 2),
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
  const { openTable } = await loadPipeline();
  let table: Awaited<ReturnType<typeof openTable>>;
  try {
    table = await openTable(await blobs.get(key));
  } catch {
    return false;
  }
  const isWanted = (cell: string) => {
    const text = cell.trim().toLowerCase();
    return wanted.has(text) || text.split(/[\s;,<>"'()[\]]+/).some((word) => wanted.has(word));
  };
  try {
    for await (const row of table.rows)
      if (row.cells.some(isWanted) || row.values.some(isWanted)) return true;
  } catch {
    return false; // a file that fails part way was refused at import from there on
  }
  return false;
}
