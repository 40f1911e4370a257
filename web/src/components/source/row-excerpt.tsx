import { createResource, For, Show } from "solid-js";
import { api } from "../../lib/api.ts";
import { locale, t } from "../../lib/i18n.ts";
import { TableScroll } from "../../ui/table-scroll.tsx";

/**
 * "Jump to the row": the lines around one line of a run's file, exactly as uploaded, the line in
 * question highlighted and its rejections and anomalies listed under it.
 */
export function RowExcerpt(props: { runId: string; line: number; onClose: () => void }) {
  const [excerpt] = createResource(
    () => ({ runId: props.runId, line: props.line }),
    (key) => api.runRows(key.runId, key.line),
  );
  return (
    <section class="card wide excerpt" data-testid="row-excerpt" aria-labelledby="excerpt-title">
      <Show when={excerpt.error}>
        <p role="alert" class="error">
          {t("sourceDetail.excerptFailed", { reason: (excerpt.error as Error).message })}
        </p>
      </Show>
      <Show when={excerpt()}>
        {(x) => {
          return (
            <>
              <h2 id="excerpt-title" tabindex="-1" ref={(el) => queueMicrotask(() => el.focus())}>
                {t("sourceDetail.excerpt", { line: String(props.line), file: x().fileName })}
              </h2>
              <p class="muted">{t("sourceDetail.excerptHelp")}</p>
              <TableScroll
                label={t("sourceDetail.excerpt", { line: String(props.line), file: x().fileName })}
              >
                <table class="grid preview">
                  <thead>
                    <tr>
                      <th scope="col">{t("sourceDetail.line")}</th>
                      <For each={x().columns}>{(c) => <th scope="col">{c}</th>}</For>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={x().rows}>
                      {(row) => (
                        <tr
                          classList={{ "target-row": row.line === props.line }}
                          data-testid={row.line === props.line ? "target-row" : undefined}
                        >
                          <th scope="row">{row.line}</th>
                          <For each={x().columns}>{(_, i) => <td>{row.values[i()] ?? ""}</td>}</For>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </TableScroll>
              <ul class="issues">
                <For each={x().issues}>
                  {(issue) => (
                    <li>
                      <span
                        class={`tag ${issue.kind === "rejected" ? "rejected" : `severity-${issue.severity}`}`}
                      >
                        {issue.kind === "rejected"
                          ? t("sourceDetail.issueRejected")
                          : t(`anomalies.severities.${issue.severity!}`)}
                      </span>{" "}
                      {t("sourceDetail.issueAt", {
                        line: String(issue.line),
                        message: issue.message[locale()],
                      })}
                    </li>
                  )}
                </For>
              </ul>
            </>
          );
        }}
      </Show>
      <button type="button" class="secondary" onClick={() => props.onClose()}>
        {t("sourceDetail.close")}
      </button>
    </section>
  );
}
