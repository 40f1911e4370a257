import { createResource, createSignal, For, Show } from "solid-js";
import { api, type SyncRun } from "../../lib/api.ts";
import {
  errorText,
  formatDateTime,
  formatDuration,
  formatNumber,
  locale,
  t,
} from "../../lib/i18n.ts";
import { Pager } from "../pager.tsx";
import "./source.css";
import { TableScroll } from "../../ui/table-scroll.tsx";

const PAGE = 20;

/** A source's sync history, newest first: counts, duration, quality, rejected rows to download. */
export function RunHistory(props: { sourceId: string; version?: number }) {
  const [offset, setOffset] = createSignal(0);
  const [page] = createResource(
    () => ({ id: props.sourceId, offset: offset(), version: props.version ?? 0 }),
    (key) => api.sourceRuns(key.id, { limit: PAGE, offset: key.offset }),
  );
  return (
    <Show when={page()?.items.length} fallback={<p class="muted">{t("sourceDetail.noRun")}</p>}>
      <RunTable runs={page()!.items} />
      <Show when={page()!.total > PAGE}>
        <Pager offset={offset()} pageSize={PAGE} total={page()!.total} onChange={setOffset} />
      </Show>
    </Show>
  );
}

/** Sync runs, newest first, one per row. */
export function RunTable(props: { runs: SyncRun[] }) {
  return (
    <TableScroll label={t("sourceDetail.history")}>
      <table class="grid" data-testid="run-history">
        <thead>
          <tr>
            <th scope="col">{t("sources.when")}</th>
            <th scope="col">{t("sourceDetail.entity")}</th>
            <th scope="col">{t("sources.fileName")}</th>
            <th scope="col">{t("sources.status")}</th>
            <th scope="col">{t("sources.counts")}</th>
            <th scope="col">{t("sourceDetail.duration")}</th>
            <th scope="col">{t("sources.quality")}</th>
            <th scope="col">{t("sources.rejectedRows")}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.runs}>{(run) => <HistoryRow run={run} />}</For>
        </tbody>
      </table>
    </TableScroll>
  );
}

function HistoryRow(props: { run: SyncRun }) {
  const r = () => props.run;
  return (
    <tr data-testid="run-row">
      <td>
        {formatDateTime(r().startedAt)}
        <div class="muted">
          {t(`sourceDetail.triggers.${r().trigger as "upload"}`) || r().trigger}
        </div>
      </td>
      <td>{r().entity ? t(`sources.entities.${r().entity as "customers"}`) : "—"}</td>
      <td>{r().fileName ?? "—"}</td>
      <td>
        <span
          class={`tag ${r().status === "succeeded" ? "approved" : r().status === "failed" ? "rejected" : ""}`}
        >
          {t(`sources.statuses.${r().status as "succeeded"}`)}
        </span>
        <Show when={r().errorMessage}>
          <div class="muted">{errorText({ code: r().errorCode, message: r().errorMessage })}</div>
        </Show>
      </td>
      <td>
        {t("sources.countsText", {
          read: formatNumber(r().rowsRead),
          inserted: formatNumber(r().rowsInserted),
          updated: formatNumber(r().rowsUpdated),
          unchanged: formatNumber(r().rowsUnchanged),
        })}
      </td>
      <td>{r().durationMs === null ? "—" : formatDuration(r().durationMs!)}</td>
      <td>{r().qualityScore === null ? "—" : `${Math.round(r().qualityScore!)}/100`}</td>
      <td>
        <Show when={r().rowsRejected > 0} fallback="0">
          <a href={`/api/runs/${r().id}/rejected-rows?format=csv&lang=${locale()}`} download="">
            {t("sources.download", { count: formatNumber(r().rowsRejected) })}
          </a>
        </Show>
      </td>
    </tr>
  );
}
