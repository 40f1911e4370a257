/**
 * Which rows of a list are selected, and the row a shift-click extends from. Pure: each function
 * returns a new selection, so a component keeps it in one signal and a test checks it directly.
 */
export interface Selection {
  readonly ids: ReadonlySet<string>;
  /** The row last clicked or toggled: where a shift-click range starts. */
  readonly anchor: string | null;
}

export const emptySelection: Selection = { ids: new Set(), anchor: null };

const withIds = (selection: Selection, ids: Set<string>, anchor = selection.anchor) => ({
  ids: ids as ReadonlySet<string>,
  anchor,
});

/** Selects or unselects one row, which becomes the anchor. */
export function toggle(selection: Selection, id: string): Selection {
  const ids = new Set(selection.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return withIds(selection, ids, id);
}

/**
 * A shift-click: every selectable row from the anchor to the clicked one (in `order`, the rows as
 * shown) takes the clicked row's new state, as in a mail client. Without an anchor on the page,
 * it is a plain toggle. The clicked row becomes the anchor.
 */
export function extendTo(selection: Selection, order: readonly string[], id: string): Selection {
  const to = order.indexOf(id);
  const from = selection.anchor === null ? -1 : order.indexOf(selection.anchor);
  if (to < 0 || from < 0) return toggle(selection, id);
  const select = !selection.ids.has(id);
  const ids = new Set(selection.ids);
  for (const rowId of order.slice(Math.min(from, to), Math.max(from, to) + 1))
    if (select) ids.add(rowId);
    else ids.delete(rowId);
  return withIds(selection, ids, id);
}

/** "Select all on this page": all of `order` when not all of it was selected, none otherwise. */
export function toggleAll(selection: Selection, order: readonly string[]): Selection {
  const ids = new Set(selection.ids);
  const selectAll = coverage(selection, order) !== "all";
  for (const id of order)
    if (selectAll) ids.add(id);
    else ids.delete(id);
  return withIds(selection, ids);
}

/** How much of `order` is selected: what the "select all" box shows (checked, mixed, empty). */
export function coverage(selection: Selection, order: readonly string[]): "none" | "some" | "all" {
  const n = order.filter((id) => selection.ids.has(id)).length;
  return n === 0 ? "none" : n === order.length ? "all" : "some";
}

/** Only the rows still selectable (e.g. after a page change or a decision): the rest is dropped. */
export function keepOnly(selection: Selection, order: readonly string[]): Selection {
  const ids = new Set([...selection.ids].filter((id) => order.includes(id)));
  const anchor =
    selection.anchor !== null && order.includes(selection.anchor) ? selection.anchor : null;
  return ids.size === selection.ids.size && anchor === selection.anchor
    ? selection
    : withIds(selection, ids, anchor);
}

export type ReviewShortcut = "next" | "previous" | "toggle" | "approve" | "reject";

/** The review list's keyboard shortcuts; null for any other key or a key with a modifier. */
export function reviewShortcut(event: {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}): ReviewShortcut | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const keys: Record<string, ReviewShortcut> = {
    ArrowDown: "next",
    j: "next",
    ArrowUp: "previous",
    k: "previous",
    x: "toggle",
    a: "approve",
    r: "reject",
  };
  return keys[event.key] ?? null;
}

/** The next focused row, `step` away, staying within the list (no wrap-around). */
export const moveFocus = (index: number, step: number, length: number) =>
  length === 0 ? 0 : Math.min(length - 1, Math.max(0, index + step));

/**
 * Where the keyboard carries on after a decision: the first row still pending from `from` on,
 * else the closest pending one before it, else `from` (nothing left to review on this page).
 */
export function nextPending(pending: readonly boolean[], from: number): number {
  const after = pending.findIndex((p, i) => p && i >= from);
  if (after >= 0) return after;
  const before = pending.findLastIndex((p, i) => p && i < from);
  return before >= 0 ? before : from;
}
