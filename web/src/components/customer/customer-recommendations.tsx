import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import type { CustomerDetail } from "../../lib/api.ts";
import { formatConfidence, formatDate, locale, t } from "../../lib/i18n.ts";

/** The wines suggested for this customer, with where each stands in the review. */
export function CustomerRecommendations(props: {
  recommendations: CustomerDetail["recommendations"];
  lastContact?: CustomerDetail["lastContact"];
  /** Today, as YYYY-MM-DD (the page's clock). */
  today?: string;
}) {
  // The campaign rules keep a customer written to lately out of the next runs: said, with when.
  const resting = () => {
    const contact = props.lastContact;
    const today = props.today ?? new Date().toISOString().slice(0, 10);
    return contact && contact.nextAllowedOn > today ? contact : null;
  };
  return (
    <section class="card wide" aria-labelledby="recos-title">
      <h2 id="recos-title">{t("customerFile.recommendations")}</h2>
      <Show when={resting()}>
        {(contact) => (
          <p class="notice" data-testid="contact-rest">
            {t("customerFile.resting", {
              at: formatDate(contact().at),
              next: formatDate(contact().nextAllowedOn),
            })}
          </p>
        )}
      </Show>
      <Show
        when={props.recommendations.length > 0}
        fallback={<p>{t("customerFile.noRecommendations")}</p>}
      >
        <ul class="customer-recos" data-testid="customer-recommendations">
          <For each={props.recommendations}>
            {(reco) => (
              <li>
                <div>
                  <strong>{reco.product}</strong> <span class="muted">{reco.sku}</span>
                  <span class={`tag ${reco.status}`}>{t(`reco.statuses.${reco.status}`)}</span>
                  <span class="muted">
                    {" "}
                    · {t("customerFile.confidence", { value: formatConfidence(reco.confidence) })}
                  </span>
                </div>
                <div>{reco.explanation[locale()]}</div>
                <A href={`/recommendations/${reco.id}`}>
                  {t("customerFile.see")}
                  <span class="visually-hidden"> {reco.product}</span>
                </A>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
