import type { BlobStore } from "@crm-reco/core";

/**
 * A blob store opened on first use. On Lambda, the S3 client (the AWS SDK) then loads only in
 * an invocation that reads or writes a file: the API's usual requests (sign-in, lists,
 * reviews) start without it.
 */
export function createLazyBlobStore(open: () => Promise<BlobStore>): BlobStore {
  let opened: Promise<BlobStore> | undefined;
  const store = () =>
    (opened ??= open().catch((error: unknown) => {
      opened = undefined; // a failed opening is tried again on the next use
      throw error;
    }));
  return {
    put: async (key, body, contentType) => (await store()).put(key, body, contentType),
    get: async (key) => (await store()).get(key),
    head: async (key) => (await store()).head(key),
    delete: async (key) => (await store()).delete(key),
    list: async (prefix) => (await store()).list(prefix),
  };
}
