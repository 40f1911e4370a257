/**
 * The months the chart and the year's figure read: the last one is the month in progress, and
 * while it has no order yet (the first days, or exports that end with last month) it would draw
 * the revenue falling to nothing and count as one of the twelve; it is left out until it has one.
 */
export function shownMonths<M extends { orders: number }>(months: M[]): M[] {
  return months.length > 0 && months.at(-1)!.orders === 0 ? months.slice(0, -1) : months;
}
