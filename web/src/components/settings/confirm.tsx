import { t } from "../../lib/i18n.ts";

/** An action that cannot be undone, asked again in place: the question, then confirm or cancel. */
export function Confirm(props: {
  question: string;
  confirm: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <div class="confirm" role="group">
      <span>{props.question}</span>
      <button type="button" onClick={() => props.onConfirm()}>
        {props.confirm}
      </button>
      <button type="button" class="secondary" onClick={() => props.onCancel()}>
        {t("settings.cancel")}
      </button>
    </div>
  );
}
