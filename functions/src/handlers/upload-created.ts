import type { S3Event } from "aws-lambda";
import { importEntities, type ImportEntity, isUuid } from "@crm-reco/core";
import { enqueueJob } from "../jobs/job-records.ts";
import type { ImportPayload } from "../jobs/workers.ts";
import { getSource } from "../repos/sources.ts";
import type { Services } from "../services.ts";
import { lambdaServices } from "./lambda-services.ts";

/** `uploads/<tenant>/<source>/<entity>/<id>/<file name>`, as `POST /api/uploads` hands them out. */
export function parseUploadKey(key: string) {
  const [root, tenantId, sourceId, entity, id, ...name] = key.split("/");
  const fileName = name.join("/");
  if (
    root !== "uploads" ||
    !isUuid(tenantId ?? "") ||
    !isUuid(sourceId ?? "") ||
    !importEntities.includes(entity as ImportEntity) ||
    !id ||
    !fileName
  )
    return null;
  return { tenantId: tenantId!, sourceId: sourceId!, entity: entity as ImportEntity, fileName };
}

/**
 * S3 `ObjectCreated` → one import job per uploaded object. S3 sends keys URL-encoded with `+` for
 * spaces, several records per event, and may send the same event twice: the job's dedupe key is
 * bucket + key + etag, so a repeated event (or a repeated upload of the same bytes) is one import.
 */
export function createUploadCreatedHandler(services: () => Promise<Services>) {
  return async (event: S3Event): Promise<{ enqueued: string[]; ignored: string[] }> => {
    const ready = await services();
    const enqueued: string[] = [];
    const ignored: string[] = [];
    for (const record of event.Records) {
      const bucket = record.s3.bucket.name;
      const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, " "));
      const etag = (record.s3.object.eTag ?? "").replaceAll('"', "");
      const upload = parseUploadKey(key);
      if (!upload) {
        ready.log.warn({ bucket, key }, "object outside the upload layout: not imported");
        ignored.push(key);
        continue;
      }
      // Refuse a key naming another estate's source (keys are presigned per estate, but be sure).
      await getSource(ready.db.db, upload.tenantId, upload.sourceId);
      const payload: ImportPayload = {
        sourceId: upload.sourceId,
        entity: upload.entity,
        blobKey: key,
        fileName: upload.fileName,
        checksum: `s3-etag:${etag}`,
      };
      const job = await enqueueJob(ready, {
        tenantId: upload.tenantId,
        kind: "import",
        payload: payload as unknown as Record<string, unknown>,
        dedupeKey: `${bucket}/${key}/${etag}`,
      });
      enqueued.push(job.id);
    }
    return { enqueued, ignored };
  };
}

export const handler = createUploadCreatedHandler(lambdaServices);
