import { Show } from "solid-js";
import { t } from "../lib/i18n.ts";

/**
 * Says, where a recommendation is read, that its customer cannot be written to by e-mail and why:
 * the review list showed it only once exported ("1 exclu (sans consentement)").
 */
export function EmailRefusal(props: { reason: string | null | undefined }) {
  return (
    <Show when={props.reason}>
      {(reason) => (
        <span class="tag rejected" data-testid="email-refusal">
          {t("reco.noEmail", {
            reason: t(`wines.emailRefusals.${reason() as "no_email"}`) || reason(),
          })}
        </span>
      )}
    </Show>
  );
}
