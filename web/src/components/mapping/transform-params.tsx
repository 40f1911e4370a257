import { For, type JSX, Match, Switch } from "solid-js";
import type { Transformation } from "../../lib/api.ts";
import { t } from "../../lib/i18n.ts";
import type { Dictionary } from "../../lib/locales/fr.ts";

type ParamKey = keyof Dictionary["mapping"]["chain"]["params"];
const label = (key: ParamKey) => t(`mapping.chain.params.${key}`);
/** Options whose text is the translated name of their value. */
const named = (...values: ParamKey[]): Array<[string, string]> => values.map((v) => [v, label(v)]);

/** A lookup table as text, one "read = wanted" pair a line, and back. */
export const tableToText = (table: Record<string, string>) =>
  Object.entries(table)
    .map(([from, to]) => `${from} = ${to}`)
    .join("\n");
export const textToTable = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split("\n")
      .map((line) => line.split("="))
      .filter((parts) => parts.length >= 2 && parts[0]!.trim() !== "")
      .map(([from, ...to]) => [from!.trim(), to.join("=").trim()]),
  );

/** The inputs of one step's parameters (none for most kinds). */
export function TransformParams(props: {
  step: Transformation;
  columns: string[];
  readOnly: boolean;
  onChange: (step: Transformation) => void;
}) {
  const set = (key: string, value: unknown) => props.onChange({ ...props.step, [key]: value });
  const choice = (key: ParamKey, options: Array<[string, string]>, allowNone = false) => (
    <label>
      {label(key)}
      <select
        value={String(props.step[key] ?? "")}
        disabled={props.readOnly}
        onChange={(e) => set(key, e.currentTarget.value === "" ? undefined : e.currentTarget.value)}
      >
        {allowNone ? <option value="">{label("auto")}</option> : null}
        <For each={options}>{([value, text]) => <option value={value}>{text}</option>}</For>
      </select>
    </label>
  );
  const text = (key: ParamKey, extra: JSX.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <label>
      {label(key)}
      <input
        {...extra}
        value={String(props.step[key] ?? "")}
        readOnly={props.readOnly}
        onChange={(e) => set(key, e.currentTarget.value)}
      />
    </label>
  );
  return (
    <Switch>
      <Match when={props.step.kind === "case"}>
        {choice("to", named("upper", "lower", "title"))}
      </Match>
      <Match when={props.step.kind === "split_name"}>
        {choice("part", named("civility", "first_name", "last_name"))}
      </Match>
      <Match when={props.step.kind === "phone"}>
        {text("defaultCountry", { maxLength: 2, size: 3, pattern: "[A-Za-z]{2}" })}
      </Match>
      <Match when={props.step.kind === "number"}>
        {choice(
          "decimal",
          [
            [",", ","],
            [".", "."],
          ],
          true,
        )}
      </Match>
      <Match when={props.step.kind === "date"}>
        {choice("format", named("dmy", "mdy", "ymd", "excel"))}
      </Match>
      <Match when={props.step.kind === "lookup"}>
        <label>
          {label("table")}
          <textarea
            rows={3}
            value={tableToText((props.step.table as Record<string, string>) ?? {})}
            readOnly={props.readOnly}
            onChange={(e) => set("table", textToTable(e.currentTarget.value))}
          />
        </label>
        {choice("otherwise", named("keep", "empty", "issue"))}
      </Match>
      <Match when={props.step.kind === "constant"}>{text("value")}</Match>
      <Match when={props.step.kind === "concat"}>
        <label>
          {label("columns")}
          <select
            multiple
            size={Math.min(5, props.columns.length)}
            disabled={props.readOnly}
            onChange={(e) =>
              set(
                "columns",
                [...e.currentTarget.selectedOptions].map((o) => o.value),
              )
            }
          >
            <For each={props.columns}>
              {(column) => (
                <option
                  value={column}
                  selected={((props.step.columns as string[]) ?? []).includes(column)}
                >
                  {column}
                </option>
              )}
            </For>
          </select>
        </label>
        {text("separator", { size: 3 })}
      </Match>
      <Match when={props.step.kind === "vat"}>
        {choice("direction", named("exclude", "include"))}
        <label>
          {label("rate")}
          <input
            type="number"
            min="0"
            max="100"
            step="0.1"
            value={Math.round(Number(props.step.rate ?? 0.2) * 1000) / 10}
            readOnly={props.readOnly}
            onChange={(e) => set("rate", Number(e.currentTarget.value) / 100)}
          />
        </label>
      </Match>
    </Switch>
  );
}
