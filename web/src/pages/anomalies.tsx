import { canonicalFields, type ImportEntity } from "@crm-reco/core/mapping/canonical-fields";
import { A, useSearchParams } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { Pager } from "../components/pager.tsx";
import { SignedIn } from "../components/signed-in.tsx";
import { type Anomaly, api, ApiError } from "../lib/api.ts";
import { formatNumber, locale, t } from "../lib/i18n.ts";
import { canEdit } from "../lib/session.ts";
import { TableScroll } from "../ui/table-scroll.tsx";

const PAGE = 50;
const SEVERITIES = ["critical", "high", "medium", "low"] as const;

/** Data problems found by imports, most severe first: resolve them or say they do not matter. */
export default function Anomalies() {
  return (
    <>
      <h1>{t("nav.anomalies")}</h1>
      <SignedIn>
        <AnomalyList />
      </SignedIn>
    </>
  );
}

function AnomalyList() {
  // A source's validation report links here with its source, an anomaly kind and its field.
  const [search, setSearch] = useSearchParams<{ source?: string; code?: string; field?: string }>();
  const [status, setStatus] = createSignal("open");
  const [severity, setSeverity] = createSignal("");
  const [offset, setOffset] = createSignal(0);
  const [error, setError] = createSignal<string | null>(null);
  const [page, { refetch, mutate }] = createResource(
    () => ({
      status: status(),
      severity: severity() || undefined,
      sourceId: search.source,
      code: search.code,
      field: search.field,
      limit: PAGE,
      offset: offset(),
    }),
    api.anomalies,
  );
  let rows: HTMLTableSectionElement | undefined;
  /** After a row leaves, the keyboard carries on from the row that took its place. */
  const focusRowAt = (index: number) =>
    queueMicrotask(() => {
      const all = rows?.querySelectorAll<HTMLTableRowElement>("tr") ?? [];
      const row = all[Math.min(index, all.length - 1)];
      (row?.querySelector("button") ?? document.querySelector<HTMLElement>("h1"))?.focus();
    });
  const decide = async (anomaly: Anomaly, next: "resolved" | "ignored" | "open") => {
    setError(null);
    // Optimistic: the row leaves the list at once, and comes back if the server refuses.
    const before = page();
    const index = before?.items.findIndex((a) => a.id === anomaly.id) ?? 0;
    mutate(
      (p) => p && { ...p, items: p.items.filter((a) => a.id !== anomaly.id), total: p.total - 1 },
    );
    focusRowAt(index);
    try {
      await api.decideAnomaly(anomaly.id, next);
    } catch (cause) {
      mutate(before);
      setError(cause instanceof ApiError ? cause.message : String(cause));
      await refetch();
    }
  };
  return (
    <>
      <div class="toolbar">
        <label>
          {t("anomalies.status")}
          <select
            value={status()}
            onChange={(e) => (setOffset(0), setStatus(e.currentTarget.value))}
          >
            <option value="open">{t("anomalies.statuses.open")}</option>
            <option value="resolved">{t("anomalies.statuses.resolved")}</option>
            <option value="ignored">{t("anomalies.statuses.ignored")}</option>
          </select>
        </label>
        <label>
          {t("anomalies.severity")}
          <select
            value={severity()}
            onChange={(e) => (setOffset(0), setSeverity(e.currentTarget.value))}
          >
            <option value="">{t("anomalies.allSeverities")}</option>
            <For each={SEVERITIES}>
              {(s) => <option value={s}>{t(`anomalies.severities.${s}`)}</option>}
            </For>
          </select>
        </label>
        <Show when={search.source || search.code}>
          <button
            type="button"
            class="secondary"
            onClick={() => (
              setOffset(0),
              setSearch({ source: undefined, code: undefined, field: undefined })
            )}
          >
            {t("anomalies.clearFilter")}
          </button>
        </Show>
        <Show when={page()}>
          {(p) => (
            <span class="muted" data-testid="anomalies-total">
              {t("anomalies.total", { count: formatNumber(p().total) })}
            </span>
          )}
        </Show>
      </div>
      <Show when={error()}>
        <p role="alert" class="error">
          {error()}
        </p>
      </Show>
      <Show when={page()?.items.length === 0}>
        <p>{t("anomalies.empty")}</p>
      </Show>
      <Show when={page()?.items.length}>
        <TableScroll label={t("nav.anomalies")}>
          <table class="grid">
            <thead>
              <tr>
                <th scope="col">{t("anomalies.severity")}</th>
                <th scope="col">{t("anomalies.problem")}</th>
                <th scope="col">{t("anomalies.where")}</th>
                <th scope="col">{t("anomalies.value")}</th>
                <Show when={canEdit()}>
                  <th scope="col">{t("reco.actions")}</th>
                </Show>
              </tr>
            </thead>
            <tbody ref={(el) => (rows = el)}>
              <For each={page()!.items}>
                {(a) => (
                  <tr data-testid="anomaly-row">
                    <td>
                      <span class={`tag severity-${a.severity}`}>
                        {t(`anomalies.severities.${a.severity}`)}
                      </span>
                    </td>
                    <td title={a.code}>
                      {messageOf(a)}
                      <Show when={a.field}>
                        <div class="muted">{fieldLabel(a)}</div>
                      </Show>
                    </td>
                    <td>
                      {/* A refused line has no record: the link below names its line. */}
                      {a.recordKey?.startsWith("line:") ? "" : (a.recordKey ?? "—")}
                      <Show when={a.lineNumber && a.sourceId && a.syncRunId}>
                        <div>
                          <A
                            href={`/sources/${a.sourceId}?run=${a.syncRunId}&line=${a.lineNumber}`}
                            data-testid="jump-to-row"
                          >
                            {t("anomalies.line", { line: String(a.lineNumber) })}
                          </A>
                        </div>
                      </Show>
                    </td>
                    {/* A refused line's value is its reasons, which the message already gives. */}
                    <td>{a.code === "row.rejected" ? "" : String(a.details?.value ?? "")}</td>
                    <Show when={canEdit()}>
                      <td class="actions">
                        <Show
                          when={a.status === "open"}
                          fallback={
                            <button
                              type="button"
                              class="secondary"
                              aria-label={actionOn(t("anomalies.reopen"), a)}
                              onClick={() => void decide(a, "open")}
                            >
                              {t("anomalies.reopen")}
                            </button>
                          }
                        >
                          <button
                            type="button"
                            aria-label={actionOn(t("anomalies.resolve"), a)}
                            onClick={() => void decide(a, "resolved")}
                          >
                            {t("anomalies.resolve")}
                          </button>
                          <button
                            type="button"
                            class="secondary"
                            aria-label={actionOn(t("anomalies.ignore"), a)}
                            onClick={() => void decide(a, "ignored")}
                          >
                            {t("anomalies.ignore")}
                          </button>
                        </Show>
                      </td>
                    </Show>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </TableScroll>
        <Pager offset={offset()} pageSize={PAGE} total={page()?.total ?? 0} onChange={setOffset} />
      </Show>
    </>
  );
}

/** The importer stores each anomaly's message in both languages; older rows may lack it. */
function messageOf(anomaly: Anomaly): string {
  const message = anomaly.details?.message as { fr?: string; en?: string } | undefined;
  return message?.[locale()] ?? anomaly.code;
}

/** The field as the mapping editor names it ("Code article"), its key for one it does not know. */
function fieldLabel(anomaly: Anomaly): string {
  const fields = canonicalFields[anomaly.entity as ImportEntity] ?? [];
  return fields.find((f) => f.key === anomaly.field)?.label[locale()] ?? anomaly.field ?? "";
}

/** A row's button says which anomaly it acts on, for a screen reader going button to button. */
const actionOn = (action: string, a: Anomaly) =>
  t("anomalies.actionOn", { action, what: `${messageOf(a)} (${a.recordKey ?? "—"})` });
