import { A, useSearchParams } from "@solidjs/router";
import { createMemo, createResource, For, Show } from "solid-js";
import { CustomerFilters } from "../components/customer/customer-filters.tsx";
import { explainError } from "../components/customer/explain-error.ts";
import { Pager } from "../components/pager.tsx";
import { SignedIn } from "../components/signed-in.tsx";
import { api, type CustomerFilter } from "../lib/api.ts";
import { formatDate, formatNumber, t, tierName } from "../lib/i18n.ts";
import "../components/customer/customer.css";
import { TableScroll } from "../ui/table-scroll.tsx";

const PAGE = 50;
type Search = {
  q?: string;
  kind?: string;
  tier?: string;
  consentEmail?: string;
  lastPurchaseAfter?: string;
  lastPurchaseBefore?: string;
  noPurchaseForMonths?: string;
  offset?: string;
};
const KEYS = [
  "q",
  "kind",
  "tier",
  "consentEmail",
  "lastPurchaseAfter",
  "lastPurchaseBefore",
  "noPurchaseForMonths",
] as const;

/** The estate's customers, searched and filtered; the filters live in the URL, to share or go back. */
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
  const [search, setSearch] = useSearchParams<Search>();
  const filter = createMemo<CustomerFilter>(() => ({
    q: search.q || undefined,
    kind: search.kind === "private" || search.kind === "trade" ? search.kind : undefined,
    tier: search.tier || undefined,
    consentEmail: (search.consentEmail || undefined) as CustomerFilter["consentEmail"],
    lastPurchaseAfter: search.lastPurchaseAfter || undefined,
    lastPurchaseBefore: search.lastPurchaseBefore || undefined,
    noPurchaseForMonths: search.noPurchaseForMonths
      ? Number(search.noPurchaseForMonths)
      : undefined,
  }));
  const offset = () => Math.max(0, Number(search.offset ?? 0) || 0);
  const [result] = createResource(
    () => ({ ...filter(), limit: PAGE, offset: offset() }),
    async (query) => {
      try {
        return { page: await api.customers(query) };
      } catch (error) {
        return { error: explainError(error) };
      }
    },
  );
  const [pending] = createResource(async () => {
    try {
      return (await api.mergeCandidates({ limit: 1, offset: 0 })).total;
    } catch {
      return null; // the list is what matters here; the queue's own page reports its errors
    }
  });
  const page = () => result()?.page;
  // A filter typed in the search box replaces the history entry; a chosen one adds one (Back undoes it).
  const change = (next: Partial<CustomerFilter>, typing = false) =>
    setSearch(
      {
        ...Object.fromEntries(
          Object.entries(next).map(([k, v]) => [k, v === undefined ? undefined : String(v)]),
        ),
        offset: undefined,
      },
      { replace: typing },
    );
  return (
    <div class="customer-file">
      <Show when={typeof pending() === "number"}>
        <p>
          <A href="/customers/merges" data-testid="merges-link">
            {t("customerFile.mergesLink", { count: formatNumber(pending()!) })}
          </A>
        </p>
      </Show>
      <CustomerFilters
        filter={filter()}
        onChange={change}
        onReset={() =>
          setSearch(Object.fromEntries([...KEYS, "offset"].map((k) => [k, undefined])))
        }
      />
      <p class="muted" aria-live="polite">
        <Show when={page()} fallback={result.loading ? t("customerFile.loading") : ""}>
          {(p) => (
            <span data-testid="customers-total">
              {t("customers.total", { count: formatNumber(p().total) })}
            </span>
          )}
        </Show>
      </p>
      <Show when={result()?.error}>
        {(message) => (
          <p role="alert" class="error">
            {t("customerFile.loadError", { reason: message() })}
          </p>
        )}
      </Show>
      <Show when={page()?.items.length === 0}>
        <p>{t("customers.empty")}</p>
      </Show>
      <Show when={page()?.items.length}>
        <TableScroll label={t("nav.customers")}>
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
                      <A href={`/customers/${c.id}`}>{c.name || c.code || "—"}</A>
                      <div class="muted">
                        {c.code} {c.email}
                      </div>
                    </td>
                    <td>{c.city ?? "—"}</td>
                    <td>{c.kind ? t(`customers.kinds.${c.kind}`) : "—"}</td>
                    <td>{tierName(c.tier)}</td>
                    <td>{c.lastOrderOn ? formatDate(c.lastOrderOn) : "—"}</td>
                    <td>{t(`customers.consents.${c.consentEmail as "opt_in"}`)}</td>
                    <td>{c.qualityScore === null ? "—" : `${Math.round(c.qualityScore)}/100`}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </TableScroll>
        <Pager
          offset={offset()}
          pageSize={PAGE}
          total={page()?.total ?? 0}
          onChange={(next) => setSearch({ offset: next === 0 ? undefined : String(next) })}
        />
      </Show>
    </div>
  );
}
