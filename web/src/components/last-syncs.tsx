import { For, Show } from "solid-js";
import type { Dashboard } from "../lib/api.ts";
import { errorText, formatDateTime, t } from "../lib/i18n.ts";
import { TableScroll } from "../ui/table-scroll.tsx";

type LastSync = Dashboard["lastSyncs"][number];

const tone = (status: string) =>
  status === "succeeded" ? "approved" : status === "failed" ? "rejected" : "";

/** Each source's latest import or sync, and how it went. */
export function LastSyncs(props: { syncs: LastSync[] }) {
  return (
    <Show when={props.syncs.length > 0} fallback={<p class="muted">{t("overview.syncs.empty")}</p>}>
      {/* A file name does not wrap: on a phone the table scrolls in its box, not the page. */}
      <TableScroll label={t("overview.syncs.title")}>
        <table class="grid last-syncs" data-testid="last-syncs">
          <thead>
            <tr>
              <th scope="col">{t("overview.syncs.source")}</th>
              <th scope="col">{t("overview.syncs.when")}</th>
              <th scope="col">{t("overview.syncs.what")}</th>
              <th scope="col">{t("overview.syncs.status")}</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.syncs}>
              {(sync) => (
                <tr>
                  <th scope="row">
                    {sync.sourceName}
                    <Show when={sync.schedule}>
                      <span class="tag">{t("overview.syncs.schedule")}</span>
                    </Show>
                  </th>
                  <Show
                    when={sync.run}
                    fallback={
                      <td colSpan={3} class="muted">
                        {t("overview.syncs.never")}
                      </td>
                    }
                  >
                    {(run) => (
                      <>
                        <td>{formatDateTime(run().startedAt)}</td>
                        <td>
                          {run().fileName ??
                            (run().entity
                              ? t(`sources.entities.${run().entity as "customers"}`)
                              : "—")}
                        </td>
                        <td>
                          <span class={`tag ${tone(run().status)}`}>
                            {t(`sources.statuses.${run().status as "succeeded"}`)}
                          </span>
                          <Show when={run().errorMessage}>
                            <div class="muted">
                              {errorText({ code: run().errorCode, message: run().errorMessage })}
                            </div>
                          </Show>
                        </td>
                      </>
                    )}
                  </Show>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </TableScroll>
    </Show>
  );
}
