import { createSignal, Show } from "solid-js";
import type { Recommendation } from "../../lib/api.ts";
import { t } from "../../lib/i18n.ts";

/**
 * Approve, or reject with a reason. A decision can be changed until the recommendation is
 * exported: a wrong click is mended here (approving a rejected one clears its reason).
 */
export function DecisionPanel(props: {
  recommendation: Recommendation;
  editable: boolean;
  onApprove: () => void;
  onReject: (reason: string) => void;
}) {
  const [rejecting, setRejecting] = createSignal(false);
  const r = () => props.recommendation;
  return (
    <div class="stack" data-testid="decision">
      <p>
        <span class={`tag ${r().status}`} data-testid="detail-status">
          {t(`reco.statuses.${r().status}`)}
        </span>
        <Show when={r().rejectReason}>
          <span class="muted">{` ${t("reco.reason")} : ${r().rejectReason}`}</span>
        </Show>
      </p>
      <Show when={props.editable && r().status !== "exported"}>
        <Show
          when={rejecting()}
          fallback={
            <div class="actions">
              <Show when={r().status !== "approved"}>
                <button type="button" onClick={() => props.onApprove()}>
                  {t("reco.approve")}
                </button>{" "}
              </Show>
              <Show when={r().status !== "rejected"}>
                <button type="button" class="secondary" onClick={() => setRejecting(true)}>
                  {t("reco.reject")}
                </button>
              </Show>
              <Show when={r().status !== "pending"}>
                <p class="muted">{t("review.detail.changeDecision")}</p>
              </Show>
            </div>
          }
        >
          <form
            class="stack"
            onSubmit={(e) => {
              e.preventDefault();
              const reason = String(new FormData(e.currentTarget).get("reason")).trim();
              if (!reason) return;
              setRejecting(false);
              props.onReject(reason);
            }}
          >
            <label>
              {t("reco.reason")}
              <input
                name="reason"
                required
                maxLength={500}
                ref={(input) => queueMicrotask(() => input.focus())}
              />
            </label>
            <div>
              <button type="submit">{t("reco.confirmReject")}</button>{" "}
              <button type="button" class="secondary" onClick={() => setRejecting(false)}>
                {t("review.cancel")}
              </button>
            </div>
          </form>
        </Show>
      </Show>
    </div>
  );
}
