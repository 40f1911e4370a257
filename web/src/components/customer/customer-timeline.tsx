import { For, Show } from "solid-js";
import type { CustomerOrder } from "../../lib/api.ts";
import { formatAmount, formatDate, formatNumber, t } from "../../lib/i18n.ts";

const CHANNELS = ["cellar_door", "eshop", "trade", "fair", "other"] as const;
type Channel = (typeof CHANNELS)[number];

/** Orders (most recent first) by year, each year with its totals: what a customer bought, and when. */
export function groupByYear(orders: CustomerOrder[]) {
  const years = new Map<string, CustomerOrder[]>();
  for (const order of orders) {
    const year = order.orderDate.slice(0, 4);
    years.set(year, [...(years.get(year) ?? []), order]);
  }
  return [...years.entries()]
    .sort(([a], [b]) => (a < b ? 1 : -1))
    .map(([year, list]) => ({
      year,
      orders: list,
      purchases: list.filter((o) => !isCreditNote(o)).length,
      bottles: list.reduce((sum, o) => sum + o.bottles, 0),
      amount: list.reduce((sum, o) => sum + (o.total ?? 0), 0),
    }));
}

/** A credit note gives back what was sold (the server says so): shown, counted as no order. */
const isCreditNote = (order: CustomerOrder) => order.creditNote;

const countOrders = (n: number) =>
  n === 1 ? t("customerFile.oneOrder") : t("customerFile.orders", { count: formatNumber(n) });
const countBottles = (n: number) =>
  n === 1 ? t("customerFile.oneBottle") : t("customerFile.bottles", { count: formatNumber(n) });

/** The purchase history as a timeline: years, their orders, each order's lines. */
export function CustomerTimeline(props: { orders: CustomerOrder[] }) {
  const channel = (value: string) =>
    (CHANNELS as readonly string[]).includes(value)
      ? t(`customerFile.orderChannels.${value as Channel}`)
      : value;
  return (
    <section class="card wide" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t("customerFile.timeline")}</h2>
      <Show when={props.orders.length > 0} fallback={<p>{t("customerFile.noOrders")}</p>}>
        <ol class="timeline" data-testid="timeline">
          <For each={groupByYear(props.orders)}>
            {(year) => (
              <li class="timeline-year" data-testid="timeline-year">
                <h3>
                  {year.year}{" "}
                  <span class="muted">
                    {t("customerFile.yearSummary", {
                      orders: countOrders(year.purchases),
                      bottles: countBottles(year.bottles),
                      amount: formatAmount(year.amount),
                    })}
                  </span>
                </h3>
                <ol class="timeline-orders">
                  <For each={year.orders}>
                    {(order) => (
                      <li class="timeline-order" data-testid="timeline-order">
                        <div class="timeline-order-head">
                          <time datetime={order.orderDate}>{formatDate(order.orderDate)}</time>
                          <strong>
                            {t(
                              isCreditNote(order)
                                ? "customerFile.creditNote"
                                : "customerFile.order",
                              {
                                number: order.documentNumber,
                              },
                            )}
                          </strong>
                          <span class="muted">
                            {order.channel
                              ? t("customerFile.via", {
                                  channel: channel(order.channel),
                                  source: order.source,
                                })
                              : order.source}
                          </span>
                          <span class="timeline-total">
                            {countBottles(order.bottles)}
                            <Show when={order.total !== null}> · {formatAmount(order.total!)}</Show>
                          </span>
                        </div>
                        <table class="grid timeline-lines">
                          <thead>
                            <tr>
                              <th scope="col">{t("customerFile.wine")}</th>
                              <th scope="col" class="number">
                                {t("customerFile.quantity")}
                              </th>
                              <th scope="col" class="number">
                                {t("customerFile.unitPrice")}
                              </th>
                              <th scope="col" class="number">
                                {t("customerFile.amount")}
                              </th>
                            </tr>
                          </thead>
                          <tbody>
                            <For each={order.lines}>
                              {(line) => (
                                <tr>
                                  <td>
                                    {line.product}
                                    <Show when={line.sku}>
                                      <span class="muted"> · {line.sku}</span>
                                    </Show>
                                    <Show when={line.kind && line.kind !== "wine"}>
                                      {" "}
                                      <span class="tag" data-testid="line-kind-tag">
                                        {t(`wines.kinds.${line.kind!}`)}
                                      </span>
                                    </Show>
                                  </td>
                                  <td class="number">{formatNumber(line.quantity)}</td>
                                  <td class="number">
                                    {line.unitPrice === null ? "—" : formatAmount(line.unitPrice)}
                                  </td>
                                  <td class="number">
                                    {line.total === null ? "—" : formatAmount(line.total)}
                                  </td>
                                </tr>
                              )}
                            </For>
                          </tbody>
                        </table>
                      </li>
                    )}
                  </For>
                </ol>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </section>
  );
}
