import { createResource, createSignal, For, Show } from "solid-js";
import { Pager } from "../components/pager.tsx";
import { SignedIn } from "../components/signed-in.tsx";
import { api } from "../lib/api.ts";
import { formatNumber, t } from "../lib/i18n.ts";

const PAGE = 50;
const TIERS = [
  "champions",
  "loyal",
  "promising",
  "new",
  "at_risk",
  "dormant",
  "occasional",
] as const;

/** The estate's customers, searched and filtered by RFM tier. */
export default function Customers() {
  return (
    <>
      <h1>{t("nav.customers")}</h1>
      <SignedIn>
        <CustomerList />
      </SignedIn>
    </>
  );
}

function CustomerList() {
  const [query, setQuery] = createSignal("");
  const [tier, setTier] = createSignal("");
  const [offset, setOffset] = createSignal(0);
  const [page] = createResource(
    () => ({ q: query() || undefined, tier: tier() || undefined, limit: PAGE, offset: offset() }),
    api.customers,
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (
    <>
      <div class="toolbar">
        <label>
          {t("customers.search")}
          <input
            type="search"
            onInput={(e) => {
              const value = e.currentTarget.value;
              clearTimeout(timer);
              timer = setTimeout(() => {
                setOffset(0);
                setQuery(value.trim());
              }, 250);
            }}
          />
        </label>
        <label>
          {t("customers.tier")}
          <select
            value={tier()}
            onChange={(e) => {
              setOffset(0);
              setTier(e.currentTarget.value);
            }}
          >
            <option value="">{t("customers.allTiers")}</option>
            <For each={TIERS}>{(x) => <option value={x}>{t(`customers.tiers.${x}`)}</option>}</For>
          </select>
        </label>
        <Show when={page()}>
          {(p) => (
            <span class="muted" data-testid="customers-total">
              {t("customers.total", { count: formatNumber(p().total) })}
            </span>
          )}
        </Show>
      </div>
      <Show when={page()?.items.length === 0}>
        <p>{t("customers.empty")}</p>
      </Show>
      <Show when={page()?.items.length}>
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">{t("customers.name")}</th>
              <th scope="col">{t("customers.city")}</th>
              <th scope="col">{t("customers.kind")}</th>
              <th scope="col">{t("customers.tier")}</th>
              <th scope="col">{t("customers.lastOrder")}</th>
              <th scope="col">{t("customers.consent")}</th>
              <th scope="col">{t("customers.quality")}</th>
            </tr>
          </thead>
          <tbody>
            <For each={page()!.items}>
              {(c) => (
                <tr data-testid="customer-row">
                  <td>
                    {c.name || "—"}
                    <div class="muted">
                      {c.code} {c.email}
                    </div>
                  </td>
                  <td>{c.city ?? "—"}</td>
                  <td>{c.kind ? t(`customers.kinds.${c.kind}`) : "—"}</td>
                  <td>{c.tier ? t(`customers.tiers.${c.tier as (typeof TIERS)[number]}`) : "—"}</td>
                  <td>{c.lastOrderOn ?? "—"}</td>
                  <td>{t(`customers.consents.${c.consentEmail as "opt_in"}`)}</td>
                  <td>{c.qualityScore === null ? "—" : `${Math.round(c.qualityScore)}/100`}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <Pager offset={offset()} pageSize={PAGE} total={page()?.total ?? 0} onChange={setOffset} />
      </Show>
    </>
  );
}
