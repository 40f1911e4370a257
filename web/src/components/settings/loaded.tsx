import type { ParentProps, Resource } from "solid-js";
import { Show } from "solid-js";
import { t } from "../../lib/i18n.ts";

/** A settings section's list as it loads: "loading…", then its content, or why it failed. */
export function Loaded(props: ParentProps<{ resource: Resource<unknown> }>) {
  return (
    <Show when={!props.resource.error} fallback={<p class="error">{t("settings.loadFailed")}</p>}>
      <Show when={props.resource()} fallback={<p class="muted">{t("settings.loading")}</p>}>
        {props.children}
      </Show>
    </Show>
  );
}
