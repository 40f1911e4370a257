import { createEffect, createSignal, Index, on, Show } from "solid-js";
import { api, type Recommendation } from "../lib/api.ts";
import { formatNumber, t } from "../lib/i18n.ts";
import {
  coverage,
  emptySelection,
  extendTo,
  keepOnly,
  moveFocus,
  nextPending,
  reviewShortcut,
  toggle,
  toggleAll,
} from "../lib/selection.ts";
import { whyItFailed } from "../lib/why-it-failed.ts";
import { TableScroll } from "../ui/table-scroll.tsx";
import { ReviewRow } from "./review-row.tsx";
import "./review.css";

type Action = "approve" | "reject";

/**
 * The review list's table: rows selected by checkbox, shift-click range, "select all on this
 * page" or the keyboard, decided one by one or in bulk. Every decision shows at once and is
 * undone, with a plain-language reason, if the server refuses it.
 */
export function ReviewTable(props: {
  items: Recommendation[];
  editable: boolean;
  /** Changes the rows shown: the optimistic decision, then its rollback on failure. */
  onItems: (update: (items: Recommendation[]) => Recommendation[]) => void;
  /** The server changed fewer rows than asked (another person decided too): reload the page. */
  onStale: () => void;
}) {
  const [selection, setSelection] = createSignal(emptySelection);
  const [focus, setFocus] = createSignal(0);
  const [rejecting, setRejecting] = createSignal<string | null>(null);
  const [bulkRejecting, setBulkRejecting] = createSignal(false);
  const [notice, setNotice] = createSignal<{ text: string; failed: boolean } | null>(null);
  // Index, not For: a decision replaces the row's object, and the row (with its focus) must stay.
  const rows: HTMLTableRowElement[] = [];
  const selectable = () => props.items.filter((r) => r.status === "pending").map((r) => r.id);
  const selected = () => selectable().filter((id) => selection().ids.has(id));

  createEffect(
    on(selectable, (ids) => {
      setSelection((s) => keepOnly(s, ids));
      if (selection().ids.size === 0) setBulkRejecting(false);
      setFocus((i) => moveFocus(i, 0, props.items.length));
    }),
  );

  const focusRow = (index: number) => {
    setFocus(index);
    rows[index]?.focus();
  };

  /** Shows the decision at once, sends it, and puts the rows back as they were if it fails. */
  const decide = async (
    ids: string[],
    action: Action,
    options: { reason?: string; rating?: number | null; comment?: string; bulk: boolean },
  ) => {
    const before = new Map(props.items.filter((r) => ids.includes(r.id)).map((r) => [r.id, r]));
    const selectionBefore = selection();
    const status = action === "approve" ? "approved" : "rejected";
    const decidedAt = options.bulk ? focus() : props.items.findIndex((r) => r.id === ids[0]);
    setNotice(null);
    setRejecting(null);
    setBulkRejecting(false);
    props.onItems((items) =>
      items.map((r) =>
        before.has(r.id) ? { ...r, status, rejectReason: options.reason ?? null } : r,
      ),
    );
    // The form or button that had focus is gone or disabled, so focus would fall to the page and
    // the next shortcut to nowhere: the keyboard carries on from the next row still to review.
    const pending = props.items.map((r) => r.status === "pending");
    focusRow(nextPending(pending, decidedAt));
    try {
      if (options.bulk) {
        const { updated } = await api.reviewMany(action, ids, options.reason);
        setNotice({
          text: t(action === "approve" ? "review.approvedCount" : "review.rejectedCount", {
            count: formatNumber(updated),
          }),
          failed: false,
        });
        if (updated !== ids.length) props.onStale();
        return;
      }
      const id = ids[0]!;
      const saved =
        action === "approve" ? await api.approve(id) : await api.reject(id, options.reason!);
      props.onItems((items) => items.map((r) => (r.id === id ? saved : r)));
      if (options.rating) {
        try {
          await api.rate(id, options.rating, options.comment || null);
          props.onItems((items) =>
            items.map((r) =>
              r.id === id ? { ...r, feedback: { count: 1, meanRating: options.rating! } } : r,
            ),
          );
        } catch (error) {
          setNotice({
            text: t("review.detail.saveFailed", { why: whyItFailed(error) }),
            failed: true,
          });
        }
      }
    } catch (error) {
      props.onItems((items) => items.map((r) => before.get(r.id) ?? r));
      if (options.bulk) setSelection(selectionBefore);
      setNotice({ text: t(`review.failed.${action}`, { why: whyItFailed(error) }), failed: true });
    }
  };

  const approveSelectionOr = (id: string | undefined) => {
    if (selected().length > 0) return decide(selected(), "approve", { bulk: true });
    if (id && selectable().includes(id)) return decide([id], "approve", { bulk: false });
  };
  const rejectSelectionOr = (id: string | undefined) => {
    if (selected().length > 0) setBulkRejecting(true);
    else if (id && selectable().includes(id)) setRejecting(id);
  };

  const cancelBulkReject = () => {
    setBulkRejecting(false);
    focusRow(focus());
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement;
    const typing =
      target.closest("form") !== null ||
      target.tagName === "SELECT" ||
      target.tagName === "TEXTAREA" ||
      (target.tagName === "INPUT" && (target as HTMLInputElement).type !== "checkbox") ||
      target.tagName === "A";
    const shortcut = typing ? null : reviewShortcut(event);
    if (!shortcut || props.items.length === 0) return;
    event.preventDefault();
    const row = props.items[focus()];
    if (shortcut === "next" || shortcut === "previous")
      return focusRow(moveFocus(focus(), shortcut === "next" ? 1 : -1, props.items.length));
    if (!props.editable) return;
    if (shortcut === "toggle" && row && selectable().includes(row.id))
      setSelection((s) => toggle(s, row.id));
    if (shortcut === "approve") void approveSelectionOr(row?.id);
    if (shortcut === "reject") rejectSelectionOr(row?.id);
  };

  return (
    <div class="review-table">
      <Show when={props.editable}>
        <p class="review-help muted">
          <strong>{t("review.shortcuts")} :</strong> <kbd>↓</kbd>/<kbd>j</kbd> <kbd>↑</kbd>/
          <kbd>k</kbd> {t("review.keyMove")} · <kbd>x</kbd> {t("review.keyToggle")} · <kbd>a</kbd>{" "}
          {t("review.keyApprove")} · <kbd>r</kbd> {t("review.keyReject")} · {t("review.keyRange")}
        </p>
        <div class="bulk-bar" data-testid="bulk-bar">
          <span class="muted" data-testid="selected-count">
            {t("review.selectedCount", { count: formatNumber(selected().length) })}
          </span>
          <Show
            when={bulkRejecting()}
            fallback={
              <>
                <button
                  type="button"
                  disabled={selected().length === 0}
                  onClick={() => void decide(selected(), "approve", { bulk: true })}
                >
                  {t("review.approveSelection", { count: formatNumber(selected().length) })}
                </button>
                <button
                  type="button"
                  class="secondary"
                  disabled={selected().length === 0}
                  onClick={() => setBulkRejecting(true)}
                >
                  {t("review.rejectSelection", { count: formatNumber(selected().length) })}
                </button>
              </>
            }
          >
            <form
              class="bulk-reject"
              onSubmit={(e) => {
                e.preventDefault();
                const reason = String(new FormData(e.currentTarget).get("reason")).trim();
                if (reason) void decide(selected(), "reject", { reason, bulk: true });
              }}
              onKeyDown={(e) => e.key === "Escape" && cancelBulkReject()}
            >
              <label>
                {t("review.selectionReason")}
                <input
                  name="reason"
                  required
                  maxLength={500}
                  ref={(input) => queueMicrotask(() => input.focus())}
                />
              </label>
              <button type="submit">
                {t("review.confirmRejectSelection", { count: formatNumber(selected().length) })}
              </button>
              <button type="button" class="secondary" onClick={() => cancelBulkReject()}>
                {t("review.cancel")}
              </button>
            </form>
          </Show>
        </div>
      </Show>
      <Show when={notice()}>
        {(n) => (
          <p role={n().failed ? "alert" : "status"} class={n().failed ? "error" : "notice"}>
            {n().text}
          </p>
        )}
      </Show>
      {/* On a phone the status and decision columns scroll into view inside this box. */}
      <TableScroll label={t("nav.recommendations")}>
        <table class="grid" aria-label={t("nav.recommendations")}>
          <thead>
            <tr>
              <Show when={props.editable}>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label={t("review.selectAll")}
                    checked={
                      coverage(selection(), selectable()) === "all" && selectable().length > 0
                    }
                    // "Some on this page": a mixed state has no attribute, only a DOM property.
                    ref={(box) =>
                      createEffect(() => {
                        box.indeterminate = coverage(selection(), selectable()) === "some";
                      })
                    }
                    disabled={selectable().length === 0}
                    onClick={(e) => {
                      const next = toggleAll(selection(), selectable());
                      setSelection(next);
                      e.currentTarget.checked = coverage(next, selectable()) === "all";
                    }}
                  />
                </th>
              </Show>
              <th scope="col">{t("reco.customer")}</th>
              <th scope="col">{t("reco.wine")}</th>
              <th scope="col">{t("reco.confidence")}</th>
              <th scope="col">{t("reco.why")}</th>
              <th scope="col">{t("reco.status")}</th>
              <Show when={props.editable}>
                <th scope="col">{t("reco.actions")}</th>
              </Show>
            </tr>
          </thead>
          <tbody onKeyDown={onKeyDown}>
            <Index each={props.items}>
              {(r, index) => (
                <ReviewRow
                  recommendation={r()}
                  editable={props.editable}
                  selected={selection().ids.has(r().id)}
                  focused={focus() === index}
                  rejecting={rejecting() === r().id}
                  ref={(row) => (rows[index] = row)}
                  onFocus={() => setFocus(index)}
                  onSelect={(e) => {
                    const next = e.shiftKey
                      ? extendTo(selection(), selectable(), r().id)
                      : toggle(selection(), r().id);
                    setSelection(next);
                    e.currentTarget.checked = next.ids.has(r().id);
                  }}
                  onApprove={() => void decide([r().id], "approve", { bulk: false })}
                  onOpenReject={() => setRejecting(r().id)}
                  onCancelReject={() => {
                    setRejecting(null);
                    focusRow(index);
                  }}
                  onReject={(reason, rating, comment) =>
                    void decide([r().id], "reject", { reason, rating, comment, bulk: false })
                  }
                />
              )}
            </Index>
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}
