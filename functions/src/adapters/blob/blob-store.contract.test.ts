import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BlobStore } from "@crm-reco/core";
import { type AwsEmulator, startAwsEmulator } from "../../../test/aws-emulator.ts";
import { createFsBlobStore } from "./fs.ts";
import { createLazyBlobStore } from "./lazy.ts";
import { createS3BlobStore } from "./s3.ts";

// One contract for every BlobStore: on disk, and on S3 through the real SDK against an emulator.
const dirs: string[] = [];
let aws: AwsEmulator | undefined;
let buckets = 0;
beforeAll(async () => {
  aws = await startAwsEmulator();
});
afterAll(async () => aws?.stop());
const implementations: Array<[string, () => BlobStore]> = [
  [
    "s3",
    () => {
      const bucket = `uploads-${++buckets}`;
      aws!.server.createBucket(bucket);
      return createS3BlobStore(aws!.s3(), bucket);
    },
  ],
  [
    "s3, opened on first use",
    () => {
      const bucket = `uploads-${++buckets}`;
      aws!.server.createBucket(bucket);
      return createLazyBlobStore(async () => createS3BlobStore(aws!.s3(), bucket));
    },
  ],
  [
    "fs",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "crm-reco-blobs-"));
      dirs.push(dir);
      return createFsBlobStore(dir);
    },
  ],
];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const text = async (stream: ReadableStream<Uint8Array>) => new Response(stream).text();
const streamOf = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      chunks.forEach((chunk) => controller.enqueue(new TextEncoder().encode(chunk)));
      controller.close();
    },
  });

describe.each(implementations)("BlobStore contract [%s]", (_name, make) => {
  it("stores bytes and streams them back unchanged", async () => {
    const store = make();
    const info = await store.put(
      "t1/uploads/clients.csv",
      new TextEncoder().encode("Nom;Prénom\nLefèvre;Zoé\n"),
      "text/csv",
    );
    expect(info).toMatchObject({
      key: "t1/uploads/clients.csv",
      sizeBytes: 26,
      contentType: "text/csv",
    });
    expect(await text(await store.get("t1/uploads/clients.csv"))).toBe("Nom;Prénom\nLefèvre;Zoé\n");
  });

  it("accepts a stream and gives identical bytes the same etag", async () => {
    const store = make();
    const a = await store.put("t1/a.csv", streamOf("a;b\n", "1;2\n"));
    const b = await store.put("t1/b.csv", new TextEncoder().encode("a;b\n1;2\n"));
    const c = await store.put("t1/c.csv", new TextEncoder().encode("a;b\n1;3\n"));
    expect(a.sizeBytes).toBe(8);
    expect(a.etag).toBe(b.etag);
    expect(c.etag).not.toBe(a.etag);
  });

  it("reports absent keys and deletes", async () => {
    const store = make();
    expect(await store.head("t1/none.csv")).toBeUndefined();
    await expect(store.get("t1/none.csv")).rejects.toMatchObject({ code: "blob.not_found" });
    await store.put("t1/x.csv", new Uint8Array([1, 2, 3]));
    await store.delete("t1/x.csv");
    expect(await store.head("t1/x.csv")).toBeUndefined();
  });

  it("lists by prefix, so one tenant's files never show in another's listing", async () => {
    const store = make();
    await store.put("t1/uploads/1.csv", new Uint8Array([1]));
    await store.put("t1/uploads/2.csv", new Uint8Array([2]));
    await store.put("t2/uploads/1.csv", new Uint8Array([3]));
    expect((await store.list("t1/")).map((blob) => blob.key)).toEqual([
      "t1/uploads/1.csv",
      "t1/uploads/2.csv",
    ]);
  });

  it.each(["../escape.csv", "t1/../../escape.csv", "/etc/passwd", ""])(
    "refuses the key %j",
    async (key) => {
      const store = make();
      await expect(store.put(key, new Uint8Array([1]))).rejects.toMatchObject({
        code: "blob.invalid_key",
      });
    },
  );
});
