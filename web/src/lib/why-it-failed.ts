import { ApiError } from "./api.ts";
import { t } from "./i18n.ts";

/** Why a review action failed, in the reader's language: never a bare status code. */
export function whyItFailed(error: unknown): string {
  if (!(error instanceof ApiError)) return t("review.why.other");
  switch (error.status) {
    case 0:
      return t("review.why.unreachable");
    case 401:
      return t("review.why.session");
    case 403:
      return t("review.why.forbidden");
    case 409:
      return t("review.why.conflict");
    case 400:
      return t("review.why.invalid", { message: error.message });
    default:
      return t("review.why.other");
  }
}
