import { createSignal, Show } from "solid-js";
import { api, type Job } from "../lib/api.ts";
import { errorText, formatNumber, t } from "../lib/i18n.ts";
import { followJob, jobEnded, whileShown } from "../lib/jobs.ts";
import { whyItFailed } from "../lib/why-it-failed.ts";

/**
 * Recomputes the recommendations (editor): queues the job, follows it until it ends and says
 * where it is in plain words, then lets the page reload its list.
 */
export function RegenerateButton(props: { onDone: () => void; pollMs?: number }) {
  const [job, setJob] = createSignal<Job | null>(null);
  const [seconds, setSeconds] = createSignal(0);
  const [lost, setLost] = createSignal<string | null>(null);
  const alive = whileShown();
  const busy = () => {
    const current = job();
    return current !== null && !jobEnded(current);
  };

  const run = async () => {
    setLost(null);
    const started = Date.now();
    try {
      const queued = await api.regenerate();
      setJob(queued);
      const current = await followJob(queued, {
        everyMs: props.pollMs ?? 1000,
        alive,
        onUpdate: (update) => {
          setSeconds(Math.round((Date.now() - started) / 1000));
          setJob(update);
        },
      });
      if (alive() && current.status === "succeeded") props.onDone();
    } catch (error) {
      setJob(null);
      setLost(t("review.job.lost", { why: whyItFailed(error) }));
    }
  };

  const describe = (current: Job) => {
    const result = current.result ?? {};
    switch (current.status) {
      case "queued":
        return t("review.job.queued");
      case "running":
        return t("review.job.running", { seconds: formatNumber(seconds()) });
      case "succeeded":
        return t("review.job.succeeded", {
          recommendations: formatNumber(Number(result.recommendations ?? 0)),
          customers: formatNumber(Number(result.customers ?? 0)),
        });
      default:
        return t("review.job.failed", { message: errorText(current.error) });
    }
  };

  return (
    <div class="regenerate">
      <button type="button" class="secondary" disabled={busy()} onClick={() => void run()}>
        {t("review.regenerate")}
      </button>
      <div aria-live="polite" data-testid="regenerate-progress">
        <Show when={job()}>
          {(current) => (
            <>
              <Show when={busy()}>
                <progress aria-label={t("review.regenerate")} />
              </Show>
              <span
                classList={{ error: current().status === "failed" || current().status === "dead" }}
              >
                {describe(current())}
              </span>
            </>
          )}
        </Show>
        <Show when={lost()}>
          <span class="error">{lost()}</span>
        </Show>
      </div>
    </div>
  );
}
