import { createResource, createSignal, For, Show } from "solid-js";
import { api, type Webhook, type WebhookEvent, webhookEvents } from "../../lib/api.ts";
import { formatDateTime, t } from "../../lib/i18n.ts";
import { errorText } from "./error-text.ts";
import { ShownOnce } from "./shown-once.tsx";
import { TableScroll } from "../../ui/table-scroll.tsx";
import { Loaded } from "./loaded.tsx";
import { Confirm } from "./confirm.tsx";

/** Web addresses told of the estate's events: add one with its events, delete, read its deliveries. */
export function WebhooksSection() {
  const [hooks, { mutate, refetch }] = createResource(api.webhooks);
  const [secret, setSecret] = createSignal<{ url: string; secret: string } | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [confirming, setConfirming] = createSignal<string | null>(null);

  const add = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const url = String(data.get("url")).trim();
    const events = data.getAll("events").map(String) as WebhookEvent[];
    setError(null);
    if (!/^https?:\/\/\S+$/i.test(url)) return setError(t("settings.webhooks.badUrl"));
    if (events.length === 0) return setError(t("settings.webhooks.noEvent"));
    try {
      const created = await api.addWebhook(url, events);
      form.reset();
      setSecret({ url: created.url, secret: created.secret });
      await refetch();
    } catch (cause) {
      setError(errorText(cause));
    }
  };

  // Optimistic: the row leaves at once and comes back if the server refuses.
  const remove = async (hook: Webhook) => {
    setConfirming(null);
    setError(null);
    const before = hooks()?.items;
    mutate((list) => (list ? { items: list.items.filter((h) => h.id !== hook.id) } : list));
    try {
      await api.deleteWebhook(hook.id);
    } catch (cause) {
      if (before) mutate({ items: before });
      setError(errorText(cause));
    }
  };

  return (
    <section class="card wide settings-section" id="webhooks" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">{t("settings.webhooks.title")}</h2>
      <p class="muted">{t("settings.webhooks.intro")}</p>
      <form class="inline" onSubmit={add} noValidate>
        <label>
          {t("settings.webhooks.url")}
          <input name="url" type="url" required maxLength={2000} placeholder="https://" />
        </label>
        <fieldset>
          <legend>{t("settings.webhooks.events")}</legend>
          <For each={webhookEvents}>
            {(name) => (
              <label>
                <input type="checkbox" name="events" value={name} />
                {t(`settings.webhooks.eventNames.${name}`)}
              </label>
            )}
          </For>
        </fieldset>
        <button type="submit">{t("settings.webhooks.add")}</button>
      </form>
      <Show when={secret()}>
        {(s) => (
          <ShownOnce
            label={t("settings.webhooks.secret", { url: s().url })}
            value={s().secret}
            onDone={() => setSecret(null)}
          />
        )}
      </Show>
      <Show when={error()}>
        <p role="alert" class="error">
          {error()}
        </p>
      </Show>
      <Loaded resource={hooks}>
        <Show when={hooks()!.items.length > 0} fallback={<p>{t("settings.webhooks.empty")}</p>}>
          <For each={hooks()!.items}>
            {(hook) => (
              <WebhookRow
                hook={hook}
                confirming={confirming() === hook.id}
                onAsk={() => setConfirming(hook.id)}
                onCancel={() => setConfirming(null)}
                onDelete={() => void remove(hook)}
              />
            )}
          </For>
        </Show>
      </Loaded>
    </section>
  );
}

function WebhookRow(props: {
  hook: Webhook;
  confirming: boolean;
  onAsk: () => void;
  onCancel: () => void;
  onDelete: () => void;
}) {
  const [open, setOpen] = createSignal(false);
  const [deliveries] = createResource(
    () => (open() ? props.hook.id : false),
    (id) => api.webhookDeliveries(id),
  );
  return (
    <div class="schedule-row" data-testid="webhook-row">
      <h3>{props.hook.url}</h3>
      <p>
        <For each={props.hook.events}>
          {(name) => <span class="tag">{t(`settings.webhooks.eventNames.${name}`)}</span>}
        </For>{" "}
        <span class="muted">
          {t("settings.webhooks.createdAt")} {formatDateTime(props.hook.createdAt)}
        </span>
      </p>
      <button
        type="button"
        class="secondary"
        onClick={() => setOpen(!open())}
        aria-expanded={open()}
      >
        {open() ? t("settings.webhooks.hideDeliveries") : t("settings.webhooks.deliveries")}
      </button>
      <Show
        when={props.confirming}
        fallback={
          <button type="button" onClick={() => props.onAsk()}>
            {t("settings.webhooks.delete")}
          </button>
        }
      >
        <Confirm
          question={t("settings.webhooks.confirmDelete", { url: props.hook.url })}
          confirm={t("settings.webhooks.confirm")}
          onConfirm={() => props.onDelete()}
          onCancel={() => props.onCancel()}
        />
      </Show>
      <Show when={open()}>
        <TableScroll label={t("settings.webhooks.deliveries")} class="full-row">
          <Loaded resource={deliveries}>
            <Show
              when={deliveries()!.items.length > 0}
              fallback={<p>{t("settings.webhooks.noDeliveries")}</p>}
            >
              <table class="grid">
                <thead>
                  <tr>
                    <th scope="col">{t("settings.webhooks.at")}</th>
                    <th scope="col">{t("settings.webhooks.event")}</th>
                    <th scope="col">{t("settings.webhooks.result")}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={deliveries()!.items}>
                    {(d) => (
                      <tr>
                        <td>{formatDateTime(d.createdAt)}</td>
                        <td>{d.event}</td>
                        <td>
                          <span
                            class={`tag ${d.status === "delivered" ? "approved" : d.status === "failed" ? "rejected" : ""}`}
                          >
                            {t(`settings.webhooks.deliveryStatus.${d.status}`)}
                          </span>{" "}
                          <span class="muted">
                            {d.responseStatus !== null
                              ? t("settings.webhooks.http", { code: String(d.responseStatus) })
                              : ""}{" "}
                            {t("settings.webhooks.attempts", { count: String(d.attempts) })}
                            {d.error ? ` — ${d.error}` : ""}
                          </span>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </Show>
          </Loaded>
        </TableScroll>
      </Show>
    </div>
  );
}
