import { ApiError } from "../../lib/api.ts";
import { t } from "../../lib/i18n.ts";

/** What to tell an admin when a settings write fails: the known refusals in their own words. */
export function errorText(cause: unknown): string {
  if (!(cause instanceof ApiError)) return t("settings.failed");
  switch (cause.code) {
    case "user.self_change":
      return t("settings.users.selfChange");
    case "user.last_admin":
      return t("settings.users.lastAdmin");
    case "user.conflict":
      return t("settings.users.exists");
    case "schedule.invalid":
      return t("settings.schedules.invalid");
    default:
      return cause.status === 0 ? t("signIn.unreachable") : t("settings.failed");
  }
}
