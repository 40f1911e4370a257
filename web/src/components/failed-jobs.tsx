import { createResource, For, Show } from "solid-js";
import { api, ApiError, type Job } from "../lib/api.ts";
import { errorText, formatDateTime, t } from "../lib/i18n.ts";
import { canEdit } from "../lib/session.ts";

/**
 * Work that stopped for good (an import that could not run, a sync whose Odoo stayed down, a job
 * the queue gave up on): said plainly, with the error, and started again in one click.
 */
export function FailedJobs() {
  const [jobs, { refetch }] = createResource(api.failedJobs);
  const retry = async (job: Job) => {
    try {
      await api.retryJob(job.id);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 409) throw error;
    }
    await refetch();
  };
  return (
    <Show when={jobs()?.items.length}>
      <section class="card wide" data-testid="failed-jobs">
        <h2>{t("jobs.failedTitle")}</h2>
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">{t("sources.when")}</th>
              <th scope="col">{t("jobs.what")}</th>
              <th scope="col">{t("jobs.error")}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            <For each={jobs()!.items}>
              {(job) => (
                <tr data-testid="failed-job">
                  <td>{job.createdAt ? formatDateTime(job.createdAt) : "—"}</td>
                  <td>
                    {t(`jobs.kinds.${job.kind}`)}
                    <Show when={job.fileName}>
                      <div class="muted">{job.fileName}</div>
                    </Show>
                  </td>
                  <td>{errorText(job.error, "—")}</td>
                  <td>
                    <Show when={canEdit()}>
                      <button type="button" onClick={() => void retry(job)}>
                        {t("jobs.retry")}
                      </button>
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </section>
    </Show>
  );
}
