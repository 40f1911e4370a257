import { For, Show } from "solid-js";
import type { MappingPreview, QualityBreakdown as Quality, Severity } from "../../lib/api.ts";
import { formatNumber, formatPercent, locale, t } from "../../lib/i18n.ts";

const PARTS = [
  "completeness",
  "validity",
  "consistency",
  "uniqueness",
  "mappingConfidence",
  "rejectedShare",
] as const;
const SEVERITIES: Severity[] = ["critical", "high", "medium", "low"];

/** The sample's quality score out of 100 and the shares it is made of. */
export function QualityBreakdown(props: { quality: Quality | undefined }) {
  return (
    <section class="card quality-breakdown">
      <h2>{t("mapping.quality.title")}</h2>
      <Show when={props.quality} fallback={<p class="muted">{t("mapping.quality.waiting")}</p>}>
        {(q) => (
          <>
            <p class="score" data-testid="quality-score">
              {t("mapping.quality.score", { score: formatNumber(Math.round(q().score)) })}
            </p>
            <p class="muted">{t("mapping.quality.over", { rows: formatNumber(q().rows) })}</p>
            <dl class="facts">
              <For each={PARTS}>
                {(part) => (
                  <>
                    <dt>{t(`mapping.quality.parts.${part}`)}</dt>
                    <dd data-testid={`quality-${part}`}>
                      <span
                        class="bar"
                        classList={{ bad: part === "rejectedShare" }}
                        style={{ width: `${Math.round(q()[part] * 40) / 10}rem` }}
                        aria-hidden="true"
                      />
                      {formatPercent(q()[part])}
                    </dd>
                  </>
                )}
              </For>
            </dl>
          </>
        )}
      </Show>
    </section>
  );
}

/** The sample's anomalies by severity, worst first, each kind counted with an example line. */
export function AnomalySummary(props: { preview: MappingPreview | undefined }) {
  const groups = () => {
    const byCode = new Map<
      string,
      { severity: Severity; count: number; text: string; line: number }
    >();
    for (const row of props.preview?.rows ?? [])
      for (const issue of row.issues) {
        const known = byCode.get(issue.code);
        if (known) known.count++;
        else
          byCode.set(issue.code, {
            severity: issue.severity,
            count: 1,
            text: issue.message[locale()],
            line: row.line,
          });
      }
    return SEVERITIES.map((severity) => ({
      severity,
      total: props.preview?.anomalies[severity] ?? 0,
      kinds: [...byCode.values()]
        .filter((k) => k.severity === severity)
        .sort((a, b) => b.count - a.count),
    })).filter((g) => g.total > 0);
  };
  return (
    <section class="card anomaly-summary">
      <h2>{t("mapping.anomalies.title")}</h2>
      <Show when={props.preview}>
        <Show when={groups().length > 0} fallback={<p>{t("mapping.anomalies.none")}</p>}>
          <For each={groups()}>
            {(group) => (
              <div class="severity-group" data-testid={`anomalies-${group.severity}`}>
                <h3>
                  <span class={`tag severity-${group.severity}`}>
                    {t(`anomalies.severities.${group.severity}`)}
                  </span>{" "}
                  {formatNumber(group.total)}
                </h3>
                <ul>
                  <For each={group.kinds}>
                    {(kind) => (
                      <li>
                        {kind.text}{" "}
                        <span class="muted">
                          (
                          {t("mapping.anomalies.example", {
                            count: formatNumber(kind.count),
                            line: kind.line,
                          })}
                          )
                        </span>
                      </li>
                    )}
                  </For>
                </ul>
              </div>
            )}
          </For>
        </Show>
      </Show>
    </section>
  );
}
