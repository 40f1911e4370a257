import { A } from "@solidjs/router";
import { For, type ParentProps, Show } from "solid-js";
import { type Locale, locale, t } from "../lib/i18n.ts";
import { chooseLocale, me, signOut } from "../lib/session.ts";
import "./layout.css";

export const navigation = [
  { href: "/", key: "dashboard" },
  { href: "/sources", key: "sources" },
  { href: "/mappings", key: "mappings" },
  { href: "/anomalies", key: "anomalies" },
  { href: "/customers", key: "customers" },
  { href: "/wines", key: "wines" },
  { href: "/recommendations", key: "recommendations" },
  { href: "/audit", key: "audit" },
  { href: "/settings", key: "settings" },
] as const;

export function Layout(props: ParentProps) {
  return (
    <div class="shell">
      <header class="topbar">
        <A href="/" class="brand">
          <span class="brand-mark" aria-hidden="true" />
          {t("app.name")}
        </A>
        <div class="topbar-right">
          <Show when={me()}>
            {(who) => (
              <span class="who">
                {t("session.signedInAs", { email: who().email ?? who().role })}
                <button type="button" class="link" onClick={() => void signOut()}>
                  {t("session.signOut")}
                </button>
              </span>
            )}
          </Show>
          <label class="language">
            <span>{t("language.label")}</span>
            <select
              value={locale()}
              onChange={(event) => chooseLocale(event.currentTarget.value as Locale)}
            >
              <option value="fr">{t("language.fr")}</option>
              <option value="en">{t("language.en")}</option>
            </select>
          </label>
        </div>
      </header>
      <nav class="sidebar" aria-label={t("nav.main")}>
        <ul>
          <For each={navigation}>
            {(item) => (
              <li>
                <A href={item.href} end={item.href === "/"} activeClass="active">
                  {t(`nav.${item.key}`)}
                </A>
              </li>
            )}
          </For>
        </ul>
      </nav>
      <main class="content">{props.children}</main>
    </div>
  );
}
