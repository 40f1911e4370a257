import { createEffect, createSignal, For, onCleanup, Show } from "solid-js";
import type { Dashboard } from "../lib/api.ts";
import { formatEuros, formatMonth, formatNumber, locale, t } from "../lib/i18n.ts";

type Month = Dashboard["ordersByMonth"][number];

/**
 * Orders per month as bars (count) with the revenue as a line, drawn by uPlot. The canvas is
 * hidden from assistive technology: the caption sums it up and a visually hidden table gives
 * every figure.
 */
export function OrdersChart(props: { months: Month[]; onDrawn?: () => void }) {
  let plotHost: HTMLDivElement | undefined;
  const [ready, setReady] = createSignal(false);
  const totals = () => ({
    orders: props.months.reduce((sum, m) => sum + m.orders, 0),
    amount: props.months.reduce((sum, m) => sum + m.amount, 0),
  });
  const busiest = () =>
    props.months.reduce<Month | null>(
      (best, m) => (best === null || m.orders > best.orders ? m : best),
      null,
    );

  createEffect(() => {
    const months = props.months;
    locale(); // redraw the axes' month names when the language changes
    const host = plotHost;
    if (totals().orders === 0 || !host) return;
    let plot: { fit(): void; destroy(): void } | undefined;
    let gone = false;
    const resize = new ResizeObserver(() => plot?.fit());
    void import("./orders-plot.ts").then(({ drawOrdersPlot }) => {
      if (gone) return;
      plot = drawOrdersPlot(host, months, () => {
        setReady(true);
        props.onDrawn?.();
      });
      resize.observe(host);
    });
    onCleanup(() => {
      gone = true;
      resize.disconnect();
      plot?.destroy();
      setReady(false);
    });
  });

  return (
    <figure class="orders-chart" data-testid="orders-chart" data-ready={String(ready())}>
      <Show when={totals().orders > 0} fallback={<p class="muted">{t("overview.orders.none")}</p>}>
        <div ref={(el) => (plotHost = el)} class="orders-plot" aria-hidden="true" />
      </Show>
      <figcaption>
        <Show when={busiest()?.orders}>
          {t("overview.orders.summary", {
            orders: formatNumber(totals().orders),
            amount: formatEuros(totals().amount),
            best: formatMonth(busiest()!.month),
            bestOrders: formatNumber(busiest()!.orders),
            months: formatNumber(props.months.length),
          })}
        </Show>
      </figcaption>
      <table class="visually-hidden">
        <caption>{t("overview.orders.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("overview.orders.month")}</th>
            <th scope="col">{t("overview.orders.count")}</th>
            <th scope="col">{t("overview.orders.amount")}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.months}>
            {(m) => (
              <tr>
                <th scope="row">{formatMonth(m.month)}</th>
                <td>{formatNumber(m.orders)}</td>
                <td>{formatEuros(m.amount)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </figure>
  );
}
