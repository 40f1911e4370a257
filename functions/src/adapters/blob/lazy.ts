import type { BlobStore } from "@crm-reco/core";
import { onFirstUse } from "../on-first-use.ts";

/**
 * A blob store opened on first use. On Lambda, the S3 client (the AWS SDK) then loads only in
 * an invocation that reads or writes a file: the API's usual requests (sign-in, lists,
 * reviews) start without it.
 */
export function createLazyBlobStore(open: () => Promise<BlobStore>): BlobStore {
  const store = onFirstUse(open);
  return {
    put: async (key, body, contentType) => (await store()).put(key, body, contentType),
    get: async (key) => (await store()).get(key),
    head: async (key) => (await store()).head(key),
    delete: async (key) => (await store()).delete(key),
    list: async (prefix) => (await store()).list(prefix),
  };
}
