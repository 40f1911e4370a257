import { For, type JSX, Show } from "solid-js";
import { TableScroll } from "../../ui/table-scroll.tsx";

/**
 * A settings list as a table: one row per item under the given column headers, in a scrolling
 * region named `label`; `empty` when there are no items.
 */
export function ListTable<T>(props: {
  label: string;
  headers: string[];
  items: T[];
  empty: string;
  children: (item: T) => JSX.Element;
}) {
  return (
    <Show when={props.items.length > 0} fallback={<p>{props.empty}</p>}>
      <TableScroll label={props.label}>
        <table class="grid">
          <thead>
            <tr>
              <For each={props.headers}>{(header) => <th scope="col">{header}</th>}</For>
            </tr>
          </thead>
          <tbody>
            <For each={props.items}>{props.children}</For>
          </tbody>
        </table>
      </TableScroll>
    </Show>
  );
}
