import { describe, expect, it } from "vitest";
import {
  coverage,
  emptySelection,
  extendTo,
  keepOnly,
  moveFocus,
  nextPending,
  reviewShortcut,
  type Selection,
  toggle,
  toggleAll,
} from "./selection.ts";

const order = ["a", "b", "c", "d", "e"];
const ids = (s: Selection) => [...s.ids].sort();
const pick = (...rows: string[]) => rows.reduce(toggle, emptySelection);

describe("selection", () => {
  it("toggles one row and remembers it as the anchor", () => {
    const one = toggle(emptySelection, "b");
    expect(ids(one)).toEqual(["b"]);
    expect(one.anchor).toBe("b");
    const none = toggle(one, "b");
    expect(ids(none)).toEqual([]);
    expect(none.anchor).toBe("b");
    expect(ids(emptySelection)).toEqual([]); // never mutated
  });

  it.each([
    ["downwards", ["b"], "d", ["b", "c", "d"]],
    ["upwards", ["d"], "a", ["a", "b", "c", "d"]],
    ["over rows already selected", ["e", "b"], "d", ["b", "c", "d", "e"]],
  ])("extends a range %s with shift", (_, before, clicked, after) => {
    const range = extendTo(pick(...before), order, clicked);
    expect(ids(range)).toEqual(after);
    expect(range.anchor).toBe(clicked);
  });

  it("unselects a range when the shift-clicked row was selected", () => {
    const all = toggleAll(emptySelection, order);
    const anchored = toggle(toggle(all, "b"), "b"); // b selected again, and the anchor
    expect(ids(extendTo(anchored, order, "d"))).toEqual(["a", "e"]);
  });

  it("toggles a single row when there is no anchor on this page", () => {
    expect(ids(extendTo(emptySelection, order, "c"))).toEqual(["c"]);
    expect(ids(extendTo(pick("z"), order, "c"))).toEqual(["c", "z"]);
  });

  it("selects all on the page, then none, keeping rows of other pages", () => {
    const some = pick("b", "z");
    expect(coverage(some, order)).toBe("some");
    const all = toggleAll(some, order);
    expect(ids(all)).toEqual(["a", "b", "c", "d", "e", "z"]);
    expect(coverage(all, order)).toBe("all");
    const none = toggleAll(all, order);
    expect(ids(none)).toEqual(["z"]);
    expect(coverage(none, order)).toBe("none");
    expect(coverage(emptySelection, [])).toBe("none");
  });

  it("drops rows no longer selectable, and the anchor with them", () => {
    const s = pick("a", "c");
    expect(keepOnly(s, order)).toBe(s);
    const kept = keepOnly(s, ["a", "b"]);
    expect(ids(kept)).toEqual(["a"]);
    expect(kept.anchor).toBeNull();
  });

  it.each([
    [{ key: "j" }, "next"],
    [{ key: "ArrowDown" }, "next"],
    [{ key: "k" }, "previous"],
    [{ key: "ArrowUp" }, "previous"],
    [{ key: "x" }, "toggle"],
    [{ key: "a" }, "approve"],
    [{ key: "r" }, "reject"],
    [{ key: "r", ctrlKey: true }, null],
    [{ key: "a", metaKey: true }, null],
    [{ key: "Enter" }, null],
  ])("reads %j as %s", (event, shortcut) => {
    expect(reviewShortcut(event)).toBe(shortcut);
  });

  it.each([
    [0, 1, 5, 1],
    [4, 1, 5, 4],
    [0, -1, 5, 0],
    [3, -1, 5, 2],
    [0, 1, 0, 0],
  ])("moves focus from %i by %i in %i rows to %i", (index, step, length, expected) => {
    expect(moveFocus(index, step, length)).toBe(expected);
  });

  // "p" pending, "-" decided.
  it.each([
    ["p-pp", 1, 2],
    ["pp-p", 1, 1],
    ["p---", 2, 0],
    ["-pp-", 3, 2],
    ["----", 2, 2],
    ["", 0, 0],
  ])("carries on after a decision in %s from row %i at row %i", (rows, from, expected) => {
    expect(
      nextPending(
        [...rows].map((r) => r === "p"),
        from,
      ),
    ).toBe(expected);
  });
});
