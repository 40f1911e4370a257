import { For, Show } from "solid-js";
import { formatNumber } from "../lib/i18n.ts";

export interface CategoryBar {
  key: string;
  label: string;
  value: number;
  /** A class of the bar's colour (e.g. "severity-high", "approved"). */
  tone?: string;
}

/**
 * Counts by category as horizontal bars, the figure written beside each bar: the text is the
 * data, the bar only its picture, so no alternative is needed.
 */
export function CategoryBars(props: { bars: CategoryBar[]; empty: string; testId?: string }) {
  const max = () => Math.max(1, ...props.bars.map((b) => b.value));
  return (
    <Show when={props.bars.some((b) => b.value > 0)} fallback={<p class="muted">{props.empty}</p>}>
      <ul class="category-bars" data-testid={props.testId}>
        <For each={props.bars}>
          {(bar) => (
            <li data-key={bar.key}>
              <span class="category-label">{bar.label}</span>
              <span class="category-track" aria-hidden="true">
                <span
                  class={`category-fill ${bar.tone ?? ""}`}
                  style={{
                    width: bar.value === 0 ? "0" : `max(3px, ${(bar.value / max()) * 100}%)`,
                  }}
                />
              </span>
              <span class="category-value">{formatNumber(bar.value)}</span>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
