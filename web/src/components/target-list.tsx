import { A } from "@solidjs/router";
import { createEffect, createMemo, createResource, createSignal, For, on, Show } from "solid-js";
import {
  api,
  ApiError,
  type CustomerKind,
  type Product,
  type ProductLead,
  type Tier,
} from "../lib/api.ts";
import { formatConfidence, formatNumber, locale, t, tierName } from "../lib/i18n.ts";
import { canEdit } from "../lib/session.ts";
import { TableScroll } from "../ui/table-scroll.tsx";
import { KindSelect, TierSelect } from "./segment-selects.tsx";

const SIZES = [20, 50, 100, 200];

/** A lead can join the list unless a campaign rule keeps them off or it is already approved. */
const selectable = (lead: ProductLead) =>
  !lead.blockedBy &&
  lead.recommendation?.status !== "approved" &&
  lead.recommendation?.status !== "exported";

/**
 * The wine's target list: the likeliest buyers, most confident first. Editors select them (every
 * contactable one above a confidence threshold, then one by one) and approve the list; the rows
 * turn approved at once and come back if the server refuses.
 */
export function TargetList(props: { wine: Product; onApproved: () => void }) {
  const [size, setSize] = createSignal(50);
  const [kind, setKind] = createSignal<CustomerKind | undefined>();
  const [tier, setTier] = createSignal<Tier | undefined>();
  const [threshold, setThreshold] = createSignal(0);
  const [selected, setSelected] = createSignal<Set<string>>(new Set());
  const [message, setMessage] = createSignal<string | null>(null);
  const [failure, setFailure] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  // Compared by value: the wine's facts are fetched again after an approval (a new object, the
  // same wine), which must not ask for the list a second time beside the refresh below.
  const query = createMemo(
    () => ({ id: props.wine.id, k: size(), kind: kind(), tier: tier() }),
    undefined,
    {
      equals: (a, b) => a.id === b.id && a.k === b.k && a.kind === b.kind && a.tier === b.tier,
    },
  );
  const [leads, { mutate, refetch }] = createResource(query, async ({ id, k, kind, tier }) => ({
    key: `${id}|${k}|${kind}|${tier}`,
    items: (await api.productCustomers(id, k, { kind, tier })).items,
  }));
  // Chosen for the person: the buyers above the threshold who can be written to, with some
  // chance of buying. Those who refused e-mail, or whom the backtest gives no chance, can still be
  // ticked one by one (a call, a visit), but are not in the list by default.
  const selectAbove = () =>
    setSelected(
      new Set(
        (leads.latest?.items ?? [])
          .filter(
            (l) =>
              selectable(l) &&
              !l.emailRefusal &&
              l.confidence > 0 &&
              l.confidence * 100 >= threshold(),
          )
          .map((l) => l.customer.id),
      ),
    );
  // A new list (another wine or size) or a new threshold selects afresh; a refresh after
  // approving keeps what the person chose.
  const listKey = createMemo(() => leads.latest?.key);
  createEffect(on([listKey, threshold], selectAbove));
  const toggle = (id: string) => {
    const next = new Set(selected());
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const approve = async () => {
    const ids = [...selected()];
    const before = leads.latest;
    if (ids.length === 0 || !before) return;
    setMessage(null);
    setFailure(null);
    setBusy(true);
    mutate({
      ...before,
      items: before.items.map((l) =>
        selected().has(l.customer.id)
          ? {
              ...l,
              recommendation: { id: l.recommendation?.id ?? "", status: "approved" as const },
            }
          : l,
      ),
    });
    try {
      const result = await api.approveProductCustomers(props.wine.id, ids);
      setSelected(new Set<string>());
      setMessage(
        [
          t("wines.approved", { count: formatNumber(result.approved) }),
          result.alreadyApproved > 0 &&
            t("wines.already", { count: formatNumber(result.alreadyApproved) }),
          result.skipped.length > 0 &&
            t("wines.skipped", { count: formatNumber(result.skipped.length) }),
          result.withoutEmail > 0 &&
            t("wines.withoutEmail", { count: formatNumber(result.withoutEmail) }),
        ]
          .filter(Boolean)
          .join(" "),
      );
      props.onApproved();
      void refetch();
    } catch (error) {
      mutate(before);
      setFailure(
        t("wines.approveError", {
          message: error instanceof ApiError ? error.message : String(error),
        }),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="target-list" aria-labelledby="target-list-title">
      <h2 id="target-list-title">{t("wines.targets")}</h2>
      <p class="muted">{t("wines.targetsIntro")}</p>
      <div class="toolbar">
        <label>
          {t("wines.show")}
          <select value={size()} onChange={(e) => setSize(Number(e.currentTarget.value))}>
            <For each={SIZES}>{(n) => <option value={n}>{formatNumber(n)}</option>}</For>
          </select>
        </label>
        <KindSelect label={t("review.customerKind")} value={kind()} onChange={setKind} />
        <TierSelect label={t("review.customerTier")} value={tier()} onChange={setTier} />
        <Show when={canEdit()}>
          <label>
            {t("wines.threshold")}
            <input
              type="number"
              min="0"
              max="100"
              step="1"
              class="threshold-input"
              value={threshold()}
              onChange={(e) => {
                const value = Number(e.currentTarget.value);
                setThreshold(Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 0);
              }}
            />
          </label>
          <button type="button" class="secondary" onClick={selectAbove}>
            {t("wines.selectAbove")}
          </button>
          <button type="button" class="secondary" onClick={() => setSelected(new Set<string>())}>
            {t("wines.selectNone")}
          </button>
          <button type="button" disabled={busy() || selected().size === 0} onClick={approve}>
            {busy() ? t("wines.approving") : t("wines.approve", { count: selected().size })}
          </button>
        </Show>
      </div>
      <Show when={!canEdit()}>
        <p class="muted">{t("wines.viewerNote")}</p>
      </Show>
      <Show when={message()}>
        <p role="status" class="notice">
          {message()}
        </p>
      </Show>
      <Show when={failure()}>
        <p role="alert" class="error">
          {failure()}
        </p>
      </Show>
      <Show when={leads.loading && !leads.latest}>
        <p role="status" class="muted">
          {t("wines.computing")}
        </p>
      </Show>
      <Show when={leads.error}>
        <p role="alert" class="error">
          {t("wines.leadsError")}{" "}
          <button type="button" class="secondary" onClick={() => void refetch()}>
            {t("wines.retry")}
          </button>
        </p>
      </Show>
      <Show when={!leads.error && leads.latest?.items.length === 0}>
        <p>{t("wines.noLeads")}</p>
      </Show>
      <Show when={!leads.error && leads.latest?.items.length}>
        <TableScroll label={t("wines.targets")}>
          <table class="grid" aria-label={t("wines.targets")}>
            <thead>
              <tr>
                <Show when={canEdit()}>
                  <th scope="col">
                    <span class="visually-hidden">{t("reco.select")}</span>
                  </th>
                </Show>
                <th scope="col">{t("wines.rank")}</th>
                <th scope="col">{t("wines.customer")}</th>
                <th scope="col">{t("wines.segment")}</th>
                <th scope="col">{t("wines.confidence")}</th>
                <th scope="col">{t("wines.why")}</th>
                <th scope="col">{t("wines.email")}</th>
                <th scope="col">{t("wines.state")}</th>
              </tr>
            </thead>
            <tbody>
              <For each={leads.latest!.items}>
                {(lead, index) => (
                  <LeadRow
                    lead={lead}
                    rank={index() + 1}
                    selected={selected().has(lead.customer.id)}
                    onToggle={() => toggle(lead.customer.id)}
                  />
                )}
              </For>
            </tbody>
          </table>
        </TableScroll>
        <p class="muted" data-testid="selected-count">
          <Show when={canEdit()}>
            {t("wines.selected", { count: formatNumber(selected().size) })}
          </Show>
        </p>
      </Show>
    </section>
  );
}

function LeadRow(props: {
  lead: ProductLead;
  rank: number;
  selected: boolean;
  onToggle: () => void;
}) {
  const l = () => props.lead;
  const name = () => l().customer.name || l().customer.code || "—";
  return (
    <tr data-testid="lead-row" data-state={l().blockedBy ?? l().recommendation?.status ?? "new"}>
      <Show when={canEdit()}>
        <td>
          <input
            type="checkbox"
            checked={props.selected}
            disabled={!selectable(l())}
            aria-label={t("wines.selectOne", { customer: name() })}
            onChange={() => props.onToggle()}
          />
        </td>
      </Show>
      <td>{formatNumber(props.rank)}</td>
      <td>
        <A href={`/customers/${l().customer.id}`}>{name()}</A>
        <div class="muted">
          {l().customer.code}
          <Show when={l().customer.kind}>{(kind) => <> · {t(`customers.kinds.${kind()}`)}</>}</Show>
        </div>
      </td>
      <td>{tierName(l().customer.tier)}</td>
      <td>{formatConfidence(l().confidence)}</td>
      <td>
        {locale() === "fr" ? l().explanation.fr : l().explanation.en}
        <Show when={l().explanation.fallback}>
          <span class="tag">{t("reco.fallback")}</span>
        </Show>
      </td>
      <td>
        <Show
          when={l().emailRefusal}
          fallback={<span class="tag approved">{t("wines.emailOk")}</span>}
        >
          {(reason) => (
            <span class="tag rejected">
              {t(`wines.emailRefusals.${reason() as "no_email"}`) || reason()}
            </span>
          )}
        </Show>
      </td>
      <td>
        <Show
          when={l().blockedBy}
          fallback={
            <Show
              when={l().recommendation}
              fallback={<span class="muted">{t("wines.candidate")}</span>}
            >
              {(r) => <span class={`tag ${r().status}`}>{t(`reco.statuses.${r().status}`)}</span>}
            </Show>
          }
        >
          {(rule) => <span class="muted">{t(`wines.blocked.${rule()}`)}</span>}
        </Show>
      </td>
    </tr>
  );
}
