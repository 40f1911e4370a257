import { createResource, type JSX, Match, Show, Switch } from "solid-js";
import { CategoryBars } from "../components/category-bars.tsx";
import { HealthCard } from "../components/health-card.tsx";
import { LastSyncs } from "../components/last-syncs.tsx";
import { NeedsAttention } from "../components/needs-attention.tsx";
import { OrdersChart } from "../components/orders-chart.tsx";
import { SignIn } from "../components/sign-in.tsx";
import { api, type Dashboard as Figures } from "../lib/api.ts";
import { formatNumber, formatPercent, t } from "../lib/i18n.ts";
import { me } from "../lib/session.ts";
import { shownMonths } from "../lib/shown-months.ts";
import "./dashboard.css";
import { takeDashboard } from "./dashboard-preload.ts";

export default function Dashboard() {
  const [health, { refetch }] = createResource(api.health);
  const healthCard = (
    <Switch>
      <Match when={health.loading}>
        <p role="status">{t("dashboard.loading")}</p>
      </Match>
      <Match when={health.error}>
        <HealthCard health={undefined} onRetry={refetch} />
      </Match>
      <Match when={health()}>{(value) => <HealthCard health={value()} onRetry={refetch} />}</Match>
    </Switch>
  );
  return (
    <>
      <h1>{t("dashboard.title")}</h1>
      <Show when={me()} fallback={healthCard}>
        <EstateFigures health={healthCard} />
      </Show>
      {/* The landing page: whoever is not signed in can sign in here. */}
      <Show when={!me.loading && me() === null}>
        <div class="overview-sign-in">
          <SignIn />
        </div>
      </Show>
    </>
  );
}

/** The estate's counts, trends and what to deal with, for a signed-in person. */
function EstateFigures(props: { health: JSX.Element }) {
  const [figures, { refetch }] = createResource(takeDashboard);
  return (
    <div class="overview">
      <Switch>
        <Match when={figures.error}>
          <div role="alert" class="card">
            <p class="error">{t("overview.loadError")}</p>
            <button type="button" onClick={() => void refetch()}>
              {t("overview.retry")}
            </button>
          </div>
        </Match>
        <Match when={figures()}>{(f) => <Overview figures={f()} />}</Match>
        <Match when={figures.loading}>
          <p role="status">{t("overview.loading")}</p>
        </Match>
      </Switch>
      <div class="overview-health">{props.health}</div>
    </div>
  );
}

