import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { Dashboard } from "../lib/api.ts";
import { formatEuros, formatMonth, formatNumber, t } from "../lib/i18n.ts";

// uPlot and its styles, in a chunk of their own: the dashboard asks for it as it starts loading
// (see dashboard-preload.ts), and its figures do not wait for it.

type Month = Dashboard["ordersByMonth"][number];

const WINE = "#7a1f3d";
const GOLD = "#9a6700";
const HEIGHT = 240;

/** Draws the months in `host`, as wide as it is; `onReady` once the first drawing is done. */
export function drawOrdersPlot(host: HTMLElement, months: Month[], onReady: () => void) {
  const plot = new uPlot(
    options(months, host.clientWidth || 640, onReady),
    [months.map((_, i) => i), months.map((m) => m.orders), months.map((m) => m.amount)],
    host,
  );
  return {
    fit: () => plot.setSize({ width: host.clientWidth, height: HEIGHT }),
    destroy: () => plot.destroy(),
  };
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
    height: HEIGHT,
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
