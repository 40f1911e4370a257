import { Show } from "solid-js";
import { ApiKeysSection } from "../components/settings/api-keys-section.tsx";
import { RulesForm } from "../components/settings/rules-form.tsx";
import { SchedulesSection } from "../components/settings/schedules-section.tsx";
import { UsersSection } from "../components/settings/users-section.tsx";
import { WebhooksSection } from "../components/settings/webhooks-section.tsx";
import "../components/settings/settings.css";
import { SignedIn } from "../components/signed-in.tsx";
import { t } from "../lib/i18n.ts";
import { me } from "../lib/session.ts";

/** The estate's settings, for administrators: the API refuses everyone else anyway. */
export default function Settings() {
  return (
    <>
      <h1>{t("nav.settings")}</h1>
      <SignedIn>
        <Show
          when={me()?.role === "admin"}
          fallback={
            <p class="card" role="note">
              {t("settings.adminsOnly")}
            </p>
          }
        >
          <nav class="settings-nav" aria-label={t("settings.sectionsLabel")}>
            <a href="#users">{t("settings.users.title")}</a>
            <a href="#api-keys">{t("settings.keys.title")}</a>
            <a href="#webhooks">{t("settings.webhooks.title")}</a>
            <a href="#rules">{t("settings.rules.title")}</a>
            <a href="#schedules">{t("settings.schedules.title")}</a>
          </nav>
          <UsersSection />
          <ApiKeysSection />
          <WebhooksSection />
          <RulesForm />
          <SchedulesSection />
        </Show>
      </SignedIn>
    </>
  );
}
