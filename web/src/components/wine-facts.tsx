import { Show } from "solid-js";
import type { Product } from "../lib/api.ts";
import { formatAmount, formatNumber, t } from "../lib/i18n.ts";
import { ProductKindField } from "./product-kind.tsx";

/** What the estate knows of one wine, and how far its recommendations got. */
export function WineFacts(props: { wine: Product; onChanged: (p: Product) => void }) {
  const w = () => props.wine;
  return (
    <section class="card wine-facts" aria-labelledby="wine-facts-title">
      <h2 id="wine-facts-title">
        {w().name}
        <Show when={!w().active}>
          <span class="tag">{t("wines.notOnSale")}</span>
        </Show>
      </h2>
      <dl class="facts">
        <dt>{t("wines.kind")}</dt>
        <dd data-testid="wine-kind">
          <ProductKindField product={w()} onSaved={props.onChanged} />
        </dd>
        <dt>{t("wines.family")}</dt>
        <dd>{w().category ?? "—"}</dd>
        <dt>{t("wines.cuvee")}</dt>
        <dd>{w().cuvee ?? "—"}</dd>
        <dt>{t("wines.vintage")}</dt>
        <dd>{w().vintage ?? "—"}</dd>
        <dt>{t("wines.color")}</dt>
        <dd>{w().color ? t(`wines.colors.${w().color!}`) : "—"}</dd>
        <dt>{t("wines.size")}</dt>
        <dd>{w().sizeMl ? t("wines.sizeCl", { cl: formatNumber(w().sizeMl! / 10) }) : "—"}</dd>
        <dt>{t("wines.appellation")}</dt>
        <dd>{w().appellation ?? "—"}</dd>
        <dt>{t("wines.price")}</dt>
        <dd>{w().priceInclTax === null ? "—" : formatAmount(w().priceInclTax!)}</dd>
        <dt>{t("wines.buyers")}</dt>
        <dd>{formatNumber(w().buyers)}</dd>
        <dt>{t("wines.recommendations")}</dt>
        <dd data-testid="wine-recommendations">
          {t("wines.pendingApproved", {
            pending: formatNumber(w().recommendations.pending),
            approved: formatNumber(w().recommendations.approved),
          })}
        </dd>
      </dl>
      <p class="muted">{w().sku}</p>
    </section>
  );
}
