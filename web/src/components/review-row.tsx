import { For, Show } from "solid-js";
import type { Recommendation } from "../lib/api.ts";
import { algorithmName, formatConfidence, formatDate, locale, t } from "../lib/i18n.ts";
import { rememberListReturn } from "../lib/list-return.ts";
import { EmailRefusal } from "./email-refusal.tsx";

/** One proposal in the review list: a focusable row (roving tabindex) with its decision. */
export function ReviewRow(props: {
  recommendation: Recommendation;
  editable: boolean;
  selected: boolean;
  focused: boolean;
  rejecting: boolean;
  ref: (row: HTMLTableRowElement) => void;
  onFocus: () => void;
  onSelect: (event: MouseEvent & { currentTarget: HTMLInputElement }) => void;
  onApprove: () => void;
  onOpenReject: () => void;
  onCancelReject: () => void;
  onReject: (reason: string, rating: number | null, comment: string) => void;
}) {
  const r = () => props.recommendation;
  return (
    <tr
      ref={props.ref}
      data-testid="reco-row"
      data-status={r().status}
      classList={{ focused: props.focused, selected: props.selected }}
      tabIndex={props.focused ? 0 : -1}
      onFocusIn={() => props.onFocus()}
    >
      <Show when={props.editable}>
        <td>
          <input
            type="checkbox"
            checked={props.selected}
            disabled={r().status !== "pending"}
            aria-label={t("reco.selectOne", {
              customer: r().customer.name,
              wine: r().product.name,
            })}
            onClick={(e) => props.onSelect(e)}
          />
        </td>
      </Show>
      <td>
        <a href={`/customers/${r().customer.id}`} onClick={rememberListReturn}>
          {r().customer.name || r().customer.code || "—"}
        </a>
        <div class="muted">{r().customer.code}</div>
        <EmailRefusal reason={r().emailRefusal} />
      </td>
      <td>
        <a href={`/recommendations/${r().id}`} onClick={rememberListReturn}>
          {r().product.name}
        </a>
        <div class="muted">{r().product.sku}</div>
      </td>
      <td>
        {formatConfidence(r().confidence)}
        <div class="muted">{t("review.algorithmOf", { name: algorithmName(r().algorithm) })}</div>
        <Show when={r().createdAt}>
          {(at) => <div class="muted">{t("review.proposedOn", { date: formatDate(at()) })}</div>}
        </Show>
      </td>
      <td>
        {locale() === "fr" ? r().explanation.fr : r().explanation.en}
        <Show when={r().explanation.fallback}>
          <span class="tag">{t("reco.fallback")}</span>
        </Show>
      </td>
      <td>
        <span class={`tag ${r().status}`}>{t(`reco.statuses.${r().status}`)}</span>
        <Show when={r().rejectReason}>
          <div class="muted">{r().rejectReason}</div>
        </Show>
      </td>
      <Show when={props.editable}>
        <td class="actions">
          <Show when={r().status === "pending" && !props.rejecting}>
            <button type="button" onClick={() => props.onApprove()}>
              {t("reco.approve")}
            </button>
            <button type="button" class="secondary" onClick={() => props.onOpenReject()}>
              {t("reco.reject")}
            </button>
          </Show>
          <Show when={props.rejecting}>
            <form
              class="reject-form"
              onSubmit={(e) => {
                e.preventDefault();
                const form = new FormData(e.currentTarget);
                props.onReject(
                  String(form.get("reason")),
                  Number(form.get("rating")) || null,
                  String(form.get("comment") ?? ""),
                );
              }}
              onKeyDown={(e) => e.key === "Escape" && props.onCancelReject()}
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
              <label>
                {t("reco.rating")}
                <select name="rating">
                  <option value="">—</option>
                  <For each={[1, 2, 3, 4, 5]}>{(n) => <option value={n}>{n}</option>}</For>
                </select>
              </label>
              <label>
                {t("reco.comment")}
                <input name="comment" maxLength={2000} />
              </label>
              <button type="submit">{t("reco.confirmReject")}</button>
              <button type="button" class="secondary" onClick={() => props.onCancelReject()}>
                {t("review.cancel")}
              </button>
            </form>
          </Show>
        </td>
      </Show>
    </tr>
  );
}
