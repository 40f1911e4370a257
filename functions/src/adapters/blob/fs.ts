import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AppError, type BlobInfo, type BlobStore } from "@crm-reco/core";

const META_DIR = ".meta";

/**
 * Blobs as files under one directory (the VPS and the embedded mode). Writes go to a temporary
 * file renamed into place, so a reader never sees half a file; the etag is the sha-256 of the bytes.
 */
export function createFsBlobStore(rootDir: string): BlobStore {
  const root = resolve(rootDir);

  const pathOf = (key: string, base = root) => {
    const path = resolve(base, key);
    if (key.length === 0 || !path.startsWith(base + sep))
      throw new AppError("blob.invalid_key", `Invalid blob key: ${key}`);
    return path;
  };
  const metaPathOf = (key: string) => pathOf(key, join(root, META_DIR)) + ".json";

  async function head(key: string): Promise<BlobInfo | undefined> {
    try {
      const meta = JSON.parse(await readFile(metaPathOf(key), "utf8")) as BlobInfo;
      await stat(pathOf(key));
      return meta;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  return {
    async put(key, body, contentType) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${randomUUID()}.part`;
      const hash = createHash("sha256");
      let sizeBytes = 0;
      const source =
        body instanceof Uint8Array
          ? Readable.from([body])
          : Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>);
      const measure = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          sizeBytes += chunk.length;
          done(null, chunk);
        },
      });
      try {
        await pipeline(source, measure, createWriteStream(tmp));
        await rename(tmp, path);
      } catch (error) {
        await rm(tmp, { force: true });
        throw error;
      }
      const info: BlobInfo = { key, sizeBytes, contentType, etag: hash.digest("hex") };
      await mkdir(dirname(metaPathOf(key)), { recursive: true });
      await writeFile(metaPathOf(key), JSON.stringify(info));
      return info;
    },

    async get(key) {
      if (!(await head(key)))
        throw new AppError("blob.not_found", `No file stored at ${key}.`, { key });
      return Readable.toWeb(createReadStream(pathOf(key))) as ReadableStream<Uint8Array>;
    },

    head,

    async delete(key) {
      await rm(pathOf(key), { force: true });
      await rm(metaPathOf(key), { force: true });
    },

    async list(prefix) {
      const metaRoot = join(root, META_DIR);
      const files = await readdir(metaRoot, { recursive: true, withFileTypes: true }).catch(
        () => [],
      );
      const infos: BlobInfo[] = [];
      for (const file of files) {
        if (!file.isFile() || !file.name.endsWith(".json")) continue;
        const key = relative(metaRoot, join(file.parentPath, file.name))
          .slice(0, -".json".length)
          .split(sep)
          .join("/");
        if (!key.startsWith(prefix)) continue;
        const info = await head(key);
        if (info) infos.push(info);
      }
      return infos.sort((a, b) => a.key.localeCompare(b.key));
    },
  };
}
