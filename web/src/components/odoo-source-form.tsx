import { createSignal, Show } from "solid-js";
import { api, ApiError } from "../lib/api.ts";
import { t } from "../lib/i18n.ts";

/** The admin's form for a new Odoo source; the key goes to the server once and is never shown. */
export function OdooSourceForm(props: { onAdded: () => void }) {
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const add = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? "").trim();
    setError(null);
    setBusy(true);
    try {
      await api.addOdooSource(
        value("name"),
        { url: value("url"), database: value("database"), login: value("login") },
        value("key"),
      );
      form.reset();
      props.onAdded();
    } catch (cause) {
      setError(
        cause instanceof ApiError && cause.status === 409
          ? t("sources.exists", { name: value("name") })
          : cause instanceof ApiError
            ? cause.message
            : t("sources.addFailed"),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="card wide">
      <summary>{t("sources.odoo.add")}</summary>
      <form class="stack" onSubmit={add} aria-label={t("sources.odoo.add")}>
        <label>
          {t("sources.odoo.name")}
          <input name="name" required maxLength={100} value="Odoo" />
        </label>
        <label>
          {t("sources.odoo.url")}
          <input name="url" type="url" required placeholder="https://domaine.odoo.com" />
        </label>
        <label>
          {t("sources.odoo.database")}
          <input name="database" required />
        </label>
        <label>
          {t("sources.odoo.login")}
          <input name="login" required autocomplete="off" />
        </label>
        <label>
          {t("sources.odoo.key")}
          <input name="key" type="password" required autocomplete="new-password" />
          <span class="muted">{t("sources.odoo.keyHelp")}</span>
        </label>
        <button type="submit" disabled={busy()}>
          {t("sources.add")}
        </button>
        <Show when={error()}>
          <p role="alert" class="error">
            {error()}
          </p>
        </Show>
      </form>
    </details>
  );
}
