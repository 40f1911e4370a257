import { createSignal, Show } from "solid-js";
import { api, type CustomerDetail } from "../../lib/api.ts";
import { t } from "../../lib/i18n.ts";
import { EraseDialog } from "./erase-dialog.tsx";
import { explainError } from "./explain-error.ts";

/** Saves data the browser holds as a file, the way a download link would. */
function saveAsFile(data: unknown, fileName: string) {
  const url = URL.createObjectURL(
    new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }),
  );
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The GDPR rights an admin exercises for a customer: access (a JSON export) and erasure. */
export function GdprActions(props: { customer: CustomerDetail; onErased: () => void }) {
  const [exporting, setExporting] = createSignal(false);
  const [message, setMessage] = createSignal<{ kind: "notice" | "error"; text: string } | null>(
    null,
  );
  const [confirming, setConfirming] = createSignal(false);
  const exportData = async () => {
    setExporting(true);
    setMessage(null);
    try {
      const data = await api.customerDataExport(props.customer.id);
      const file = `donnees-${(props.customer.code ?? props.customer.id).replace(/[^\w-]+/g, "_")}.json`;
      saveAsFile(data, file);
      setMessage({ kind: "notice", text: t("customerFile.gdpr.exported", { file }) });
    } catch (error) {
      setMessage({
        kind: "error",
        text: t("customerFile.gdpr.exportFailed", { reason: explainError(error) }),
      });
    } finally {
      setExporting(false);
    }
  };
  return (
    <section class="card wide" aria-labelledby="gdpr-title">
      <h2 id="gdpr-title">{t("customerFile.gdpr.title")}</h2>
      <div class="dialog-actions">
        <button type="button" disabled={exporting()} onClick={() => void exportData()}>
          {exporting() ? t("customerFile.gdpr.exporting") : t("customerFile.gdpr.export")}
        </button>
        <button type="button" class="danger" onClick={() => setConfirming(true)}>
          {t("customerFile.gdpr.erase")}
        </button>
      </div>
      <Show when={message()}>
        {(m) => (
          <p role={m().kind === "error" ? "alert" : "status"} class={m().kind}>
            {m().text}
          </p>
        )}
      </Show>
      <Show when={confirming()}>
        <EraseDialog
          name={props.customer.name}
          code={props.customer.code}
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            await api.eraseCustomer(props.customer.id);
            setConfirming(false);
            props.onErased();
          }}
        />
      </Show>
    </section>
  );
}
