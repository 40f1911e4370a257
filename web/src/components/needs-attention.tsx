import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import type { Dashboard } from "../lib/api.ts";
import { formatNumber, t } from "../lib/i18n.ts";

type Item = Dashboard["needsAttention"][number];

const urgent = new Set<Item["kind"]>(["failed_run", "high_anomalies", "overdue_sync"]);

function describe(item: Item): string {
  if (item.kind === "failed_run" || item.kind === "overdue_sync")
    return t(`overview.attention.${item.kind}`, { source: item.source ?? "" });
  return item.count === 1
    ? t(`overview.attention.${item.kind}.one`)
    : t(`overview.attention.${item.kind}.many`, { count: formatNumber(item.count) });
}

/** What the estate should deal with now, each line a link to the page where it is done. */
export function NeedsAttention(props: { items: Item[] }) {
  return (
    <Show
      when={props.items.length > 0}
      fallback={<p class="notice">{t("overview.attention.empty")}</p>}
    >
      <ul class="attention" data-testid="needs-attention">
        <For each={props.items}>
          {(item) => (
            <li class={urgent.has(item.kind) ? "urgent" : ""} data-kind={item.kind}>
              <A href={item.link}>{describe(item)}</A>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
