import { createResource, createSignal, Show } from "solid-js";
import { type ApiKey, api, type Role } from "../../lib/api.ts";
import { formatDateTime, t } from "../../lib/i18n.ts";
import { errorText } from "./error-text.ts";
import { ShownOnce } from "./shown-once.tsx";
import { ListTable } from "./list-table.tsx";
import { RoleOptions } from "./role-options.tsx";
import { Loaded } from "./loaded.tsx";
import { Confirm } from "./confirm.tsx";

/** Keys for the estate's other tools: created with a role, shown once, listed by name, revoked. */
export function ApiKeysSection() {
  const [keys, { mutate, refetch }] = createResource(api.apiKeys);
  const [created, setCreated] = createSignal<{ name: string; key: string } | null>(null);
  const [confirming, setConfirming] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    setError(null);
    try {
      const key = await api.addApiKey(
        String(data.get("name")).trim(),
        String(data.get("role")) as Role,
      );
      form.reset();
      setCreated({ name: key.name, key: key.key });
      await refetch();
    } catch (cause) {
      setError(errorText(cause));
    }
  };

  // Optimistic: the key shows as revoked at once, and comes back if the server refuses.
  const revoke = async (key: ApiKey) => {
    setConfirming(null);
    setError(null);
    const before = keys()?.items;
    const now = new Date().toISOString();
    mutate((list) =>
      list
        ? { items: list.items.map((k) => (k.id === key.id ? { ...k, revokedAt: now } : k)) }
        : list,
    );
    try {
      await api.revokeApiKey(key.id);
      await refetch();
    } catch (cause) {
      if (before) mutate({ items: before });
      setError(errorText(cause));
    }
  };

  return (
    <section class="card wide settings-section" id="api-keys" aria-labelledby="keys-title">
      <h2 id="keys-title">{t("settings.keys.title")}</h2>
      <p class="muted">{t("settings.keys.intro")}</p>
      <form class="inline" onSubmit={create}>
        <label>
          {t("settings.keys.name")}
          <input
            name="name"
            required
            maxLength={100}
            placeholder={t("settings.keys.namePlaceholder")}
            autocomplete="off"
          />
        </label>
        <label>
          {t("settings.keys.role")}
          <select name="role">
            <RoleOptions />
          </select>
        </label>
        <button type="submit">{t("settings.keys.create")}</button>
      </form>
      <Show when={created()}>
        {(c) => (
          <ShownOnce
            label={t("settings.keys.created", { name: c().name })}
            value={c().key}
            onDone={() => setCreated(null)}
          />
        )}
      </Show>
      <Show when={error()}>
        <p role="alert" class="error">
          {error()}
        </p>
      </Show>
      <Loaded resource={keys}>
        <ListTable
          label={t("settings.keys.title")}
          headers={[
            t("settings.keys.name"),
            t("settings.keys.prefix"),
            t("settings.keys.role"),
            t("settings.keys.createdAt"),
            t("settings.keys.lastUsed"),
            t("settings.keys.status"),
          ]}
          items={keys()!.items}
          empty={t("settings.keys.empty")}
        >
          {(key) => (
            <tr data-testid="api-key-row">
              <td>{key.name}</td>
              <td>
                <code>{key.prefix}…</code>
              </td>
              <td>{t(`settings.roles.${key.role}`)}</td>
              <td>{formatDateTime(key.createdAt)}</td>
              <td>{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : t("settings.never")}</td>
              <td class="actions">
                <Show
                  when={!key.revokedAt}
                  fallback={
                    <span class="tag rejected">
                      {t("settings.keys.revoked", {
                        date: formatDateTime(key.revokedAt!),
                      })}
                    </span>
                  }
                >
                  <Show
                    when={confirming() === key.id}
                    fallback={
                      <button type="button" onClick={() => setConfirming(key.id)}>
                        {t("settings.keys.revoke")}
                        <span class="visually-hidden"> {key.name}</span>
                      </button>
                    }
                  >
                    <Confirm
                      question={t("settings.keys.confirmRevoke", { name: key.name })}
                      confirm={t("settings.keys.confirm")}
                      onConfirm={() => void revoke(key)}
                      onCancel={() => setConfirming(null)}
                    />
                  </Show>
                </Show>
              </td>
            </tr>
          )}
        </ListTable>
      </Loaded>
    </section>
  );
}
