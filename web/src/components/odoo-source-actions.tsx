import { createSignal, For, Show } from "solid-js";
import { api, ApiError, type ConnectionReport, type Source } from "../lib/api.ts";
import { formatNumber, locale, t } from "../lib/i18n.ts";
import { followJob, importOutcome, whileShown } from "../lib/jobs.ts";
import { canEdit, me } from "../lib/session.ts";

type Message = { kind: "info" | "error"; text: string };

/** Test, sync and push for one Odoo source: each says plainly what happened. */
export function OdooSourceActions(props: { source: Source; onSynced: () => void }) {
  const [report, setReport] = createSignal<ConnectionReport | null>(null);
  const [message, setMessage] = createSignal<Message | null>(null);
  const [busy, setBusy] = createSignal(false);
  const shown = whileShown();
  const config = () => props.source.config as Record<string, string | undefined>;
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setMessage(null);
    try {
      await work();
    } catch (cause) {
      setMessage({
        kind: "error",
        text: cause instanceof ApiError ? cause.message : String(cause),
      });
    } finally {
      setBusy(false);
    }
  };
  const test = () =>
    run(async () => {
      setReport(null);
      setMessage({ kind: "info", text: t("sources.odoo.testing") });
      setReport(await api.testSource(props.source.id, locale()));
      setMessage(null);
    });
  const sync = (full: boolean) =>
    run(async () => {
      setMessage({ kind: "info", text: t("sources.odoo.syncing") });
      const job = await followJob(await api.syncSource(props.source.id, full), { alive: shown });
      if (!shown()) return;
      const outcome = importOutcome(job, t("sources.failed"));
      if (!outcome.ok) setMessage({ kind: "error", text: outcome.reason });
      else {
        const synced = t("sources.odoo.synced", {
          read: formatNumber(outcome.rowsRead),
          rejected: formatNumber(outcome.rowsRejected),
        });
        setMessage(
          outcome.problem
            ? { kind: "error", text: `${synced} ${outcome.problem}` }
            : { kind: "info", text: synced },
        );
      }
      props.onSynced();
    });
  // A key expires (Odoo 19's within three months), a user changes: an admin gives the new one.
  const [keyForm, setKeyForm] = createSignal(false);
  const saveKey = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const secret = String(form.get("secret") ?? "").trim();
    const login = String(form.get("login") ?? "").trim();
    if (!secret) return;
    return run(async () => {
      const saved = await api.replaceOdooKey(
        props.source.id,
        secret,
        login && login !== config().login ? login : undefined,
      );
      setKeyForm(false);
      setMessage({
        kind: "info",
        text: t("sources.odoo.keySaved", { hint: String(saved.config.secretHint ?? "") }),
      });
      props.onSynced();
    });
  };
  const push = () =>
    run(async () => {
      const summary = await api.pushToOdoo(props.source.id);
      setMessage(
        summary.errors.length > 0
          ? { kind: "error", text: summary.errors[0]!.message }
          : {
              kind: "info",
              text: t("sources.odoo.pushed", {
                pushed: formatNumber(summary.pushed),
                already: formatNumber(summary.alreadyInOdoo),
                skipped: formatNumber(summary.skipped.length),
              }),
            },
      );
    });
  return (
    <div class="stack">
      <p class="muted">
        {t("sources.odoo.connectedAs", {
          url: config().url ?? "?",
          database: config().database ?? "?",
          login: config().login ?? "?",
          hint: config().secretHint ?? "—",
        })}
      </p>
      <Show when={canEdit()}>
        <div class="toolbar">
          <button type="button" disabled={busy()} onClick={() => void test()}>
            {t("sources.odoo.test")}
          </button>
          <button type="button" disabled={busy()} onClick={() => void sync(false)}>
            {t("sources.odoo.sync")}
          </button>
          <button type="button" class="secondary" disabled={busy()} onClick={() => void sync(true)}>
            {t("sources.odoo.fullSync")}
          </button>
          <button type="button" class="secondary" disabled={busy()} onClick={() => void push()}>
            {t("sources.odoo.push")}
          </button>
        </div>
      </Show>
      <Show when={me()?.role === "admin"}>
        <Show
          when={keyForm()}
          fallback={
            <p>
              <button type="button" class="secondary" onClick={() => setKeyForm(true)}>
                {t("sources.odoo.newKey")}
              </button>
            </p>
          }
        >
          <form class="stack" onSubmit={saveKey} aria-label={t("sources.odoo.newKey")}>
            <label>
              {t("sources.odoo.login")}
              <input name="login" value={config().login ?? ""} autocomplete="off" required />
            </label>
            <label>
              {t("sources.odoo.key")}
              <input name="secret" type="password" autocomplete="new-password" required />
            </label>
            <p class="muted">{t("sources.odoo.keyHelp")}</p>
            <div class="toolbar">
              <button type="submit" disabled={busy()}>
                {t("sources.odoo.saveKey")}
              </button>
              <button type="button" class="secondary" onClick={() => setKeyForm(false)}>
                {t("sources.odoo.cancelKey")}
              </button>
            </div>
          </form>
        </Show>
      </Show>
      <Show when={report()}>
        {(r) => (
          <ul class="checks" data-testid="connection-report">
            <For each={r().checks}>
              {(check) => (
                <li class={check.ok ? "ok" : "error"}>
                  <span aria-hidden="true">{check.ok ? "✓" : "✗"}</span> {check.message}
                </li>
              )}
            </For>
          </ul>
        )}
      </Show>
      <Show when={message()}>
        {(m) => (
          <p
            role={m().kind === "error" ? "alert" : "status"}
            class={m().kind === "error" ? "error" : "notice"}
          >
            {m().text}
          </p>
        )}
      </Show>
    </div>
  );
}
