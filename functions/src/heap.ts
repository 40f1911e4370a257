import { setFlagsFromString } from "node:v8";

/**
 * After each full collection V8 lets the heap grow to up to about four times what survived before
 * it collects again. Our processes keep little for long (an import holds two batches of rows,
 * some 40 MB), so that slack was most of their memory, and it made an import's peak grow with the
 * file until the heap reached its working size: 174 MB RSS for 10k lines, 240 MB from 100k on.
 * With a growth factor of 1.5 the same imports peak at 150-170 MB whatever the file's size, at the
 * same speed (docs/benchmarks.md). It is a rate, not a cap: a process that needs more memory (a
 * large workbook, a big estate's training) still gets it, with a few more collections.
 */
export function keepHeapNearLiveSize() {
  setFlagsFromString("--heap-growing-percent=50");
}
