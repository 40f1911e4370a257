/**
 * Where uploaded files live: a local directory on the VPS and in the embedded mode, S3 on AWS.
 * Keys are `/`-separated and always start with the tenant id, so one estate never reads another's.
 */
export interface BlobStore {
  put(
    key: string,
    body: Uint8Array | ReadableStream<Uint8Array>,
    contentType?: string,
  ): Promise<BlobInfo>;
  /** Streams the bytes; throws `blob.not_found` when absent. */
  get(key: string): Promise<ReadableStream<Uint8Array>>;
  head(key: string): Promise<BlobInfo | undefined>;
  delete(key: string): Promise<void>;
  list(prefix: string): Promise<BlobInfo[]>;
}

export interface BlobInfo {
  key: string;
  sizeBytes: number;
  contentType: string | undefined;
  /** Content fingerprint (hex sha-256 on disk, the ETag on S3); stable for identical bytes. */
  etag: string;
}
