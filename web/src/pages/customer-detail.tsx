import { A, useParams } from "@solidjs/router";
import { createResource, createSignal, Match, Show, Switch } from "solid-js";
import { CustomerIdentities } from "../components/customer/customer-identities.tsx";
import { CustomerProfile } from "../components/customer/customer-profile.tsx";
import { CustomerRecommendations } from "../components/customer/customer-recommendations.tsx";
import { CustomerTimeline } from "../components/customer/customer-timeline.tsx";
import { explainError } from "../components/customer/explain-error.ts";
import { GdprActions } from "../components/customer/gdpr-actions.tsx";
import { SignedIn } from "../components/signed-in.tsx";
import { api, ApiError } from "../lib/api.ts";
import { t } from "../lib/i18n.ts";
import { me } from "../lib/session.ts";
import "../components/customer/customer.css";

/** One customer: who they are, what they bought, where they come from, what we suggest. */
export default function CustomerDetailPage() {
  return (
    <div class="customer-file">
      <p>
        <A href="/customers">← {t("customerFile.back")}</A>
      </p>
      <SignedIn>
        <CustomerFile />
      </SignedIn>
    </div>
  );
}

function CustomerFile() {
  const params = useParams<{ id: string }>();
  // Erased here: the page says so instead of showing data the server no longer has.
  const [erased, setErased] = createSignal<string | null>(null);
  const [result] = createResource(
    () => params.id,
    async (id) => {
      try {
        return { customer: await api.customer(id) };
      } catch (error) {
        const missing = error instanceof ApiError && (error.status === 404 || error.status === 400);
        return { error: missing ? t("customerFile.notFound") : explainError(error) };
      }
    },
  );
  return (
    <Switch>
      <Match when={erased() === params.id}>
        <h1>{t("customerFile.gdpr.erased")}</h1>
        <p role="status" class="card" data-testid="customer-erased">
          {t("customerFile.gdpr.erasedBody")}
        </p>
      </Match>
      <Match when={result.loading && !result()}>
        <p aria-live="polite">{t("customerFile.loading")}</p>
      </Match>
      <Match when={result()?.error}>
        {(message) => (
          <>
            <h1>{t("nav.customers")}</h1>
            <p role="alert" class="error">
              {message()}
            </p>
          </>
        )}
      </Match>
      <Match when={result()?.customer}>
        {(customer) => (
          <>
            <h1 data-testid="customer-name">
              {customer().name || customer().code || "—"}
              <Show when={customer().code}>
                <span class="muted"> · {customer().code}</span>
              </Show>
            </h1>
            <Show when={customer().mergedInto}>
              {(survivor) => (
                <p class="card wide" role="note">
                  {t("customerFile.mergedInto")}{" "}
                  <A href={`/customers/${survivor()}`}>{t("customerFile.goToSurvivor")}</A>
                </p>
              )}
            </Show>
            <CustomerProfile customer={customer()} />
            <CustomerTimeline orders={customer().orders} />
            <CustomerIdentities identities={customer().identities} merges={customer().merges} />
            <CustomerRecommendations
              recommendations={customer().recommendations}
              lastContact={customer().lastContact}
            />
            <Show when={me()?.role === "admin"}>
              <GdprActions customer={customer()} onErased={() => setErased(customer().id)} />
            </Show>
          </>
        )}
      </Match>
    </Switch>
  );
}
