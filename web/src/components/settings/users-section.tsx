import { createResource, createSignal, Show } from "solid-js";
import { api, type Role, type UserAccount } from "../../lib/api.ts";
import { formatDateTime, t } from "../../lib/i18n.ts";
import { me } from "../../lib/session.ts";
import { errorText } from "./error-text.ts";
import { ListTable } from "./list-table.tsx";
import { RoleOptions } from "./role-options.tsx";
import { Loaded } from "./loaded.tsx";

// The server refuses an admin demoting or deactivating themselves: the controls say so first.
const isMe = (user: UserAccount) => user.email === me()?.email;

/** The estate's accounts: invite one with a role and a first password, change roles, deactivate. */
export function UsersSection() {
  const [users, { mutate, refetch }] = createResource(api.users);
  const [message, setMessage] = createSignal<{ kind: "notice" | "error"; text: string } | null>(
    null,
  );

  // Optimistic: the row changes at once and goes back if the server refuses.
  const change = async (user: UserAccount, patch: { role?: Role; active?: boolean }) => {
    const before = users()?.items;
    mutate((list) =>
      list ? { items: list.items.map((u) => (u.id === user.id ? { ...u, ...patch } : u)) } : list,
    );
    setMessage(null);
    try {
      const saved = await api.updateUser(user.id, patch);
      mutate((list) =>
        list ? { items: list.items.map((u) => (u.id === saved.id ? saved : u)) } : list,
      );
    } catch (cause) {
      if (before) mutate({ items: before });
      setMessage({ kind: "error", text: errorText(cause) });
    }
  };

  const invite = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const password = String(data.get("password"));
    setMessage(null);
    if (password.length < 12) {
      setMessage({ kind: "error", text: t("settings.users.shortPassword") });
      return;
    }
    try {
      const added = await api.addUser({
        email: String(data.get("email")).trim(),
        name: String(data.get("name")).trim() || undefined,
        role: String(data.get("role")) as Role,
        password,
      });
      form.reset();
      setMessage({ kind: "notice", text: t("settings.users.added", { email: added.email }) });
      await refetch();
    } catch (cause) {
      setMessage({ kind: "error", text: errorText(cause) });
    }
  };

  return (
    <section class="card wide settings-section" id="users" aria-labelledby="users-title">
      <h2 id="users-title">{t("settings.users.title")}</h2>
      <p class="muted">{t("settings.users.intro")}</p>
      <Show when={message()}>
        {(m) => (
          <p role={m().kind === "error" ? "alert" : "status"} class={m().kind}>
            {m().text}
          </p>
        )}
      </Show>
      <Loaded resource={users}>
        <ListTable
          label={t("settings.users.title")}
          headers={[
            t("settings.users.email"),
            t("settings.users.role"),
            t("settings.users.status"),
            t("settings.users.lastSignIn"),
            t("settings.users.actions"),
          ]}
          items={users()!.items}
          empty={t("settings.users.empty")}
        >
          {(user) => (
            <tr data-testid="user-row">
              <td>
                {user.email}
                <Show when={user.name}>
                  <br />
                  <span class="muted">{user.name}</span>
                </Show>
                <Show when={isMe(user)}>
                  <span class="tag">{t("settings.users.you")}</span>
                </Show>
              </td>
              <td>
                <select
                  aria-label={t("settings.users.roleOf", { email: user.email })}
                  disabled={isMe(user)}
                  value={user.role}
                  onChange={(e) => void change(user, { role: e.currentTarget.value as Role })}
                >
                  <RoleOptions />
                </select>
              </td>
              <td>
                <span class={user.active ? "tag approved" : "tag rejected"}>
                  {user.active ? t("settings.users.active") : t("settings.users.inactive")}
                </span>
              </td>
              <td>{user.lastSignInAt ? formatDateTime(user.lastSignInAt) : t("settings.never")}</td>
              <td class="actions">
                <button
                  type="button"
                  class="secondary"
                  disabled={isMe(user)}
                  onClick={() => void change(user, { active: !user.active })}
                >
                  {user.active ? t("settings.users.deactivate") : t("settings.users.reactivate")}
                  <span class="visually-hidden"> {user.email}</span>
                </button>
              </td>
            </tr>
          )}
        </ListTable>
      </Loaded>
      <h3>{t("settings.users.invite")}</h3>
      <form class="inline" onSubmit={invite}>
        <label>
          {t("settings.users.email")}
          <input name="email" type="email" required maxLength={320} autocomplete="off" />
        </label>
        <label>
          {t("settings.users.name")}
          <input name="name" maxLength={200} autocomplete="off" />
        </label>
        <label>
          {t("settings.users.role")}
          <select name="role">
            <RoleOptions />
          </select>
        </label>
        <label>
          {t("settings.users.password")}
          <input
            name="password"
            type="password"
            required
            minLength={12}
            maxLength={1000}
            autocomplete="new-password"
          />
        </label>
        <button type="submit">{t("settings.users.add")}</button>
      </form>
      <p class="muted">{t("settings.users.passwordHint")}</p>
    </section>
  );
}
