import { For, Show } from "solid-js";
import type { RecommendationContext } from "../../lib/api.ts";
import { algorithmName, formatConfidence, formatNumber, t } from "../../lib/i18n.ts";
import { TableScroll } from "../../ui/table-scroll.tsx";

/** The other wines proposed to the same customer, best rank first, each linking to its detail. */
export function OtherCandidates(props: { context: RecommendationContext }) {
  return (
    <section class="card wide">
      <h2>{t("review.detail.candidates")}</h2>
      <Show
        when={props.context.candidates.length > 0}
        fallback={<p>{t("review.detail.candidatesEmpty")}</p>}
      >
        <TableScroll label={t("review.detail.candidates")}>
          <table class="grid" data-testid="other-candidates">
            <thead>
              <tr>
                <th scope="col">{t("review.detail.rank")}</th>
                <th scope="col">{t("reco.wine")}</th>
                <th scope="col">{t("reco.confidence")}</th>
                <th scope="col">{t("review.algorithm")}</th>
                <th scope="col">{t("reco.status")}</th>
              </tr>
            </thead>
            <tbody>
              <For each={props.context.candidates}>
                {(c) => (
                  <tr>
                    <td>{formatNumber(c.rank)}</td>
                    <td>
                      <a href={`/recommendations/${c.id}`}>{c.product.name}</a>
                      <div class="muted">{c.product.sku}</div>
                    </td>
                    <td>{formatConfidence(c.confidence)}</td>
                    <td>{algorithmName(c.algorithm)}</td>
                    <td>
                      <span class={`tag ${c.status}`}>{t(`reco.statuses.${c.status}`)}</span>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </TableScroll>
      </Show>
    </section>
  );
}
