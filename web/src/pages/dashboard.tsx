import { createResource, Match, Switch } from "solid-js";
import { api } from "../lib/api.ts";
import { t } from "../lib/i18n.ts";
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
    </>
  );
}
