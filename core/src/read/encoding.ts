import { AppError } from "../errors/app-error.ts";

export const encodings = ["utf-8", "utf-16le", "utf-16be", "windows-1252"] as const;
export type Encoding = (typeof encodings)[number];

export interface EncodingDetection {
  encoding: Encoding;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
}

/**
 * The encoding of a text file from its first bytes: a byte-order mark decides (UTF-8, UTF-16);
 * otherwise bytes that are valid UTF-8 are UTF-8, and anything else is Windows-1252, the encoding
 * French Excel saves "CSV (séparateur : point-virgule)" in.
 */
export function detectEncoding(sample: Uint8Array, complete: boolean): EncodingDetection {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf)
    return { encoding: "utf-8", bomLength: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: "utf-16le", bomLength: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: "utf-16be", bomLength: 2 };
  // A sample cut mid-file may end inside a multi-byte character: ignore its last 3 bytes.
  const checked = complete ? sample : sample.subarray(0, Math.max(0, sample.length - 3));
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(checked);
    return { encoding: "utf-8", bomLength: 0 };
  } catch {
    return { encoding: "windows-1252", bomLength: 0 };
  }
}

export function bomLengthFor(sample: Uint8Array, encoding: Encoding): number {
  const detected = detectEncoding(sample.subarray(0, 3), false);
  return detected.bomLength > 0 && detected.encoding === encoding ? detected.bomLength : 0;
}

/**
 * Decodes a byte stream chunk by chunk. UTF-8 is strict: a byte sequence that is not UTF-8 after
 * the sample said it was fails the import with `import.encoding` instead of inventing characters.
 *
 * With `onWindows1252` (the encoding was guessed, not given): a file whose sample held no accent
 * at all, and whose first one is no UTF-8 (`é` as the single byte 0xE9), is a Windows-1252 file
 * whose accents came late: everything before was ASCII, the same in both, so the rest is read as
 * Windows-1252 and `onWindows1252` says so. A file with UTF-8 accents before a bad byte is mixed,
 * and still fails.
 */
export function createTextDecoder(
  encoding: Encoding,
  options: { onWindows1252?: () => void } = {},
): {
  write(bytes: Uint8Array): string;
  end(): string;
} {
  if (encoding === "utf-8") {
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    let fallback: InstanceType<typeof TextDecoder> | undefined;
    let accentsRead = false;
    let pending: Uint8Array = new Uint8Array(0); // a chunk's trailing non-ASCII bytes the decoder holds back
    const fail = (): never => {
      throw new AppError(
        "import.encoding",
        "The file is not valid UTF-8 throughout. Save it again as UTF-8, or import it with --encoding windows-1252.",
      );
    };
    const switchOrFail = (bytes: Uint8Array, final: boolean): string => {
      const held = concat(pending, bytes);
      if (!options.onWindows1252 || accentsRead || holdsUtf8Accent(held)) return fail();
      fallback = new TextDecoder("windows-1252", { ignoreBOM: true });
      options.onWindows1252();
      return fallback.decode(held, { stream: !final });
    };
    return {
      write: (bytes) => {
        if (fallback) return fallback.decode(bytes, { stream: true });
        try {
          const text = decoder.decode(bytes, { stream: true });
          if (/[^\p{ASCII}]/u.test(text)) accentsRead = true;
          pending = accentsRead ? new Uint8Array(0) : trailingNonAscii(concat(pending, bytes));
          return text;
        } catch {
          return switchOrFail(bytes, false);
        }
      },
      end: () => {
        if (fallback) return fallback.decode();
        try {
          return decoder.decode();
        } catch {
          return switchOrFail(new Uint8Array(0), true);
        }
      },
    };
  }
  // The platform's decoders (WHATWG Encoding; Node and Lambda ship full ICU): no library to load.
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  return {
    write: (bytes) => decoder.decode(bytes, { stream: true }),
    end: () => decoder.decode(),
  };
}

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  if (a.length === 0) return b;
  const both = new Uint8Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  return both;
};

/** The bytes after a chunk's last ASCII byte: a character the decoder may still be waiting on. */
const trailingNonAscii = (bytes: Uint8Array): Uint8Array => {
  let start = bytes.length;
  while (start > 0 && bytes[start - 1]! >= 0x80 && bytes.length - start < 3) start--;
  return bytes.slice(start);
};

/** Whether the bytes hold a whole UTF-8 multi-byte character (then the file is mixed). */
function holdsUtf8Accent(bytes: Uint8Array): boolean {
  const continuation = (i: number) => bytes[i] !== undefined && (bytes[i]! & 0xc0) === 0x80;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const length =
      b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) continue;
    let whole = true;
    for (let k = 1; k < length; k++) whole &&= continuation(i + k);
    if (whole) return true;
  }
  return false;
}
