/** What a file really is, from its first bytes, whatever its name says. */
export type FileKind = "csv" | "xlsx" | "xls" | "ods" | "binary" | "empty";

const startsWith = (bytes: Uint8Array, signature: number[]) =>
  signature.every((byte, i) => bytes[i] === byte);
const ascii = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...bytes.subarray(from, to));

export function sniffFileKind(sample: Uint8Array): FileKind {
  const text = stripBom(sample);
  if (text.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d))
    return "empty";
  if (startsWith(sample, [0x50, 0x4b, 0x03, 0x04])) {
    // An OpenDocument file stores its mimetype uncompressed as the first zip entry.
    return ascii(sample, 30, 100).includes("opendocument.spreadsheet") ? "ods" : "xlsx";
  }
  if (startsWith(sample, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return "xls";
  if (isUtf16(sample)) return "csv";
  // Text never holds NUL bytes or many control characters; images, PDFs and archives do.
  const window = sample.subarray(0, 8192);
  let control = 0;
  for (const byte of window) {
    if (byte === 0) return "binary";
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) control++;
  }
  return control > window.length * 0.01 ? "binary" : "csv";
}

const isUtf16 = (bytes: Uint8Array) =>
  startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]);

function stripBom(bytes: Uint8Array): Uint8Array {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return bytes.subarray(3);
  if (isUtf16(bytes)) return bytes.subarray(2).filter((byte) => byte !== 0);
  return bytes;
}
