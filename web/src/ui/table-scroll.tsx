import type { ParentProps } from "solid-js";

/**
 * A table too wide for a tablet scrolls sideways inside this box, not the whole page. Named and
 * focusable, so a keyboard can scroll it too (WCAG 2.1.1: a scrolling region must be reachable).
 */
export function TableScroll(props: ParentProps<{ label: string; class?: string }>) {
  return (
    <div
      class={props.class ? `table-scroll ${props.class}` : "table-scroll"}
      role="region"
      aria-label={props.label}
      tabindex="0"
    >
      {props.children}
    </div>
  );
}
