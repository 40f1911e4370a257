// The import pipeline: reading files, running a mapping's transformations, normalising, checking
// and previewing rows. An entry point of its own (`@crm-reco/core/pipeline`), not re-exported by
// the package's index, because it carries the heaviest dependencies (libphonenumber's metadata,
// papaparse): a bundle that imports only the index (the API's Lambda, at every cold start) does
// not load them, and the routes that need them load this on first use.
export { openTable } from "./read/open-table.ts";
export { cellsOfFile } from "./read/cells-of-file.ts";
export { rawOf } from "./read/table.ts";
export { buildRecord } from "./import/build-record.ts";
export { applyTransformation, applyChain } from "./normalize/transformations.ts";
export { normalizePhone } from "./normalize/phone.ts";
export { createLastRowFinder, createRowProcessor, recordKeyOf } from "./import/process-rows.ts";
export { normalizeRecord } from "./quality/normalize-record.ts";
export { previewImport } from "./import/preview.ts";
