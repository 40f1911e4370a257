import { createEffect, onCleanup } from "solid-js";

/**
 * A search box that searches as one types: once typing pauses (250 ms), or at once on Enter.
 * It says only what changes the search (the trimmed text, undefined when empty), and a new value
 * from outside (a cleared filter, a link) replaces the text unless it is what the box already
 * says: the space just typed before the next word is not taken away.
 */
export function SearchInput(props: {
  value: string | undefined;
  onSearch: (text: string | undefined) => void;
  placeholder?: string;
  maxLength?: number;
}) {
  let input: HTMLInputElement | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let said = props.value;
  const say = () => {
    clearTimeout(timer);
    const text = input?.value.trim() || undefined;
    if (text === said) return;
    said = text;
    props.onSearch(text);
  };
  createEffect(() => {
    const value = props.value;
    said = value;
    if (input && (input.value.trim() || undefined) !== value) input.value = value ?? "";
  });
  onCleanup(() => clearTimeout(timer));
  return (
    <input
      ref={(el) => (input = el)}
      type="search"
      placeholder={props.placeholder}
      maxLength={props.maxLength}
      onInput={() => {
        clearTimeout(timer);
        timer = setTimeout(say, 250);
      }}
      onChange={say}
    />
  );
}
