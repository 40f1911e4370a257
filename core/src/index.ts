export * from "./errors/app-error.ts";
export type { Clock } from "./ports/clock.ts";
export type { BlobStore, BlobInfo } from "./ports/blob-store.ts";
export type { JobQueue, JobMessage, JobKind, JobHandler } from "./ports/job-queue.ts";
export { isUuid } from "./ids.ts";
