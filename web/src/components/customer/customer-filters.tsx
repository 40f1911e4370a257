import { For } from "solid-js";
import type { Consent, CustomerFilter } from "../../lib/api.ts";
import { t } from "../../lib/i18n.ts";
import { SearchInput } from "../../ui/search-input.tsx";
import { KindSelect, TierSelect } from "../segment-selects.tsx";

export const CONSENTS: Consent[] = ["opt_in", "soft_opt_in", "opt_out", "unknown"];

/**
 * The customers list's filters. The page keeps them in the URL, so this only shows them and says
 * which one changed.
 */
export function CustomerFilters(props: {
  filter: CustomerFilter;
  onChange: (change: Partial<CustomerFilter>, typing?: boolean) => void;
  onReset: () => void;
}) {
  return (
    <div class="toolbar customer-filters">
      <label>
        {t("customers.search")}
        <SearchInput value={props.filter.q} onSearch={(q) => props.onChange({ q }, true)} />
      </label>
      <KindSelect
        label={t("customerFile.filters.kind")}
        value={props.filter.kind}
        onChange={(kind) => props.onChange({ kind })}
      />
      <TierSelect
        label={t("customers.tier")}
        value={props.filter.tier}
        onChange={(tier) => props.onChange({ tier })}
      />
      <label>
        {t("customerFile.filters.consent")}
        <select
          value={props.filter.consentEmail ?? ""}
          onChange={(e) =>
            props.onChange({
              consentEmail: (e.currentTarget.value || undefined) as Consent | undefined,
            })
          }
        >
          <option value="">{t("customerFile.filters.allConsents")}</option>
          <For each={CONSENTS}>
            {(x) => <option value={x}>{t(`customers.consents.${x}`)}</option>}
          </For>
        </select>
      </label>
      <label>
        {t("customerFile.filters.after")}
        <input
          type="date"
          value={props.filter.lastPurchaseAfter ?? ""}
          max={props.filter.lastPurchaseBefore}
          onChange={(e) =>
            props.onChange({ lastPurchaseAfter: e.currentTarget.value || undefined })
          }
        />
      </label>
      <label>
        {t("customerFile.filters.before")}
        <input
          type="date"
          value={props.filter.lastPurchaseBefore ?? ""}
          min={props.filter.lastPurchaseAfter}
          onChange={(e) =>
            props.onChange({ lastPurchaseBefore: e.currentTarget.value || undefined })
          }
        />
      </label>
      <label>
        {t("customerFile.filters.idle")}
        <input
          type="number"
          min="1"
          max="240"
          step="1"
          inputmode="numeric"
          value={props.filter.noPurchaseForMonths ?? ""}
          onChange={(e) => {
            const months = Number.parseInt(e.currentTarget.value, 10);
            props.onChange({
              noPurchaseForMonths: months >= 1 && months <= 240 ? months : undefined,
            });
          }}
        />
      </label>
      <button type="button" class="secondary" onClick={() => props.onReset()}>
        {t("customerFile.filters.reset")}
      </button>
    </div>
  );
}
