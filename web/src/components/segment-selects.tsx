import { For } from "solid-js";
import { type CustomerKind, type Tier, TIERS } from "../lib/api.ts";
import { t, tierName } from "../lib/i18n.ts";

/** The customer kind to narrow a list to (private or trade), or every kind. */
export function KindSelect(props: {
  label: string;
  value: CustomerKind | undefined;
  onChange: (kind: CustomerKind | undefined) => void;
}) {
  return (
    <label>
      {props.label}
      <select
        value={props.value ?? ""}
        onChange={(e) => props.onChange((e.currentTarget.value || undefined) as CustomerKind)}
      >
        <option value="">{t("customerFile.filters.allKinds")}</option>
        <option value="private">{t("customers.kinds.private")}</option>
        <option value="trade">{t("customers.kinds.trade")}</option>
      </select>
    </label>
  );
}

/** The RFM tier to narrow a list to, or every tier. */
export function TierSelect(props: {
  label: string;
  value: Tier | string | undefined;
  onChange: (tier: Tier | undefined) => void;
}) {
  return (
    <label>
      {props.label}
      <select
        value={props.value ?? ""}
        onChange={(e) => props.onChange((e.currentTarget.value || undefined) as Tier)}
      >
        <option value="">{t("customers.allTiers")}</option>
        <For each={TIERS}>{(x) => <option value={x}>{tierName(x)}</option>}</For>
      </select>
    </label>
  );
}
