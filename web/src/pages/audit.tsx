import { createResource, For, Show } from "solid-js";
import { SignedIn } from "../components/signed-in.tsx";
import { TableScroll } from "../ui/table-scroll.tsx";
import { api, type AlgorithmResult } from "../lib/api.ts";
import {
  algorithmName,
  formatDate,
  formatNumber,
  formatPeriod,
  formatTenthsPercent,
  locale,
  t,
} from "../lib/i18n.ts";

/** What each algorithm measured on the estate's own history, next to the popularity baseline. */
export default function Audit() {
  return (
    <>
      <h1>{t("nav.audit")}</h1>
      <SignedIn>
        <Report />
      </SignedIn>
    </>
  );
}

const pct = (v: number | null) => (v === null ? "—" : formatTenthsPercent(v));

function Report() {
  const [report] = createResource(api.audit);
  const results = (protocol: "all" | "new") =>
    report()?.lastRun?.evaluation?.results.filter((r) => r.protocol === protocol) ?? [];
  const best = (protocol: "all" | "new") =>
    Math.max(0.0001, ...results(protocol).map((r) => r.ndcg));
  return (
    <Show when={report()} fallback={<p role="status">{t("audit.loading")}</p>}>
      {(r) => (
        <>
          <section class="card wide">
            <h2>{t("audit.review")}</h2>
            <dl class="facts">
              <dt>{t("audit.approvalRate")}</dt>
              <dd data-testid="approval-rate">{pct(r().approvalRate)}</dd>
              <dt>{t("audit.meanRating")}</dt>
              <dd>
                {r().meanRating === null
                  ? "—"
                  : `${formatNumber(Math.round(r().meanRating! * 10) / 10)} / 5`}
              </dd>
            </dl>
            <Show when={r().reviewByAlgorithm.length}>
              <TableScroll label={t("audit.byAlgorithm")}>
                <table class="grid" data-testid="review-by-algorithm">
                  <caption class="muted">{t("audit.byAlgorithm")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("audit.algorithm")}</th>
                      <th scope="col">{t("audit.proposed")}</th>
                      <th scope="col">{t("audit.approvedRejected")}</th>
                      <th scope="col">{t("audit.approvalRate")}</th>
                      <th scope="col">{t("audit.meanRating")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={r().reviewByAlgorithm}>
                      {(a) => (
                        <tr>
                          <th scope="row">{algorithmName(a.algorithm)}</th>
                          <td>{formatNumber(a.proposed)}</td>
                          <td>
                            {formatNumber(a.approved)} / {formatNumber(a.rejected)}
                          </td>
                          <td>
                            <span
                              class="bar"
                              style={{ width: `${(a.approvalRate ?? 0) * 80}px` }}
                            />{" "}
                            {pct(a.approvalRate)}
                          </td>
                          <td>
                            {a.meanRating === null
                              ? "—"
                              : t("audit.ratingOf", {
                                  mean: formatNumber(Math.round(a.meanRating * 10) / 10),
                                  count: formatNumber(a.ratings),
                                })}
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </TableScroll>
            </Show>
            <p>
              <a href={`/api/reports/audit.pdf?lang=${locale()}`} target="_blank" rel="noopener">
                {t("audit.pdf")}
              </a>
            </p>
          </section>
          <Show
            when={r().lastRun?.evaluation?.results.length}
            fallback={<p>{r().lastRun ? t("audit.tooShort") : t("audit.noRun")}</p>}
          >
            <p class="muted">
              {t("audit.method", {
                split: formatDate(r().lastRun!.evaluation!.splitDate),
                period: formatPeriod(r().lastRun!.evaluation!.horizonDays),
                k: String(r().lastRun!.evaluation!.k),
              })}
            </p>
            <For each={["all", "new"] as const}>
              {(protocol) => (
                <section class="card wide">
                  <h2>{t(`audit.protocol.${protocol}`)}</h2>
                  <TableScroll label={t(`audit.protocol.${protocol}`)}>
                    <table class="grid" data-testid={`metrics-${protocol}`}>
                      <thead>
                        <tr>
                          <th scope="col">{t("audit.algorithm")}</th>
                          <th scope="col">NDCG@{r().lastRun!.evaluation!.k}</th>
                          <th scope="col">{t("audit.precision")}</th>
                          <th scope="col">{t("audit.recall")}</th>
                          <th scope="col">MAP</th>
                          <th scope="col">{t("audit.hitRate")}</th>
                          <th scope="col">{t("audit.coverage")}</th>
                        </tr>
                      </thead>
                      <tbody>
                        <For each={results(protocol)}>
                          {(row: AlgorithmResult) => (
                            <tr classList={{ baseline: row.algorithm === "popularity" }}>
                              <th scope="row">
                                {algorithmName(row.algorithm)}{" "}
                                <span class="muted">{row.algorithm}</span>
                                <Show when={row.algorithm === "popularity"}>
                                  <span class="tag">{t("audit.baseline")}</span>
                                </Show>
                              </th>
                              <td>
                                <span
                                  class="bar"
                                  style={{ width: `${(row.ndcg / best(protocol)) * 6}rem` }}
                                />
                                {pct(row.ndcg)}
                              </td>
                              <td>{pct(row.precision)}</td>
                              <td>{pct(row.recall)}</td>
                              <td>{pct(row.map)}</td>
                              <td>{pct(row.hitRate)}</td>
                              <td>{pct(row.coverage)}</td>
                            </tr>
                          )}
                        </For>
                      </tbody>
                    </table>
                  </TableScroll>
                </section>
              )}
            </For>
          </Show>
        </>
      )}
    </Show>
  );
}
