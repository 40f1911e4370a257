import { Show } from "solid-js";
import type { Health } from "../lib/api.ts";
import { formatNumber, t } from "../lib/i18n.ts";

/** The system status on the dashboard; `health` undefined means the server did not answer. */
export function HealthCard(props: { health: Health | undefined; onRetry: () => void }) {
  const state = () => props.health?.status ?? "unreachable";
  return (
    <section class="card" aria-labelledby="system-status">
      <h2 id="system-status">{t("dashboard.system")}</h2>
      <p class={`status ${state()}`} data-testid="health-status">
        {t(`dashboard.status.${state()}`)}
      </p>
      <Show when={props.health}>
        {(health) => (
          <dl class="facts">
            <dt>{t("dashboard.database")}</dt>
            <dd data-testid="health-database">
              {t(`dashboard.driver.${health().database.driver}`)} —{" "}
              {health().database.ok
                ? t("dashboard.databaseOk", { ms: formatNumber(health().database.latencyMs) })
                : t("dashboard.databaseDown")}
            </dd>
            <dt>{t("dashboard.version")}</dt>
            <dd>{health().version}</dd>
          </dl>
        )}
      </Show>
      <Show when={state() !== "ok"}>
        <p>
          <button type="button" onClick={() => props.onRetry()}>
            {t("dashboard.retry")}
          </button>
        </p>
      </Show>
    </section>
  );
}
