import { ApiError } from "../../lib/api.ts";
import { t } from "../../lib/i18n.ts";

/** What went wrong, in words a salesperson understands (never a bare code). */
export function explainError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t("customerFile.errors.unreachable");
    if (error.status === 400) return t("customerFile.errors.invalid");
    if (error.status === 403) return t("customerFile.errors.forbidden");
    if (error.status === 404) return t("customerFile.errors.notFound");
    if (error.status === 409) return t("customerFile.errors.conflict");
  }
  return t("customerFile.errors.other");
}
