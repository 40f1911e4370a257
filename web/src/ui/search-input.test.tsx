import { cleanup, fireEvent, render, screen } from "@solidjs/testing-library";
import { createSignal } from "solid-js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SearchInput } from "./search-input.tsx";

/** A search box whose searches are recorded and fed back as its value, as a page's URL does. */
function searchBox(initial?: string) {
  const searches: Array<string | undefined> = [];
  const [value, setValue] = createSignal(initial);
  render(() => (
    <SearchInput
      value={value()}
      onSearch={(text) => {
        searches.push(text);
        setValue(text);
      }}
    />
  ));
  return { input: screen.getByRole("searchbox") as HTMLInputElement, searches, setValue };
}

describe("SearchInput", () => {
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it("searches once typing pauses, with the trimmed text", () => {
    vi.useFakeTimers();
    const { input, searches } = searchBox();
    fireEvent.input(input, { target: { value: "Mar" } });
    vi.advanceTimersByTime(100);
    fireEvent.input(input, { target: { value: "Martin " } });
    vi.advanceTimersByTime(249);
    expect(searches).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(searches).toEqual(["Martin"]);
    // The space typed before the next word stays in the box.
    expect(input.value).toBe("Martin ");
  });

  it("searches at once on Enter (a change), and not again when the pause comes", () => {
    vi.useFakeTimers();
    const { input, searches } = searchBox();
    fireEvent.input(input, { target: { value: "Cave" } });
    fireEvent.change(input, { target: { value: "Cave" } });
    expect(searches).toEqual(["Cave"]);
    vi.advanceTimersByTime(1000);
    expect(searches).toEqual(["Cave"]);
  });

  it("says nothing when only spaces changed, and undefined when emptied", () => {
    const { input, searches } = searchBox("Cave");
    expect(input.value).toBe("Cave");
    fireEvent.change(input, { target: { value: " Cave  " } });
    expect(searches).toEqual([]);
    fireEvent.change(input, { target: { value: "" } });
    expect(searches).toEqual([undefined]);
  });

  it("shows a value set from outside, as when the filters are cleared", () => {
    const { input, setValue } = searchBox("Martin");
    setValue(undefined);
    expect(input.value).toBe("");
    setValue("Riesling");
    expect(input.value).toBe("Riesling");
  });
});
