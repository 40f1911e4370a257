import type { CanonicalRecord } from "./build-record.ts";

const RECENT_DOCUMENTS = 10_000;

/**
 * The key of an order line within its document: its line number when the file gives one;
 * otherwise the product's sku and its occurrence in the document (`CRE-21#1`, `CRE-21#2`), so two
 * lines of the same wine in one invoice stay two lines. Exports list a document's lines together,
 * so occurrences are counted over the most recent 10,000 documents, in constant memory.
 *
 * `productKey` is the sku-and-occurrence key whatever the file gives: a file that gained (or lost)
 * its line numbers since an earlier import names the same lines by it.
 */
export function createLineKeyer() {
  const occurrences = new Map<string, Map<string, number>>();
  return (record: CanonicalRecord): { lineKey: string; productKey: string } => {
    const document = String(record.document_number);
    const sku = String(record.product_sku);
    let skus = occurrences.get(document);
    if (!skus) {
      skus = new Map();
      occurrences.set(document, skus);
      if (occurrences.size > RECENT_DOCUMENTS) occurrences.delete(occurrences.keys().next().value!);
    }
    const n = (skus.get(sku) ?? 0) + 1;
    skus.set(sku, n);
    const productKey = `${sku}#${n}`;
    const numbered = record.line_number !== null && record.line_number !== undefined;
    return { lineKey: numbered ? `#${record.line_number}` : productKey, productKey };
  };
}
