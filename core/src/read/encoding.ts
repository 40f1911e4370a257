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
 */
export function createTextDecoder(encoding: Encoding): {
  write(bytes: Uint8Array): string;
  end(): string;
} {
  if (encoding === "utf-8") {
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    const fail = (): never => {
      throw new AppError(
        "import.encoding",
        "The file is not valid UTF-8 throughout. Save it again as UTF-8, or import it with --encoding windows-1252.",
      );
    };
    return {
      write: (bytes) => {
        try {
          return decoder.decode(bytes, { stream: true });
        } catch {
          return fail();
        }
      },
      end: () => {
        try {
          return decoder.decode();
        } catch {
          return fail();
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
