import { For } from "solid-js";
import type { Role } from "../../lib/api.ts";
import { t } from "../../lib/i18n.ts";

const roles: Role[] = ["viewer", "editor", "admin"];

/** The roles a person or an API key can have, least to most, as a select's options. */
export function RoleOptions() {
  return (
    <For each={roles}>{(role) => <option value={role}>{t(`settings.roles.${role}`)}</option>}</For>
  );
}
