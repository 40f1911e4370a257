import { A, useParams } from "@solidjs/router";
import { createResource, Show } from "solid-js";
import { SignedIn } from "../components/signed-in.tsx";
import { TargetList } from "../components/target-list.tsx";
import { WineFacts } from "../components/wine-facts.tsx";
import { api, ApiError } from "../lib/api.ts";
import { t } from "../lib/i18n.ts";
import "./wines.css";

/**
 * "Customers for this wine": how the estate launches a vintage. The wine's facts, then the
 * customers most likely to buy it, to select and approve as the campaign's list.
 */
export default function WineCustomers() {
  return (
    <div class="wines">
      <p>
        <A href="/wines">← {t("wines.back")}</A>
      </p>
      <h1>{t("wines.title")}</h1>
      <SignedIn>
        <WinePage />
      </SignedIn>
    </div>
  );
}

function WinePage() {
  const params = useParams<{ id: string }>();
  const [wine, { refetch, mutate }] = createResource(() => params.id, api.product);
  const missing = () => wine.error instanceof ApiError && [400, 404].includes(wine.error.status);
  return (
    <>
      <Show when={wine.loading && !wine.latest}>
        <p role="status" class="muted">
          {t("wines.loading")}
        </p>
      </Show>
      <Show when={wine.error}>
        <p role="alert" class="error">
          {missing() ? t("wines.notFound") : t("wines.factsError")}
        </p>
      </Show>
      <Show when={!wine.error && wine.latest}>
        {(w) => (
          <>
            <WineFacts wine={w()} onChanged={(p) => mutate(p)} />
            <Show
              when={w().kind === "wine"}
              fallback={
                <p class="notice" data-testid="not-a-wine">
                  {t("wines.notAWine", { kind: t(`wines.kinds.${w().kind}`) })}
                </p>
              }
            >
              <TargetList wine={w()} onApproved={() => void refetch()} />
            </Show>
          </>
        )}
      </Show>
    </>
  );
}
