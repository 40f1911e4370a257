import { createSignal, Show } from "solid-js";
import { t } from "../../lib/i18n.ts";

/** A secret the server shows only once (an API key, a webhook's signing secret), with a copy button. */
export function ShownOnce(props: { label: string; value: string; onDone: () => void }) {
  const [copied, setCopied] = createSignal<"ok" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied("ok");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <div class="shown-once" role="status" data-testid="shown-once">
      <span>{props.label}</span>
      <code>{props.value}</code>
      <span>{t("settings.shownOnce")}</span>
      <div class="row">
        <button type="button" onClick={() => void copy()}>
          {t("settings.copy")}
        </button>
        <button type="button" class="secondary" onClick={() => props.onDone()}>
          {t("settings.understood")}
        </button>
        <Show when={copied()}>
          <span class={copied() === "ok" ? "notice" : "error"}>
            {copied() === "ok" ? t("settings.copied") : t("settings.copyFailed")}
          </span>
        </Show>
      </div>
    </div>
  );
}
