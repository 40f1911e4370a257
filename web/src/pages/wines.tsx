import { A } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { Pager } from "../components/pager.tsx";
import { SignedIn } from "../components/signed-in.tsx";
import { api, type Product, type ProductKind, productKinds, type WineColor } from "../lib/api.ts";
import { formatAmount, formatNumber, t } from "../lib/i18n.ts";
import "./wines.css";
import { SearchInput } from "../ui/search-input.tsx";
import { TableScroll } from "../ui/table-scroll.tsx";

const PAGE = 50;
const COLORS: WineColor[] = ["red", "white", "rose", "sparkling", "sweet", "other"];

/** The estate's wines, newest vintages first: where a launch starts ("customers for this wine"). */
export default function Wines() {
  return (
    <>
      <h1>{t("nav.wines")}</h1>
      <SignedIn>
        <WineList />
      </SignedIn>
    </>
  );
}

function WineList() {
  const [query, setQuery] = createSignal("");
  const [color, setColor] = createSignal<WineColor | "">("");
  const [vintage, setVintage] = createSignal<number | undefined>(undefined);
  const [onSale, setOnSale] = createSignal<"" | "true" | "false">("");
  const [kind, setKind] = createSignal<ProductKind | "">("");
  const [offset, setOffset] = createSignal(0);
  const [page, { refetch }] = createResource(
    () => ({
      q: query() || undefined,
      color: color() || undefined,
      vintage: vintage(),
      active: onSale() === "" ? undefined : onSale() === "true",
      kind: kind() || undefined,
      limit: PAGE,
      offset: offset(),
    }),
    api.products,
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = (run: () => void) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      setOffset(0);
      run();
    }, 250);
  };
  return (
    <div class="wines">
      <div class="toolbar">
        <label>
          {t("wines.search")}
          <SearchInput
            value={query() || undefined}
            placeholder={t("wines.searchHint")}
            onSearch={(text) => {
              setOffset(0);
              setQuery(text ?? "");
            }}
          />
        </label>
        <label>
          {t("wines.color")}
          <select
            value={color()}
            onChange={(e) => {
              setOffset(0);
              setColor(e.currentTarget.value as WineColor | "");
            }}
          >
            <option value="">{t("wines.allColors")}</option>
            <For each={COLORS}>{(c) => <option value={c}>{t(`wines.colors.${c}`)}</option>}</For>
          </select>
        </label>
        <label>
          {t("wines.vintage")}
          <input
            type="number"
            inputMode="numeric"
            min="1900"
            max="2100"
            class="vintage-input"
            onInput={(e) => {
              const value = e.currentTarget.value;
              const year = Number(value);
              later(() => setVintage(value && year >= 1900 && year <= 2100 ? year : undefined));
            }}
          />
        </label>
        <label>
          {t("wines.onSale")}
          <select
            value={onSale()}
            onChange={(e) => {
              setOffset(0);
              setOnSale(e.currentTarget.value as "" | "true" | "false");
            }}
          >
            <option value="">{t("wines.onSaleAll")}</option>
            <option value="true">{t("wines.onSaleYes")}</option>
            <option value="false">{t("wines.onSaleNo")}</option>
          </select>
        </label>
        <label>
          {t("wines.kind")}
          <select
            value={kind()}
            onChange={(e) => {
              setOffset(0);
              setKind(e.currentTarget.value as ProductKind | "");
            }}
          >
            <option value="">{t("wines.allKinds")}</option>
            <For each={productKinds}>
              {(k) => <option value={k}>{t(`wines.kinds.${k}`)}</option>}
            </For>
          </select>
        </label>
        <Show when={page.latest}>
          {(p) => (
            <span class="muted" data-testid="wines-total">
              {t("wines.total", { count: formatNumber(p().total) })}
            </span>
          )}
        </Show>
      </div>
      <Show when={page.loading}>
        <p role="status" class="muted">
          {t("wines.loading")}
        </p>
      </Show>
      <Show when={page.error}>
        <p role="alert" class="error">
          {t("wines.loadError")}{" "}
          <button type="button" class="secondary" onClick={() => void refetch()}>
            {t("wines.retry")}
          </button>
        </p>
      </Show>
      <Show when={!page.error && page.latest?.items.length === 0}>
        <p>{t("wines.empty")}</p>
      </Show>
      <Show when={!page.error && page.latest?.items.length}>
        <TableScroll label={t("nav.wines")}>
          <table class="grid" aria-label={t("nav.wines")}>
            <thead>
              <tr>
                <th scope="col">{t("wines.wine")}</th>
                <th scope="col">{t("wines.cuvee")}</th>
                <th scope="col">{t("wines.vintage")}</th>
                <th scope="col">{t("wines.color")}</th>
                <th scope="col">{t("wines.size")}</th>
                <th scope="col">{t("wines.price")}</th>
                <th scope="col">{t("wines.buyers")}</th>
                <th scope="col">{t("wines.recommendations")}</th>
              </tr>
            </thead>
            <tbody>
              <For each={page.latest!.items}>{(wine) => <WineRow wine={wine} />}</For>
            </tbody>
          </table>
        </TableScroll>
        <Pager
          offset={offset()}
          pageSize={PAGE}
          total={page.latest?.total ?? 0}
          onChange={setOffset}
        />
      </Show>
    </div>
  );
}

function WineRow(props: { wine: Product }) {
  const w = () => props.wine;
  return (
    <tr data-testid="wine-row">
      <td>
        <A href={`/wines/${w().id}`}>{w().name}</A>
        <div class="muted">
          {w().sku}
          <Show when={!w().active}>
            <span class="tag">{t("wines.notOnSale")}</span>
          </Show>
          <Show when={w().kind !== "wine"}>
            <span class="tag" data-testid="wine-kind-tag">
              {t(`wines.kinds.${w().kind}`)}
            </span>
          </Show>
        </div>
      </td>
      <td>{w().cuvee ?? "—"}</td>
      <td>{w().vintage ?? "—"}</td>
      <td>{w().color ? t(`wines.colors.${w().color!}`) : "—"}</td>
      <td>{w().sizeMl ? t("wines.sizeCl", { cl: formatNumber(w().sizeMl! / 10) }) : "—"}</td>
      <td>{w().priceInclTax === null ? "—" : formatAmount(w().priceInclTax!)}</td>
      <td>{formatNumber(w().buyers)}</td>
      <td>
        {t("wines.pendingApproved", {
          pending: formatNumber(w().recommendations.pending),
          approved: formatNumber(w().recommendations.approved),
        })}
      </td>
    </tr>
  );
}
