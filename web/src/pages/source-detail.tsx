import { A, useParams, useSearchParams } from "@solidjs/router";
import { createResource, createSignal, Show } from "solid-js";
import { OdooSourceActions } from "../components/odoo-source-actions.tsx";
import { FilePreview } from "../components/source/file-preview.tsx";
import { RowExcerpt } from "../components/source/row-excerpt.tsx";
import { RunHistory } from "../components/source/run-history.tsx";
import { ValidationReport } from "../components/source/validation-report.tsx";
import { SignedIn } from "../components/signed-in.tsx";
import { api, ApiError, type Source } from "../lib/api.ts";
import { formatDateTime, formatNumber, t } from "../lib/i18n.ts";
import { followJob, importOutcome, whileShown } from "../lib/jobs.ts";
import { canEdit, me } from "../lib/session.ts";
import "../components/source/source.css";

/** One source: what it is, how its last sync went, its data as read, and its whole history. */
export default function SourceDetail() {
  return (
    <SignedIn>
      <SourcePage />
    </SignedIn>
  );
}

function SourcePage() {
  const params = useParams<{ id: string }>();
  const [search, setSearch] = useSearchParams<{ run?: string; line?: string }>();
  // Bumped after a sync so that the report and the history reload.
  const [version, setVersion] = createSignal(0);
  const [source] = createResource(
    () => ({ id: params.id, version: version() }),
    (k) => api.source(k.id),
  );
  const [report] = createResource(
    () => ({ id: params.id, version: version() }),
    (k) => api.sourceValidation(k.id),
  );
  return (
    <>
      <p>
        <A href="/sources">← {t("sourceDetail.back")}</A>
      </p>
      <Show when={source.error}>
        <p role="alert" class="error">
          {t("sourceDetail.loadFailed", { reason: (source.error as Error).message })}
        </p>
      </Show>
      <Show when={source()}>
        {(s) => (
          <>
            <h1>{s().name}</h1>
            <SourceFacts source={s()} onSynced={() => setVersion((v) => v + 1)} />
            <Show when={search.run && Number(search.line) > 0}>
              <RowExcerpt
                runId={search.run!}
                line={Number(search.line)}
                onClose={() => setSearch({ run: undefined, line: undefined })}
              />
            </Show>
            <section class="card wide">
              <h2>{t("sourceDetail.validation")}</h2>
              <Show when={report()}>
                {(r) => (
                  <Show when={r().lastRun} fallback={<p>{t("sourceDetail.noRun")}</p>}>
                    <ValidationReport report={r()} sourceId={s().id} />
                  </Show>
                )}
              </Show>
            </section>
            <Show when={s().kind === "file"}>
              <section class="card wide">
                <h2>{t("sourceDetail.preview")}</h2>
                <FilePreview sourceId={s().id} />
              </section>
            </Show>
            <section class="card wide">
              <h2>{t("sourceDetail.history")}</h2>
              <RunHistory sourceId={s().id} version={version()} />
            </section>
          </>
        )}
      </Show>
    </>
  );
}

function SourceFacts(props: { source: Source; onSynced: () => void }) {
  const [state, setState] = createSignal<{ kind: "info" | "error"; text: string } | null>(null);
  const [busy, setBusy] = createSignal(false);
  const last = () => props.source.lastRun;
  const shown = whileShown();
  const syncNow = async () => {
    setBusy(true);
    setState({ kind: "info", text: t("sourceDetail.syncing") });
    try {
      const job = await followJob(await api.syncSource(props.source.id, false), {
        alive: shown,
      });
      if (!shown()) return;
      // As on the sources page: the job ran, yet the import it ran can have failed.
      const outcome = importOutcome(job, t("sources.failed"));
      setState(
        outcome.ok
          ? {
              kind: "info",
              text: t("sourceDetail.synced", {
                read: formatNumber(outcome.rowsRead),
                rejected: formatNumber(outcome.rowsRejected),
              }),
            }
          : { kind: "error", text: t("sourceDetail.syncFailed", { reason: outcome.reason }) },
      );
      props.onSynced();
    } catch (error) {
      setState({
        kind: "error",
        text: t("sourceDetail.syncFailed", {
          reason: error instanceof ApiError ? error.message : String(error),
        }),
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card wide">
      <dl class="facts">
        <dt>{t("sourceDetail.type")}</dt>
        <dd>{t(`sourceDetail.kind.${props.source.kind}`)}</dd>
        <dt>{t("sourceDetail.lastRun")}</dt>
        <dd>
          <Show when={last()} fallback={t("sourceDetail.never")}>
            {(run) => (
              <>
                {formatDateTime(run().startedAt)} ·{" "}
                {t(`sources.statuses.${run().status as "succeeded"}`)}
                <Show when={run().qualityScore !== null}>
                  {" "}
                  · {t("sources.quality")} {Math.round(run().qualityScore!)}/100
                </Show>
              </>
            )}
          </Show>
        </dd>
        {/* Files come when someone uploads one: only a connection (Odoo) is synced on a schedule. */}
        <Show when={props.source.kind === "odoo"}>
          <dt>{t("sourceDetail.schedule")}</dt>
          <dd>
            <Show when={props.source.schedule} fallback={t("sourceDetail.noSchedule")}>
              {(cron) => <code>{cron()}</code>}
            </Show>
            <Show when={me()?.role === "admin"}>
              {" "}
              <A href="/settings">{t("sourceDetail.editSchedule")}</A>
            </Show>
          </dd>
        </Show>
      </dl>
      <Show when={props.source.kind === "odoo"}>
        <OdooSourceActions source={props.source} onSynced={props.onSynced} />
      </Show>
      <Show when={canEdit() && props.source.kind === "file" && last()}>
        <p>
          <button type="button" disabled={busy()} onClick={() => void syncNow()}>
            {t("sourceDetail.syncNow")}
          </button>{" "}
          <span class="muted">{t("sourceDetail.syncNowHelp")}</span>
        </p>
      </Show>
      <Show when={state()}>
        {(s) => (
          <p
            role={s().kind === "error" ? "alert" : "status"}
            class={s().kind === "error" ? "error" : "notice"}
          >
            {s().text}
          </p>
        )}
      </Show>
    </section>
  );
}
