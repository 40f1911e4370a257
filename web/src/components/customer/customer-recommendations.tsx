import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import type { CustomerDetail } from "../../lib/api.ts";
import { formatConfidence, locale, t } from "../../lib/i18n.ts";

/** The wines suggested for this customer, with where each stands in the review. */
export function CustomerRecommendations(props: {
  recommendations: CustomerDetail["recommendations"];
}) {
  return (
    <section class="card wide" aria-labelledby="recos-title">
      <h2 id="recos-title">{t("customerFile.recommendations")}</h2>
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
