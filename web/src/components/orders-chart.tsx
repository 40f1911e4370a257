import { createEffect, createSignal, For, onCleanup, Show } from "solid-js";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { Dashboard } from "../lib/api.ts";
import { formatEuros, formatMonth, formatNumber, locale, t } from "../lib/i18n.ts";

type Month = Dashboard["ordersByMonth"][number];

const WINE = "#7a1f3d";
const GOLD = "#9a6700";

/**
 * Orders per month as bars (count) with the revenue as a line, drawn by uPlot. The canvas is
 * hidden from assistive technology: the caption sums it up and a visually hidden table gives
 * every figure.
 */
export function OrdersChart(props: { months: Month[] }) {
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
    const plot = new uPlot(
      options(months, host.clientWidth || 640, () => setReady(true)),
      [months.map((_, i) => i), months.map((m) => m.orders), months.map((m) => m.amount)],
      host,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: host.clientWidth, height: 240 }));
    resize.observe(host);
    onCleanup(() => {
      resize.disconnect();
      plot.destroy();
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

const fromZero = (_: uPlot, _min: number, max: number): uPlot.Range.MinMax => [
  0,
  Math.max(1, max) * 1.1,
];

function options(months: Month[], width: number, onReady: () => void): uPlot.Options {
  const label = (i: number) => (months[i] ? formatMonth(months[i].month, "short") : "");
  const axis = { stroke: "#59636e", grid: { stroke: "#eaeef2" }, ticks: { show: false } };
  return {
    width,
    height: 240,
    cursor: { points: { show: false }, drag: { x: false, y: false } },
    scales: {
      x: { time: false, range: [-0.6, months.length - 0.4] },
      y: { range: fromZero },
      eur: { range: fromZero },
    },
    // The subtitle says which is which, the caption and the table give the figures.
    legend: { show: false },
    series: [
      { label: t("overview.orders.month"), value: (_, i) => (i === null ? "—" : label(i)) },
      {
        label: t("overview.orders.count"),
        stroke: WINE,
        fill: "rgba(122, 31, 61, 0.78)",
        width: 0,
        points: { show: false },
        paths: uPlot.paths.bars!({ size: [0.7, 28] }),
        value: (_, v) => (v === null ? "—" : formatNumber(v)),
      },
      {
        label: t("overview.orders.amount"),
        scale: "eur",
        stroke: GOLD,
        width: 2,
        points: { show: false },
        value: (_, v) => (v === null ? "—" : formatEuros(v)),
      },
    ],
    axes: [
      {
        ...axis,
        grid: { show: false },
        incrs: [1, 2, 3, 6],
        space: 48,
        values: (_, splits) => splits.map((i) => (Number.isInteger(i) ? label(i) : "")),
      },
      {
        ...axis,
        size: 48,
        values: (_, splits) => splits.map((v) => formatNumber(v)),
      },
      {
        ...axis,
        scale: "eur",
        side: 1,
        size: 72,
        grid: { show: false },
        values: (_, splits) => splits.map((v) => formatEuros(v)),
      },
    ],
    hooks: { ready: [onReady] },
  };
}
