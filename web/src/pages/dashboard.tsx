import { A } from "@solidjs/router";
import { createResource, Match, Show, Switch } from "solid-js";
import { api } from "../lib/api.ts";
import { formatNumber, t } from "../lib/i18n.ts";
import { me } from "../lib/session.ts";
import { HealthCard } from "../components/health-card.tsx";

export default function Dashboard() {
  const [health, { refetch }] = createResource(api.health);
  return (
    <>
      <h1>{t("dashboard.title")}</h1>
      <Switch>
        <Match when={health.loading}>
          <p role="status">{t("dashboard.loading")}</p>
        </Match>
        <Match when={health.error}>
          <HealthCard health={undefined} onRetry={refetch} />
        </Match>
        <Match when={health()}>
          {(value) => <HealthCard health={value()} onRetry={refetch} />}
        </Match>
      </Switch>
      <Show when={me()}>
        <Figures />
      </Show>
    </>
  );
}

/** The estate's key counts, for a signed-in person. */
function Figures() {
  const [figures] = createResource(api.dashboard);
  const openAnomalies = () =>
    Object.values(figures()?.openAnomalies ?? {}).reduce((sum, n) => sum + n, 0);
  return (
    <Show when={figures()}>
      {(f) => (
        <section class="card figures" aria-labelledby="figures-title">
          <h2 id="figures-title">{t("figures.title")}</h2>
          <dl class="facts">
            <dt>{t("figures.customers")}</dt>
            <dd data-testid="figure-customers">{formatNumber(f().customers)}</dd>
            <dt>{t("figures.products")}</dt>
            <dd>{formatNumber(f().products)}</dd>
            <dt>{t("figures.orders")}</dt>
            <dd>{formatNumber(f().orders)}</dd>
            <dt>{t("figures.pending")}</dt>
            <dd data-testid="figure-pending">{formatNumber(f().recommendations.pending ?? 0)}</dd>
            <dt>{t("figures.approved")}</dt>
            <dd>
              {formatNumber(
                (f().recommendations.approved ?? 0) + (f().recommendations.exported ?? 0),
              )}
            </dd>
            <dt>{t("figures.anomalies")}</dt>
            <dd>{formatNumber(openAnomalies())}</dd>
            <dt>{t("figures.feedback")}</dt>
            <dd>
              {f().averageFeedback === null
                ? "—"
                : `${formatNumber(Math.round(f().averageFeedback! * 10) / 10)} / 5`}
            </dd>
          </dl>
          <p>
            <A href="/recommendations">{t("figures.review")}</A>
          </p>
        </section>
      )}
    </Show>
  );
}
