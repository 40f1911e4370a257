import { For, Show } from "solid-js";
import { LOW_CONFIDENCE } from "@crm-reco/core/mapping/uncertain-fields";
import type {
  CanonicalField,
  MappingSuggestion,
  Transformation,
  TransformationKind,
} from "../../lib/api.ts";
import { formatPercent, locale, t } from "../../lib/i18n.ts";
import type { Dictionary } from "../../lib/locales/fr.ts";
import type { FieldRefs } from "./mapping-state.ts";
import { TransformChain } from "./transform-chain.tsx";

type ColumnType = keyof Dictionary["mapping"]["editor"]["types"];
type Method = keyof Dictionary["mapping"]["editor"]["methods"];

/**
 * One column of the file: what it holds, what was suggested and how surely, the field it feeds
 * (only fields that can take its type are offered), and each fed field's transformation chain.
 */
export function ColumnRow(props: {
  column: string;
  /** As detected from the sample (`/suggest`'s columnTypes). */
  type: string;
  samples: string[];
  suggestion: MappingSuggestion["suggestions"][number] | undefined;
  fields: CanonicalField[];
  /** The fields this column feeds; the first is the dropdown's. */
  assigned: string[];
  refs: FieldRefs;
  /** Messages about a field, by field key. */
  errors: Record<string, string[]>;
  catalogue: TransformationKind[];
  columns: string[];
  readOnly: boolean;
  onAssign: (previous: string | null, next: string | null) => void;
  onSteps: (field: string, steps: Transformation[]) => void;
}) {
  const id = () => `column-${props.columns.indexOf(props.column)}`;
  const current = () => props.assigned[0] ?? null;
  const labelOf = (key: string) => props.fields.find((f) => f.key === key)?.label[locale()] ?? key;
  const offered = () =>
    props.fields.filter((f) => f.accepts.includes(props.type) || f.key === current());
  const low = () => props.suggestion !== undefined && props.suggestion.confidence < LOW_CONFIDENCE;
  const messages = () => props.assigned.flatMap((key) => props.errors[key] ?? []);
  const typeName = () =>
    props.type in { empty: 1, email: 1, phone: 1, date: 1, postal_code: 1, number: 1, text: 1 }
      ? t(`mapping.editor.types.${props.type as ColumnType}`)
      : props.type;
  return (
    <li class="column-row" classList={{ "low-confidence": low() }} data-testid="column-row">
      <div class="column-head">
        <h3 id={`${id()}-name`}>{props.column}</h3>
        <p class="muted">
          {t("mapping.editor.detected", { type: typeName() })}
          {" · "}
          {props.samples.length > 0
            ? t("mapping.editor.samples", { values: props.samples.join(" | ") })
            : t("mapping.editor.noSamples")}
        </p>
        <Show
          when={props.suggestion}
          fallback={<p class="muted">{t("mapping.editor.noSuggestion")}</p>}
        >
          {(s) => (
            <p class="suggestion" data-testid="confidence">
              <span class="confidence" classList={{ low: low() }}>
                {t("mapping.editor.suggested", {
                  field: labelOf(s().field),
                  percent: formatPercent(s().confidence),
                  method: t(`mapping.editor.methods.${s().method as Method}`) ?? s().method,
                })}
              </span>
              <Show when={low()}>
                <strong class="warn"> {t("mapping.editor.lowConfidence")}</strong>
              </Show>
            </p>
          )}
        </Show>
      </div>
      <div class="column-target">
        <label>
          {t("mapping.editor.fieldFor", { column: props.column })}
          <select
            value={current() ?? ""}
            disabled={props.readOnly}
            aria-invalid={messages().length > 0}
            aria-describedby={messages().length > 0 ? `${id()}-errors` : undefined}
            onChange={(e) => props.onAssign(current(), e.currentTarget.value || null)}
          >
            <option value="" selected={current() === null}>
              {t("mapping.editor.ignore")}
            </option>
            <For each={offered()}>
              {(f) => (
                <option value={f.key} selected={f.key === current()}>
                  {f.label[locale()]}
                  {f.required ? t("mapping.editor.required") : ""}
                  {f.accepts.includes(props.type) ? "" : t("mapping.editor.incompatible")}
                </option>
              )}
            </For>
          </select>
        </label>
        <Show when={messages().length > 0}>
          <ul class="field-errors error" id={`${id()}-errors`} role="alert">
            <For each={messages()}>{(m) => <li>{m}</li>}</For>
          </ul>
        </Show>
        <For each={props.assigned}>
          {(key, index) => (
            <div class="fed-field">
              <Show when={index() > 0}>
                <p class="also">
                  {t("mapping.editor.alsoFeeds", { field: labelOf(key) })}
                  <Show when={!props.readOnly}>
                    {" "}
                    <button type="button" class="link" onClick={() => props.onAssign(key, null)}>
                      {t("mapping.editor.removeExtra", { field: labelOf(key) })}
                    </button>
                  </Show>
                </p>
              </Show>
              <TransformChain
                field={labelOf(key)}
                column={props.column}
                steps={props.refs[key]?.transforms ?? []}
                catalogue={props.catalogue}
                columns={props.columns}
                readOnly={props.readOnly}
                onChange={(steps) => props.onSteps(key, steps)}
              />
            </div>
          )}
        </For>
      </div>
    </li>
  );
}
