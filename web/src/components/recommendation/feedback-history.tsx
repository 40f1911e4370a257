import { For, Show } from "solid-js";
import type { RecommendationContext } from "../../lib/api.ts";
import { formatDateTime, t } from "../../lib/i18n.ts";

/** Every rating given to this recommendation, newest first: who, when, how many stars, why. */
export function FeedbackHistory(props: { feedback: RecommendationContext["feedback"] }) {
  return (
    <section class="card wide">
      <h2>{t("review.detail.feedbackHistory")}</h2>
      <Show when={props.feedback.length > 0} fallback={<p>{t("review.detail.feedbackEmpty")}</p>}>
        <table class="grid" data-testid="feedback-history">
          <thead>
            <tr>
              <th scope="col">{t("review.detail.who")}</th>
              <th scope="col">{t("review.detail.when")}</th>
              <th scope="col">{t("review.detail.rating")}</th>
              <th scope="col">{t("reco.comment")}</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.feedback}>
              {(f) => (
                <tr data-testid="feedback-entry">
                  <td>{f.by ?? t("review.detail.unknownPerson")}</td>
                  <td>{formatDateTime(f.updatedAt)}</td>
                  <td>
                    <span aria-hidden="true" class="stars">
                      {"★".repeat(f.rating) + "☆".repeat(5 - f.rating)}
                    </span>
                    <span class="visually-hidden">{t("review.detail.stars", { n: f.rating })}</span>
                  </td>
                  <td>{f.comment ?? "—"}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </section>
  );
}
