import { createSignal, Show } from "solid-js";
import { ApiError } from "../lib/api.ts";
import { t } from "../lib/i18n.ts";
import { signIn } from "../lib/session.ts";

/** Shown in place of a page that needs a signed-in person. */
export function SignIn() {
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get("email")), String(form.get("password")));
    } catch (cause) {
      setError(
        cause instanceof ApiError && cause.status === 429
          ? t("signIn.tooMany")
          : cause instanceof ApiError && cause.status === 401
            ? t("signIn.wrong")
            : t("signIn.unreachable"),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card sign-in" onSubmit={submit} aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">{t("signIn.title")}</h2>
      <label>
        {t("signIn.email")}
        <input name="email" type="email" autocomplete="username" required />
      </label>
      <label>
        {t("signIn.password")}
        <input name="password" type="password" autocomplete="current-password" required />
      </label>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <button type="submit" disabled={busy()}>
        {t("signIn.submit")}
      </button>
    </form>
  );
}
