import { A } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { explainError } from "../components/customer/explain-error.ts";
import { MergePair } from "../components/customer/merge-pair.tsx";
import { Pager } from "../components/pager.tsx";
import { SignedIn } from "../components/signed-in.tsx";
import { api, ApiError, type MergeCandidate } from "../lib/api.ts";
import { formatNumber, t } from "../lib/i18n.ts";
import { canEdit } from "../lib/session.ts";
import "../components/customer/customer.css";

const PAGE = 20;

/** Pairs of records that may be one person: staff merge them or keep them apart. */
export default function CustomerMerges() {
  return (
    <div class="customer-file">
      <p>
        <A href="/customers">← {t("customerFile.back")}</A>
      </p>
      <h1>{t("customerFile.merge.title")}</h1>
      <p>{t("customerFile.merge.intro")}</p>
      <SignedIn>
        <MergeQueue />
      </SignedIn>
    </div>
  );
}

function MergeQueue() {
  const [offset, setOffset] = createSignal(0);
  const [message, setMessage] = createSignal<
    | { kind: "notice"; text: string; survivorId: string | null }
    | { kind: "error"; text: string }
    | null
  >(null);
  const [result, { mutate, refetch }] = createResource(
    () => ({ limit: PAGE, offset: offset() }),
    async (query) => {
      try {
        return { page: await api.mergeCandidates(query) };
      } catch (error) {
        return { error: explainError(error) };
      }
    },
  );
  const page = () => result()?.page;
  const decide = async (candidate: MergeCandidate, decision: "accept" | "reject") => {
    setMessage(null);
    // Optimistic: the pair leaves the list at once, and comes back if the server refuses.
    const before = result();
    mutate((r) =>
      r?.page
        ? {
            page: {
              ...r.page,
              items: r.page.items.filter((c) => c.id !== candidate.id),
              total: r.page.total - 1,
            },
          }
        : r,
    );
    try {
      const done = await api.decideMerge(candidate.id, decision);
      setMessage({
        kind: "notice",
        text: t(decision === "accept" ? "customerFile.merge.merged" : "customerFile.merge.kept"),
        survivorId: done.survivorId,
      });
    } catch (error) {
      mutate(before);
      setMessage({
        kind: "error",
        text: t("customerFile.merge.failed", { reason: explainError(error) }),
      });
      // Someone else decided it, or a record is gone: the list as the server now sees it.
      if (error instanceof ApiError && [404, 409].includes(error.status)) await refetch();
    }
  };
  return (
    <>
      <p class="muted" aria-live="polite">
        <Show when={page()} fallback={result.loading ? t("customerFile.loading") : ""}>
          {(p) => (
            <span data-testid="merges-total">
              {p().total === 1
                ? t("customerFile.merge.onePending")
                : t("customerFile.merge.total", { count: formatNumber(p().total) })}
            </span>
          )}
        </Show>
      </p>
      <Show when={message()}>
        {(m) => (
          <p role={m().kind === "error" ? "alert" : "status"} class={m().kind}>
            {m().text}
            <Show when={m().kind === "notice" && (m() as { survivorId: string | null }).survivorId}>
              {(id) => (
                <>
                  {" "}
                  <A href={`/customers/${id()}`}>{t("customerFile.merge.seeMerged")}</A>
                </>
              )}
            </Show>
          </p>
        )}
      </Show>
      <Show when={result()?.error}>
        {(text) => (
          <p role="alert" class="error">
            {t("customerFile.loadError", { reason: text() })}
          </p>
        )}
      </Show>
      <Show when={page()?.items.length === 0}>
        <p>{t("customerFile.merge.empty")}</p>
      </Show>
      <ol class="merge-list">
        <For each={page()?.items ?? []}>
          {(candidate, index) => (
            <li class="card wide" data-testid="merge-candidate">
              <MergePair candidate={candidate} index={offset() + index()} />
              <Show when={canEdit()}>
                <div class="dialog-actions">
                  <button type="button" onClick={() => void decide(candidate, "accept")}>
                    {t("customerFile.merge.merge")}
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => void decide(candidate, "reject")}
                  >
                    {t("customerFile.merge.distinct")}
                  </button>
                </div>
              </Show>
            </li>
          )}
        </For>
      </ol>
      <Show when={(page()?.total ?? 0) > PAGE}>
        <Pager offset={offset()} pageSize={PAGE} total={page()?.total ?? 0} onChange={setOffset} />
      </Show>
    </>
  );
}
