import { For, Show } from "solid-js";
import type { RecommendationContext } from "../../lib/api.ts";
import { formatAmount, formatDate, formatNumber, t } from "../../lib/i18n.ts";
import { TableScroll } from "../../ui/table-scroll.tsx";

/** The customer's most recent order lines: what the recommendation was learnt from. */
export function PurchaseHistory(props: { context: RecommendationContext }) {
  const c = () => props.context.customer;
  return (
    <section class="card wide">
      <h2>{t("review.detail.history")}</h2>
      <Show when={c().lastOrderOn}>
        {(last) => (
          <p class="muted">
            {t("review.detail.orders", {
              count: formatNumber(c().orders),
              date: formatDate(last()),
            })}
          </p>
        )}
      </Show>
      <Show
        when={props.context.purchases.length > 0}
        fallback={<p>{t("review.detail.historyEmpty")}</p>}
      >
        <TableScroll label={t("review.detail.history")}>
          <table class="grid" data-testid="purchase-history">
            <thead>
              <tr>
                <th scope="col">{t("review.detail.date")}</th>
                <th scope="col">{t("review.detail.document")}</th>
                <th scope="col">{t("review.detail.wine")}</th>
                <th scope="col">{t("review.detail.quantity")}</th>
                <th scope="col">{t("review.detail.amount")}</th>
              </tr>
            </thead>
            <tbody>
              <For each={props.context.purchases}>
                {(p) => (
                  <tr>
                    <td>{formatDate(p.orderDate)}</td>
                    <td>{p.documentNumber ?? "—"}</td>
                    <td>{p.product ?? p.sku ?? "—"}</td>
                    <td>{formatNumber(p.quantity)}</td>
                    <td>{p.total === null ? "—" : formatAmount(p.total)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </TableScroll>
      </Show>
    </section>
  );
}
