import { onCleanup } from "solid-js";
import { api, type Job } from "./api.ts";
import { errorText } from "./i18n.ts";

/**
 * Whether the component that calls it (during its setup) is still shown: a job it follows is
 * no longer asked about once the person has left the page.
 */
export function whileShown(): () => boolean {
  let shown = true;
  onCleanup(() => (shown = false));
  return () => shown;
}

/** Whether a job is over (succeeded, failed, or dead after its retries). */
export const jobEnded = (job: Job) => job.status !== "queued" && job.status !== "running";

/**
 * Asks for a job until it ends, every `everyMs` (default 500), telling `onUpdate` each answer;
 * stops asking as soon as `alive()` says nobody waits any more (the page was left), and then
 * answers the job as it last was.
 */
export async function followJob(
  job: Job,
  options: { everyMs?: number; alive?: () => boolean; onUpdate?: (job: Job) => void } = {},
): Promise<Job> {
  let current = job;
  while (!jobEnded(current) && (options.alive?.() ?? true)) {
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 500));
    current = await api.job(current.id);
    options.onUpdate?.(current);
  }
  return current;
}

type Failure = { code?: string | null; message?: string | null };
/** A column the import took for a field with low confidence (see core's `uncertainFields`). */
export interface UncertainField {
  field: string;
  column: string;
  confidence: number;
}
interface Rows {
  status?: string;
  rowsRead?: number;
  rowsRejected?: number;
  uncertainFields?: UncertainField[];
  warnings?: Array<{ code: string; details?: Record<string, unknown> }>;
}

/**
 * What an import job or a sync job came to: the rows it read and rejected (with what went wrong
 * when an Odoo sync imported some models but not all), or why it failed.
 */
export type ImportOutcome =
  | {
      ok: true;
      rowsRead: number;
      rowsRejected: number;
      problem?: string;
      /** The file's columns taken with low confidence: staff should check the mapping. */
      uncertain?: UncertainField[];
      /** Customers of earlier files this customers file no longer has (kept, staff told). */
      absent?: { count: number; sample: string[] };
    }
  | { ok: false; reason: string };

/**
 * The outcome of an ended import or sync job. A file import answers its own counts; an Odoo sync
 * one run per entity, added up. The job can succeed while what it ran failed (a file with no
 * usable column): that is a failure too. A sync that imported some models and failed on another
 * keeps its counts and says the problem. Reasons are in the reader's language (`errorText`), else
 * `fallback`.
 */
export function importOutcome(job: Job, fallback: string): ImportOutcome {
  const result = job.result as (Rows & { runs?: Rows[]; errors?: Failure[] }) | null;
  const failure = job.error ?? result?.errors?.[0];
  if (job.status !== "succeeded" || result?.status === "failed")
    return { ok: false, reason: errorText(failure, fallback) };
  const runs = result?.runs ?? [result ?? {}];
  return {
    ok: true,
    rowsRead: runs.reduce((n, r) => n + (r.rowsRead ?? 0), 0),
    rowsRejected: runs.reduce((n, r) => n + (r.rowsRejected ?? 0), 0),
    ...(result?.runs && failure ? { problem: errorText(failure, fallback) } : {}),
    ...(result?.uncertainFields?.length ? { uncertain: result.uncertainFields } : {}),
    ...absentOf(result?.warnings),
  };
}

function absentOf(warnings: Rows["warnings"]): { absent?: { count: number; sample: string[] } } {
  const details = warnings?.find((w) => w.code === "customers.absent")?.details;
  return details ? { absent: details as { count: number; sample: string[] } } : {};
}
