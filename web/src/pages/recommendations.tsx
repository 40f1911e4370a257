import { createResource, createSignal, For, Show } from "solid-js";
import { Pager } from "../components/pager.tsx";
import { SignedIn } from "../components/signed-in.tsx";
import { api, ApiError, type Recommendation, type RecommendationStatus } from "../lib/api.ts";
import { formatNumber, locale, t } from "../lib/i18n.ts";
import { canEdit } from "../lib/session.ts";

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
  const [status, setStatus] = createSignal<RecommendationStatus | "">("pending");
  const [offset, setOffset] = createSignal(0);
  const [selected, setSelected] = createSignal<Set<string>>(new Set());
  const [message, setMessage] = createSignal<string | null>(null);
  const [page, { refetch, mutate }] = createResource(
    () => ({ status: status() || undefined, limit: PAGE, offset: offset() }),
    api.recommendations,
  );
  const replace = (next: Recommendation) =>
    mutate(
      (current) =>
        current && { ...current, items: current.items.map((r) => (r.id === next.id ? next : r)) },
    );
  const act = async (run: () => Promise<void>) => {
    setMessage(null);
    try {
      await run();
    } catch (error) {
      setMessage(error instanceof ApiError ? error.message : String(error));
      await refetch();
    }
  };
  const toggle = (id: string) => {
    const next = new Set(selected());
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  return (
    <>
      <div class="toolbar">
        <label>
          {t("reco.status")}
          <select
            value={status()}
            onChange={(e) => {
              setStatus(e.currentTarget.value as RecommendationStatus | "");
              setOffset(0);
              setSelected(new Set<string>());
            }}
          >
            <option value="pending">{t("reco.statuses.pending")}</option>
            <option value="approved">{t("reco.statuses.approved")}</option>
            <option value="rejected">{t("reco.statuses.rejected")}</option>
            <option value="exported">{t("reco.statuses.exported")}</option>
            <option value="">{t("reco.statuses.all")}</option>
          </select>
        </label>
        <Show when={canEdit() && selected().size > 0}>
          <button
            type="button"
            onClick={() =>
              act(async () => {
                const { updated } = await api.approveMany([...selected()]);
                setSelected(new Set<string>());
                setMessage(t("reco.approvedMany", { count: formatNumber(updated) }));
                await refetch();
              })
            }
          >
            {t("reco.approveSelected", { count: formatNumber(selected().size) })}
          </button>
        </Show>
        <Show when={canEdit()}>
          <button
            type="button"
            class="secondary"
            onClick={() =>
              act(async () => {
                const result = await api.exportMailing();
                const link = document.createElement("a");
                link.href = URL.createObjectURL(result.blob);
                link.download = result.fileName;
                link.click();
                URL.revokeObjectURL(link.href);
                const reasons = Object.entries(result.reasons)
                  .map(
                    ([reason, n]) =>
                      `${t(`reco.excludedReasons.${reason as "no_consent"}`)} : ${formatNumber(n)}`,
                  )
                  .join(", ");
                setMessage(
                  t("reco.exported", {
                    exported: formatNumber(result.exported),
                    excluded: formatNumber(result.excluded),
                  }) + (reasons ? ` (${reasons})` : ""),
                );
                await refetch();
              })
            }
          >
            {t("reco.export")}
          </button>
        </Show>
        <Show when={page()}>
          {(p) => (
            <span class="muted" data-testid="reco-total">
              {t("reco.total", { count: formatNumber(p().total) })}
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
      <Show when={page()?.items.length === 0}>
        <p>{t("reco.empty")}</p>
      </Show>
      <Show when={page()?.items.length}>
        <table class="grid" aria-label={t("nav.recommendations")}>
          <thead>
            <tr>
              <Show when={canEdit()}>
                <th scope="col">
                  <span class="visually-hidden">{t("reco.select")}</span>
                </th>
              </Show>
              <th scope="col">{t("reco.customer")}</th>
              <th scope="col">{t("reco.wine")}</th>
              <th scope="col">{t("reco.confidence")}</th>
              <th scope="col">{t("reco.why")}</th>
              <th scope="col">{t("reco.status")}</th>
              <Show when={canEdit()}>
                <th scope="col">{t("reco.actions")}</th>
              </Show>
            </tr>
          </thead>
          <tbody>
            <For each={page()!.items}>
              {(r) => (
                <Row
                  recommendation={r}
                  selected={selected().has(r.id)}
                  onToggle={() => toggle(r.id)}
                  onApprove={() =>
                    act(async () => {
                      replace(await api.approve(r.id));
                    })
                  }
                  onReject={(reason, rating, comment) =>
                    act(async () => {
                      const rejected = await api.reject(r.id, reason);
                      if (rating) await api.rate(r.id, rating, comment || null);
                      replace(
                        rating
                          ? { ...rejected, feedback: { count: 1, meanRating: rating } }
                          : rejected,
                      );
                    })
                  }
                />
              )}
            </For>
          </tbody>
        </table>
        <Pager offset={offset()} pageSize={PAGE} total={page()?.total ?? 0} onChange={setOffset} />
      </Show>
    </>
  );
}

function Row(props: {
  recommendation: Recommendation;
  selected: boolean;
  onToggle: () => void;
  onApprove: () => void;
  onReject: (reason: string, rating: number | null, comment: string) => void;
}) {
  const [rejecting, setRejecting] = createSignal(false);
  const r = () => props.recommendation;
  return (
    <tr data-testid="reco-row" data-status={r().status}>
      <Show when={canEdit()}>
        <td>
          <input
            type="checkbox"
            checked={props.selected}
            disabled={r().status !== "pending"}
            aria-label={t("reco.selectOne", {
              customer: r().customer.name,
              wine: r().product.name,
            })}
            onChange={() => props.onToggle()}
          />
        </td>
      </Show>
      <td>
        {r().customer.name || "—"}
        <div class="muted">{r().customer.code}</div>
      </td>
      <td>{r().product.name}</td>
      <td>{`${formatNumber(Math.round(r().confidence * 1000) / 10)} %`}</td>
      <td>
        {locale() === "fr" ? r().explanation.fr : r().explanation.en}
        <Show when={r().explanation.fallback}>
          <span class="tag">{t("reco.fallback")}</span>
        </Show>
      </td>
      <td>
        <span class={`tag ${r().status}`}>{t(`reco.statuses.${r().status}`)}</span>
        <Show when={r().rejectReason}>
          <div class="muted">{r().rejectReason}</div>
        </Show>
      </td>
      <Show when={canEdit()}>
        <td class="actions">
          <Show when={r().status === "pending" && !rejecting()}>
            <button type="button" onClick={() => props.onApprove()}>
              {t("reco.approve")}
            </button>
            <button type="button" class="secondary" onClick={() => setRejecting(true)}>
              {t("reco.reject")}
            </button>
          </Show>
          <Show when={rejecting()}>
            <form
              class="reject-form"
              onSubmit={(e) => {
                e.preventDefault();
                const form = new FormData(e.currentTarget);
                const rating = Number(form.get("rating")) || null;
                props.onReject(
                  String(form.get("reason")),
                  rating,
                  String(form.get("comment") ?? ""),
                );
                setRejecting(false);
              }}
            >
              <label>
                {t("reco.reason")}
                <input name="reason" required maxLength={500} />
              </label>
              <label>
                {t("reco.rating")}
                <select name="rating">
                  <option value="">—</option>
                  <For each={[1, 2, 3, 4, 5]}>{(n) => <option value={n}>{n}</option>}</For>
                </select>
              </label>
              <label>
                {t("reco.comment")}
                <input name="comment" maxLength={2000} />
              </label>
              <button type="submit">{t("reco.confirmReject")}</button>
            </form>
          </Show>
        </td>
      </Show>
    </tr>
  );
}
