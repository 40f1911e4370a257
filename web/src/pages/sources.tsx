import { A } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { FailedJobs } from "../components/failed-jobs.tsx";
import { SourceMappingLinks } from "../components/mapping/source-mapping-links.tsx";
import { FileUpload } from "../components/file-upload.tsx";
import { UncertainMapping } from "../components/mapping/uncertain-mapping.tsx";
import { OdooSourceActions } from "../components/odoo-source-actions.tsx";
import { OdooSourceForm } from "../components/odoo-source-form.tsx";
import { SignedIn } from "../components/signed-in.tsx";
import { RunTable } from "../components/source/run-history.tsx";
import {
  api,
  ApiError,
  type ImportEntity,
  type Job,
  type Source,
  type SyncRun,
} from "../lib/api.ts";
import { formatDateTime, formatNumber, t } from "../lib/i18n.ts";
import { followJob, importOutcome, type UncertainField, whileShown } from "../lib/jobs.ts";
import { canEdit, me } from "../lib/session.ts";

/** The latest runs each card shows; the source's page has them all. */
const RECENT_RUNS = 5;

/** Where the estate's data comes from: upload an export, follow its import, read its history. */
export default function Sources() {
  return (
    <>
      <h1>{t("nav.sources")}</h1>
      <SignedIn>
        <SourceList />
      </SignedIn>
    </>
  );
}

function SourceList() {
  const [sources, { refetch }] = createResource(api.sources);
  const [error, setError] = createSignal<string | null>(null);
  const add = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const name = String(new FormData(form).get("name")).trim();
    setError(null);
    try {
      await api.addSource(name);
      form.reset();
      await refetch();
    } catch (cause) {
      setError(
        cause instanceof ApiError && cause.status === 409
          ? t("sources.exists", { name })
          : t("sources.addFailed"),
      );
    }
  };
  return (
    <>
      <Show when={me()?.role === "admin"}>
        <form class="toolbar" onSubmit={add}>
          <label>
            {t("sources.newName")}
            <input name="name" required maxLength={100} placeholder="iSaVigne" />
          </label>
          <button type="submit">{t("sources.add")}</button>
        </form>
        <OdooSourceForm onAdded={() => void refetch()} />
      </Show>
      <FailedJobs />
      <Show when={error()}>
        <p role="alert" class="error">
          {error()}
        </p>
      </Show>
      <Show when={sources()?.items.length === 0}>
        <p>{t("sources.empty")}</p>
      </Show>
      <For each={sources()?.items}>{(source) => <SourceCard source={source} />}</For>
    </>
  );
}

function SourceCard(props: { source: Source }) {
  const [runs, { refetch }] = createResource(() => props.source.id, api.runs);
  const [state, setState] = createSignal<{ kind: "info" | "error"; text: string } | null>(null);
  // What a finished import leaves staff to check, with what the file held.
  const [toCheck, setToCheck] = createSignal<{
    entity: ImportEntity;
    uncertain?: UncertainField[];
    absent?: { count: number; sample: string[] };
  } | null>(null);
  const [entity, setEntity] = createSignal<ImportEntity>("customers");
  // What the file held when it was sent, whatever is chosen while it imports.
  let sent: ImportEntity = "customers";
  const shown = whileShown();
  const follow = async (job: Job, imported: ImportEntity) => {
    setState({ kind: "info", text: t("sources.importing") });
    const ended = await followJob(job, { alive: shown });
    if (!shown()) return;
    const outcome = importOutcome(ended, "");
    setState(
      outcome.ok
        ? {
            kind: "info",
            text:
              outcome.rowsRead === 1
                ? t("sources.importedOne", { rejected: formatNumber(outcome.rowsRejected) })
                : t("sources.imported", {
                    read: formatNumber(outcome.rowsRead),
                    rejected: formatNumber(outcome.rowsRejected),
                  }),
          }
        : { kind: "error", text: `${t("sources.failed")} ${outcome.reason}`.trim() },
    );
    setToCheck(
      outcome.ok
        ? { entity: imported, uncertain: outcome.uncertain, absent: outcome.absent }
        : null,
    );
    // Only this card's history is reloaded: reloading the list would re-create the cards and
    // lose the message just shown.
    await refetch();
  };
  return (
    <section class="card wide" data-testid="source">
      <h2>
        <A href={`/sources/${props.source.id}`}>{props.source.name}</A>
      </h2>
      <SourceSummary source={props.source} runs={runs()?.items} />
      <SourceMappingLinks source={props.source} runs={runs()?.items} />
      <Show when={props.source.kind === "odoo"}>
        <OdooSourceActions source={props.source} onSynced={() => void refetch()} />
      </Show>
      <Show when={canEdit() && props.source.kind === "file"}>
        <FileUpload
          label={t("sources.file")}
          hint={t("sources.drop")}
          accept=".csv,.txt,.xlsx,text/csv"
          upload={(file, onProgress, signal) => {
            setState(null);
            setToCheck(null);
            sent = entity();
            return api.upload(props.source.id, sent, file, onProgress, signal);
          }}
          onUploaded={(job) =>
            void follow(job, sent).catch(() =>
              setState({ kind: "error", text: t("sources.failed") }),
            )
          }
        >
          <label>
            {t("sources.entity")}
            <select
              value={entity()}
              onChange={(e) => setEntity(e.currentTarget.value as ImportEntity)}
            >
              <option value="customers">{t("sources.entities.customers")}</option>
              <option value="products">{t("sources.entities.products")}</option>
              <option value="order_lines">{t("sources.entities.order_lines")}</option>
            </select>
          </label>
        </FileUpload>
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
      <Show when={toCheck()?.absent}>
        {(a) => (
          <p class="warning" data-testid="absent-customers">
            {t("sources.absentCustomers", {
              count: formatNumber(a().count),
              sample: a().sample.join(", ") + (a().count > a().sample.length ? ", …" : ""),
            })}
          </p>
        )}
      </Show>
      <Show when={toCheck()?.uncertain}>
        {(fields) => (
          <UncertainMapping
            sourceId={props.source.id}
            entity={toCheck()!.entity}
            fields={fields()}
          />
        )}
      </Show>
      <Show when={runs()?.items.length}>
        <RunTable runs={runs()!.items.slice(0, RECENT_RUNS)} />
        <Show when={runs()!.total > RECENT_RUNS}>
          <p>
            <A href={`/sources/${props.source.id}`}>
              {t("sources.allRuns", { count: formatNumber(runs()!.total) })}
            </A>
          </p>
        </Show>
      </Show>
    </section>
  );
}

/** The line the list is read by: what kind of source, when it last ran, how it went. */
/** The source's kind and last sync: the newest of its history once loaded (it grows on upload). */
function SourceSummary(props: { source: Source; runs: SyncRun[] | undefined }) {
  const last = () => props.runs?.[0] ?? props.source.lastRun;
  return (
    <p class="muted" data-testid="source-summary">
      {t(`sourceDetail.kind.${props.source.kind}`)} ·{" "}
      <Show when={last()} fallback={t("sourceDetail.neverSynced")}>
        {(run) => (
          <>
            {formatDateTime(run().startedAt)} ·{" "}
            <span
              class={`tag ${run().status === "succeeded" ? "approved" : run().status === "failed" ? "rejected" : ""}`}
            >
              {t(`sources.statuses.${run().status as "succeeded"}`)}
            </span>
            <Show when={run().qualityScore !== null}>
              {" "}
              · {t("sources.quality")} {Math.round(run().qualityScore!)}/100
            </Show>
          </>
        )}
      </Show>
    </p>
  );
}
