import { useSearchParams } from "@solidjs/router";
import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import { Pager } from "../components/pager.tsx";
import { RegenerateButton } from "../components/regenerate-button.tsx";
import { KindSelect, TierSelect } from "../components/segment-selects.tsx";
import { ReviewTable } from "../components/review-table.tsx";
import { SignedIn } from "../components/signed-in.tsx";
import {
  api,
  ApiError,
  type MailingChannel,
  mailingChannels,
  type Page,
  type Recommendation,
  type RecommendationStatus,
} from "../lib/api.ts";
import { algorithmName, formatNumber, locale, t } from "../lib/i18n.ts";
import {
  filterParams,
  readFilters,
  type ReviewFilters,
  sortChoices,
  toQuery,
} from "../lib/review-filters.ts";
import { canEdit } from "../lib/session.ts";
import { SearchInput } from "../ui/search-input.tsx";

// Server-side pages: 50 rows stay fast however many recommendations the estate has.
const PAGE = 50;

/** The review list: the sales team approves or rejects each proposal, with a reason and a rating. */
export default function Recommendations() {
  return (
    <>
      <h1>{t("nav.recommendations")}</h1>
      <SignedIn>
        <ReviewList />
      </SignedIn>
    </>
  );
}

function ReviewList() {
  const [params, setParams] = useSearchParams();
  const filters = createMemo(() => readFilters(params));
  // Typing in a search box replaces the page's entry in the history: Back leaves the search
  // instead of stepping through "M", "Mar", "Martin".
  const change = (next: Partial<ReviewFilters>, typing = false) =>
    setParams(filterParams(next), { replace: typing });
  const [facets] = createResource(api.recommendationFacets);
  const [message, setMessage] = createSignal<string | null>(null);
  const [page, { refetch, mutate }] = createResource(
    () => toQuery(filters(), PAGE),
    api.recommendations,
  );
  const filtered = () => {
    const f = filters();
    return Boolean(
      f.algorithm ||
      f.minConfidencePercent !== undefined ||
      f.campaignId ||
      f.customer ||
      f.product ||
      f.kind ||
      f.tier,
    );
  };

  // Each channel's file starts with what reaches the customer by it, and leaves out whom the
  // channel cannot reach or may not be used for.
  const [channel, setChannel] = createSignal<MailingChannel>("email");
  const exportMailing = async () => {
    setMessage(null);
    try {
      const result = await api.exportMailing(channel(), locale());
      // An empty file helps nobody: say why there is nothing to send instead.
      if (result.exported > 0) {
        const link = document.createElement("a");
        link.href = URL.createObjectURL(result.blob);
        link.download = result.fileName;
        link.click();
        URL.revokeObjectURL(link.href);
      }
      const reasons = Object.entries(result.reasons)
        .map(
          ([reason, n]) =>
            `${t(`reco.excludedReasons.${reason as "no_consent"}`)} : ${formatNumber(n)}`,
        )
        .join(", ");
      const counts = {
        exported: formatNumber(result.exported),
        excluded: formatNumber(result.excluded),
      };
      setMessage(
        result.exported > 0
          ? t("reco.exported", counts) + (reasons ? ` (${reasons})` : "") + t("reco.exportedNote")
          : t("reco.nothingToExport", counts) + (reasons ? ` (${reasons})` : ""),
      );
      await refetch();
    } catch (error) {
      setMessage(error instanceof ApiError ? error.message : String(error));
    }
  };

  return (
    <>
      <form class="toolbar review-filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t("reco.status")}
          <select
            value={filters().status}
            onChange={(e) =>
              change({ status: e.currentTarget.value as RecommendationStatus | "all" })
            }
          >
            <option value="pending">{t("reco.statuses.pending")}</option>
            <option value="approved">{t("reco.statuses.approved")}</option>
            <option value="rejected">{t("reco.statuses.rejected")}</option>
            <option value="exported">{t("reco.statuses.exported")}</option>
            <option value="all">{t("reco.statuses.all")}</option>
          </select>
        </label>
        <label>
          {t("review.algorithm")}
          <select
            value={filters().algorithm ?? ""}
            onChange={(e) => change({ algorithm: e.currentTarget.value || undefined })}
          >
            <option value="">{t("review.allAlgorithms")}</option>
            <For each={facets()?.algorithms ?? []}>
              {(a) => <option value={a}>{algorithmName(a)}</option>}
            </For>
            <Show
              when={filters().algorithm && !facets()?.algorithms.includes(filters().algorithm!)}
            >
              <option value={filters().algorithm}>{algorithmName(filters().algorithm!)}</option>
            </Show>
          </select>
        </label>
        <label>
          {t("review.minConfidence")}
          <input
            type="number"
            min="0"
            max="100"
            step="5"
            inputMode="numeric"
            value={filters().minConfidencePercent ?? ""}
            onChange={(e) => {
              const value = e.currentTarget.value;
              change({ minConfidencePercent: value === "" ? undefined : Number(value) });
            }}
          />
        </label>
        <Show when={(facets()?.campaigns.length ?? 0) > 0}>
          <label>
            {t("review.campaign")}
            <select
              value={filters().campaignId ?? ""}
              onChange={(e) => change({ campaignId: e.currentTarget.value || undefined })}
            >
              <option value="">{t("review.allCampaigns")}</option>
              <For each={facets()?.campaigns ?? []}>
                {(c) => <option value={c.id}>{c.name}</option>}
              </For>
            </select>
          </label>
        </Show>
        <KindSelect
          label={t("review.customerKind")}
          value={filters().kind}
          onChange={(kind) => change({ kind })}
        />
        <TierSelect
          label={t("review.customerTier")}
          value={filters().tier}
          onChange={(tier) => change({ tier })}
        />
        <label>
          {t("review.customer")}
          <SearchInput
            maxLength={100}
            value={filters().customer}
            onSearch={(customer) => change({ customer }, true)}
          />
        </label>
        <label>
          {t("review.product")}
          <SearchInput
            maxLength={100}
            value={filters().product}
            onSearch={(product) => change({ product }, true)}
          />
        </label>
        <label>
          {t("review.sort")}
          <select
            value={filters().sort}
            onChange={(e) =>
              change({ sort: e.currentTarget.value as (typeof sortChoices)[number] })
            }
          >
            <For each={sortChoices}>
              {(s) => (
                <option value={s}>{t(`review.sorts.${s.replace(".", "_") as "date_asc"}`)}</option>
              )}
            </For>
          </select>
        </label>
        <Show when={filtered()}>
          <button
            type="button"
            class="link"
            onClick={() =>
              change({
                algorithm: undefined,
                minConfidencePercent: undefined,
                campaignId: undefined,
                customer: undefined,
                product: undefined,
                kind: undefined,
                tier: undefined,
              })
            }
          >
            {t("review.clear")}
          </button>
        </Show>
      </form>
      <div class="toolbar review-actions">
        <Show when={canEdit()}>
          <RegenerateButton onDone={() => void refetch()} />
          <label>
            {t("reco.exportChannel")}
            <select
              value={channel()}
              onChange={(e) => setChannel(e.currentTarget.value as MailingChannel)}
            >
              <For each={mailingChannels}>
                {(c) => <option value={c}>{t(`reco.exportChannels.${c}`)}</option>}
              </For>
            </select>
          </label>
          <button type="button" class="secondary" onClick={() => void exportMailing()}>
            {t("reco.export")}
          </button>
        </Show>
        <Show when={page()}>
          {(p) => (
            <span class="muted" data-testid="reco-total">
              {p().total === 1
                ? t("reco.oneTotal")
                : t("reco.total", { count: formatNumber(p().total) })}
            </span>
          )}
        </Show>
      </div>
      <Show when={message()}>
        <p role="status" class="notice">
          {message()}
        </p>
      </Show>
      <Show when={page.error}>
        <p role="alert" class="error">
          {t("reco.loadError")}
        </p>
      </Show>
      <Show when={page.loading && !page.latest}>
        <p class="muted">{t("review.detail.loading")}</p>
      </Show>
      <Show when={page.latest?.items.length === 0}>
        <p>{filtered() ? t("review.emptyFiltered") : t("reco.empty")}</p>
      </Show>
      <Show when={page.latest?.items.length}>
        <ReviewTable
          items={page.latest!.items}
          editable={canEdit()}
          onItems={(update) =>
            mutate((current) => current && withDecisions(current, update, filters().status))
          }
          onStale={() => void refetch()}
        />
        <Pager
          offset={(filters().page - 1) * PAGE}
          pageSize={PAGE}
          total={page.latest?.total ?? 0}
          onChange={(offset) => setParams({ page: offset === 0 ? undefined : offset / PAGE + 1 })}
        />
      </Show>
    </>
  );
}

/**
 * The page after decisions shown at once: the rows stay (so a decision can be seen and mended),
 * and the total counts the rows that still match the status filter, as the server's next answer
 * will ("12 recommandations" to review goes down as they are approved).
 */
function withDecisions(
  page: Page<Recommendation>,
  update: (items: Recommendation[]) => Recommendation[],
  status: ReviewFilters["status"],
): Page<Recommendation> {
  const items = update(page.items);
  const matching = (list: Recommendation[]) =>
    status === "all" ? list.length : list.filter((r) => r.status === status).length;
  return { ...page, items, total: page.total - (matching(page.items) - matching(items)) };
}
