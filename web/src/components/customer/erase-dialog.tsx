import { createSignal, onMount, Show } from "solid-js";
import { t } from "../../lib/i18n.ts";
import { explainError } from "./explain-error.ts";

const plain = (s: string) => s.trim().replace(/\s+/g, " ").toLocaleLowerCase("fr");

/** Whether what the admin typed names this customer (their name or code, case and spaces aside). */
export function confirmsCustomer(typed: string, name: string, code: string | null): boolean {
  const value = plain(typed);
  return value !== "" && [name, code ?? ""].some((expected) => plain(expected) === value);
}

/**
 * Erasure cannot be undone: the admin types the customer's name or code before the button wakes
 * up. A failure leaves the dialog open with what went wrong.
 */
export function EraseDialog(props: {
  name: string;
  code: string | null;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}) {
  const [typed, setTyped] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const expected = () => [props.name, props.code].filter(Boolean).join(" / ");
  const confirm = async (event: Event) => {
    event.preventDefault();
    if (!confirmsCustomer(typed(), props.name, props.code) || busy()) return;
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
    } catch (cause) {
      setError(t("customerFile.gdpr.eraseFailed", { reason: explainError(cause) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="dialog-backdrop">
      <div
        class="card erase-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="erase-title"
        aria-describedby="erase-warning"
        onKeyDown={(e) => e.key === "Escape" && !busy() && props.onCancel()}
      >
        <h2 id="erase-title">{t("customerFile.gdpr.eraseTitle", { name: props.name })}</h2>
        <p id="erase-warning">{t("customerFile.gdpr.eraseWarning")}</p>
        <form class="stack" onSubmit={confirm}>
          <label>
            {t("customerFile.gdpr.confirmLabel", { expected: expected() })}
            <input
              ref={(el) => onMount(() => el.focus())}
              type="text"
              autocomplete="off"
              value={typed()}
              onInput={(e) => setTyped(e.currentTarget.value)}
            />
          </label>
          <Show when={error()}>
            <p role="alert" class="error">
              {error()}
            </p>
          </Show>
          <div class="dialog-actions">
            <button
              type="submit"
              class="danger"
              disabled={!confirmsCustomer(typed(), props.name, props.code) || busy()}
            >
              {busy() ? t("customerFile.gdpr.erasing") : t("customerFile.gdpr.confirm")}
            </button>
            <button
              type="button"
              class="secondary"
              disabled={busy()}
              onClick={() => props.onCancel()}
            >
              {t("customerFile.gdpr.cancel")}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
