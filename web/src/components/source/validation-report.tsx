import { For, Show } from "solid-js";
import type { ValidationReport as Report } from "../../lib/api.ts";
import { formatNumber, locale, t } from "../../lib/i18n.ts";

/** What the last sync rejected and which anomalies are still open, each with an example. */
export function ValidationReport(props: { report: Report; sourceId: string }) {
  return (
    <div class="validation" data-testid="validation-report">
      <section>
        <h3>{t("sourceDetail.rejectedTitle")}</h3>
        <Show
          when={props.report.rejectedByReason.length}
          fallback={<p class="muted">{t("sourceDetail.noRejected")}</p>}
        >
          <ul>
            <For each={props.report.rejectedByReason}>
              {(r) => (
                <li>
                  <strong>
                    {t(r.rows === 1 ? "sourceDetail.row" : "sourceDetail.rows", {
                      count: formatNumber(r.rows),
                    })}
                  </strong>{" "}
                  — {r.example[locale()]}
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
      <section>
        <h3>{t("sourceDetail.anomaliesTitle")}</h3>
        <Show
          when={props.report.openAnomalies.length}
          fallback={<p class="muted">{t("sourceDetail.noAnomalies")}</p>}
        >
          <ul>
            <For each={props.report.openAnomalies}>
              {(a) => (
                <li data-testid="validation-anomaly">
                  <span class={`tag severity-${a.severity}`}>
                    {t(`anomalies.severities.${a.severity}`)}
                  </span>{" "}
                  <strong>{formatNumber(a.count)}</strong> × {a.example[locale()]}{" "}
                  <a
                    href={`/anomalies?source=${props.sourceId}&code=${encodeURIComponent(a.code)}${
                      a.field ? `&field=${encodeURIComponent(a.field)}` : ""
                    }`}
                  >
                    {t("sourceDetail.seeAnomalies")}
                  </a>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
    </div>
  );
}
