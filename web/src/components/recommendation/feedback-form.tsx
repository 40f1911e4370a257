import { createSignal, For, Show } from "solid-js";
import { t } from "../../lib/i18n.ts";

/** A 1-5 rating with an optional comment, prefilled with the reader's own previous opinion. */
export function FeedbackForm(props: {
  rating: number | null;
  comment: string | null;
  onSave: (rating: number, comment: string | null) => Promise<boolean>;
}) {
  const [saved, setSaved] = createSignal(false);
  const [saving, setSaving] = createSignal(false);
  return (
    <form
      class="stack feedback-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const rating = Number(form.get("rating"));
        if (!rating) return;
        setSaving(true);
        setSaved(false);
        const comment = String(form.get("comment") ?? "").trim();
        setSaved(await props.onSave(rating, comment || null));
        setSaving(false);
      }}
    >
      <fieldset class="rating">
        <legend>{t("review.detail.rating")}</legend>
        <For each={[1, 2, 3, 4, 5]}>
          {(n) => (
            <label>
              <input
                type="radio"
                name="rating"
                value={n}
                required
                checked={props.rating === n}
                onChange={() => setSaved(false)}
              />
              <span aria-hidden="true">{n}</span>
              <span class="visually-hidden">{t("review.detail.stars", { n })}</span>
            </label>
          )}
        </For>
      </fieldset>
      <label>
        {t("review.detail.comment")}
        <textarea name="comment" maxLength={2000} rows={3} value={props.comment ?? ""} />
      </label>
      <button type="submit" disabled={saving()}>
        {t("review.detail.save")}
      </button>
      <Show when={saved()}>
        <p role="status" class="notice">
          {t("review.detail.saved")}
        </p>
      </Show>
    </form>
  );
}