function Overview(props: { figures: Figures }) {
  const f = () => props.figures;
  const months = () => shownMonths(f().ordersByMonth);
  const lastYear = () =>
    months()
      .slice(-12)
      .reduce((sum, m) => sum + m.orders, 0);
  const openAnomalies = () => Object.values(f().openAnomalies).reduce((sum, n) => sum + n, 0);
  const grave = () => (f().openAnomalies.critical ?? 0) + (f().openAnomalies.high ?? 0);
  return (
    <>
      <section aria-labelledby="figures-title">
        <h2 id="figures-title" class="visually-hidden">
          {t("figures.title")}
        </h2>
        <dl class="kpis">
          <Kpi label={t("overview.kpi.customers")} testId="figure-customers">
            {formatNumber(f().customers)}
          </Kpi>
          <Kpi
            label={t("overview.kpi.orders")}
            note={t("overview.kpi.ordersLast12", { count: formatNumber(lastYear()) })}
          >
            {formatNumber(f().orders)}
          </Kpi>
          <Kpi label={t("overview.kpi.pending")} testId="figure-pending">
            {formatNumber(f().recommendations.pending ?? 0)}
          </Kpi>
          <Kpi
            label={t("overview.kpi.approval")}
            testId="figure-approval"
            note={
              f().approval.decided === 0
                ? t("overview.kpi.noDecision")
                : t("overview.kpi.approvalOf", {
                    approved: formatNumber(f().approval.approved),
                    decided: formatNumber(f().approval.decided),
                  })
            }
            gauge={f().approval.rate}
          >
            {f().approval.rate === null ? "—" : formatPercent(f().approval.rate!)}
          </Kpi>
          <Kpi
            label={t("overview.kpi.rating")}
            testId="figure-rating"
            note={
              f().feedbackCount === 0
                ? t("overview.kpi.noRating")
                : t("overview.kpi.ratingOf", { count: formatNumber(f().feedbackCount) })
            }
            gauge={f().averageFeedback === null ? null : f().averageFeedback! / 5}
          >
            {f().averageFeedback === null
              ? "—"
              : `${formatNumber(Math.round(f().averageFeedback! * 10) / 10)} / 5`}
          </Kpi>
          <Kpi
            label={t("overview.kpi.anomalies")}
            note={grave() > 0 ? t("overview.kpi.anomaliesGrave", { count: grave() }) : undefined}
          >
            {formatNumber(openAnomalies())}
          </Kpi>
        </dl>
      </section>
      <div class="overview-grid">
        <section class="card overview-orders" aria-labelledby="orders-title">
          <h2 id="orders-title">{t("overview.orders.title")}</h2>
          {/* With no order at all, the chart says so for 24 months: no count of months above it. */}
          <Show when={months().some((m) => m.orders > 0)}>
            <p class="muted">
              {t("overview.orders.subtitle", { months: formatNumber(months().length) })}
            </p>
          </Show>
          <OrdersChart
            months={months()}
            // What `npm run bench:web` measures: the figures and the chart are on screen.
            onDrawn={() => performance.mark("dashboard-usable")}
          />
        </section>
        <section class="card" aria-labelledby="attention-title">
          <h2 id="attention-title">{t("overview.attention.title")}</h2>
          <NeedsAttention items={f().needsAttention} />
        </section>
        <section class="card" aria-labelledby="recos-title">
          <h2 id="recos-title">{t("overview.recommendations.title")}</h2>
          <CategoryBars
            testId="recommendations-by-status"
            empty={t("overview.recommendations.empty")}
            bars={(["pending", "approved", "exported", "rejected"] as const).map((status) => ({
              key: status,
              label: t(`reco.statuses.${status}`),
              value: f().recommendations[status] ?? 0,
              tone: status,
            }))}
          />
        </section>
        <section class="card" aria-labelledby="anomalies-title">
          <h2 id="anomalies-title">{t("overview.anomalies.title")}</h2>
          <CategoryBars
            testId="anomalies-by-severity"
            empty={t("overview.anomalies.empty")}
            bars={(["critical", "high", "medium", "low"] as const).map((severity) => ({
              key: severity,
              label: t(`anomalies.severities.${severity}`),
              value: f().openAnomalies[severity] ?? 0,
              tone: `severity-${severity}`,
            }))}
          />
        </section>
        <section class="card overview-syncs" aria-labelledby="syncs-title">
          <h2 id="syncs-title">{t("overview.syncs.title")}</h2>
          <LastSyncs syncs={f().lastSyncs} />
        </section>
      </div>
    </>
  );
}

/** One key figure; `gauge` (0-1) draws a thin bar under it. */
function Kpi(props: {
  label: string;
  testId?: string;
  note?: string;
  gauge?: number | null;
  children: JSX.Element;
}) {
  return (
    <div class="kpi">
      <dt>{props.label}</dt>
      <dd>
        <span class="kpi-value" data-testid={props.testId}>
          {props.children}
        </span>
        <Show when={props.gauge !== undefined && props.gauge !== null}>
          <span class="kpi-gauge" aria-hidden="true">
            <span style={{ width: `${Math.min(1, props.gauge!) * 100}%` }} />
          </span>
        </Show>
        <Show when={props.note}>
          <span class="kpi-note">{props.note}</span>
        </Show>
      </dd>
    </div>
  );
}
