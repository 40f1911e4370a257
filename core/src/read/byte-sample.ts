const MIN_LINES = 30;
const MAX_SAMPLE_BYTES = 4 * 1024 * 1024;

/**
 * The first bytes of a stream, to sniff from, without losing them: `rest()` replays the sample
 * and then the remainder of the stream, so the file is read once, in constant memory. The sample
 * holds at least `sampleBytes` and, when the file has them, 30 lines (up to 4 MB): enough to see
 * past a preamble to the header and a few records.
 */
export async function takeSample(stream: ReadableStream<Uint8Array>, sampleBytes: number) {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let done = false;
  let lines = 0;
  while (size < sampleBytes || (lines < MIN_LINES && size < MAX_SAMPLE_BYTES)) {
    const next = await reader.read();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    size += next.value.length;
    lines += countLineBreaks(next.value);
  }
  const sample = concat(chunks);
  return {
    sample,
    complete: done,
    async *rest(): AsyncGenerator<Uint8Array> {
      if (sample.length > 0) yield sample;
      if (done) return;
      try {
        for (;;) {
          const next = await reader.read();
          if (next.done) return;
          yield next.value;
        }
      } finally {
        reader.releaseLock();
      }
    },
  };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** LF, or CR for old Mac-style files; one of the two, whichever the chunk has more of. */
function countLineBreaks(bytes: Uint8Array): number {
  let lf = 0;
  let cr = 0;
  for (const byte of bytes) {
    if (byte === 0x0a) lf++;
    else if (byte === 0x0d) cr++;
  }
  return Math.max(lf, cr);
}
