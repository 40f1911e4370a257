import { createEffect, createMemo, createSignal, For, on, onCleanup, Show } from "solid-js";
import {
  api,
  ApiError,
  type CanonicalField,
  type FileSample,
  type MappingFields,
  type MappingPreview as Preview,
  type MappingSuggestion,
  type MappingValidation,
  type MappingVersion,
  type TransformationKind,
} from "../../lib/api.ts";
import { locale, t } from "../../lib/i18n.ts";
import type { Dictionary } from "../../lib/locales/fr.ts";
import { ColumnRow } from "./column-row.tsx";
import { MappingPreview } from "./mapping-preview.tsx";
import { fieldsOfColumn, reassign, toFields, toRefs, type FieldRefs } from "./mapping-state.ts";
import { AnomalySummary, QualityBreakdown } from "./quality-breakdown.tsx";
import "./mapping.css";

type ErrorKey = keyof Dictionary["mapping"]["editor"]["errors"];
const SAMPLES_SHOWN = 3;

const reasonOf = (error: unknown) =>
  error instanceof ApiError ? error.message : t("mapping.editor.errors.other", { reason: "" });

/**
 * The mapping of one file's columns to an entity's fields, edited live: every change is checked
 * and previewed on the sample (debounced; an answer to an older state is dropped), and an editor
 * saves it as the source's next version.
 */
export function MappingEditor(props: {
  sourceId: string;
  sample: FileSample;
  suggestion: MappingSuggestion;
  initial: MappingFields;
  fields: CanonicalField[];
  catalogue: TransformationKind[];
  readOnly: boolean;
  /** Wait after the last change before asking for a preview. */
  debounceMs?: number;
  onSaved: (version: MappingVersion) => void;
}) {
  const [refs, setRefs] = createSignal<FieldRefs>(toRefs(props.initial));
  const [preview, setPreview] = createSignal<Preview>();
  const [validation, setValidation] = createSignal<MappingValidation>();
  const [problem, setProblem] = createSignal<string | null>(null);
  const [pending, setPending] = createSignal(false);
  const [saving, setSaving] = createSignal(false);
  const [saveState, setSaveState] = createSignal<{ ok: boolean; text: string } | null>(null);

  const order = createMemo(() => props.fields.map((f) => f.key));
  const labelOf = (key: string) => props.fields.find((f) => f.key === key)?.label[locale()] ?? key;
  const mappedKeys = () => order().filter((key) => key in refs());

  // Each state gets a number; only the answer for the newest one is shown.
  let latest = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = async (current: FieldRefs, mine: number) => {
    const fields = toFields(current);
    const body = { entity: props.sample.entity, columns: props.sample.columns, fields };
    const [checked, previewed] = await Promise.allSettled([
      api.validateMapping(body),
      api.previewMapping({ ...props.sample, fields }),
    ]);
    if (mine !== latest) return;
    setPending(false);
    setValidation(checked.status === "fulfilled" ? checked.value : undefined);
    if (previewed.status === "fulfilled") {
      setPreview(previewed.value);
      setProblem(null);
    } else if (checked.status === "fulfilled" && !checked.value.valid) {
      setProblem(t("mapping.preview.blocked"));
    } else {
      setProblem(t("mapping.preview.failed", { reason: reasonOf(previewed.reason) }));
    }
  };
  createEffect(
    on(refs, (current) => {
      clearTimeout(timer);
      const mine = ++latest;
      setPending(true);
      timer = setTimeout(() => void refresh(current, mine), props.debounceMs ?? 300);
    }),
  );
  onCleanup(() => clearTimeout(timer));

  /** Validation messages in words, by field (and those no column can show). */
  const errors = createMemo(() => {
    const byField: Record<string, string[]> = {};
    const general: string[] = [];
    for (const error of validation()?.errors ?? []) {
      const key = error.code.replace(/^mapping\./, "");
      const known = ["missing_required", "unknown_column", "unknown_field"].includes(key);
      if (!known || error.fields.length === 0) {
        general.push(t("mapping.editor.errors.other", { reason: error.message }));
        continue;
      }
      for (const field of error.fields) {
        const text = t(`mapping.editor.errors.${key as ErrorKey}`, { field: labelOf(field) });
        const column = refs()[field]?.column;
        if (column && props.sample.columns.includes(column)) (byField[field] ??= []).push(text);
        else general.push(text);
      }
    }
    return { byField, general };
  });

  const save = async () => {
    setSaving(true);
    setSaveState(null);
    try {
      const saved = await api.saveMapping({
        sourceId: props.sourceId,
        entity: props.sample.entity,
        columns: props.sample.columns,
        fields: toFields(refs()),
      });
      setSaveState({ ok: true, text: t("mapping.editor.saved", { version: saved.version }) });
      props.onSaved(saved);
    } catch (error) {
      setSaveState({
        ok: false,
        text: t("mapping.editor.saveFailed", { reason: reasonOf(error) }),
      });
    } finally {
      setSaving(false);
    }
  };

  const samplesOf = (index: number) =>
    [
      ...new Set(props.sample.rows.map((r) => (r[index] ?? "").trim()).filter((v) => v !== "")),
    ].slice(0, SAMPLES_SHOWN);

  return (
    <div class="mapping-editor">
      <Show when={props.readOnly}>
        <p class="notice-readonly" role="note">
          {t("mapping.editor.readOnly")}
        </p>
      </Show>
      <div class="mapping-layout">
        <section class="mapping-columns">
          <h2>{t("mapping.editor.columns")}</h2>
          <Show when={errors().general.length > 0}>
            <ul class="error general-errors" role="alert">
              <For each={errors().general}>{(text) => <li>{text}</li>}</For>
            </ul>
          </Show>
          <ol class="column-list">
            <For each={props.sample.columns}>
              {(column, index) => (
                <ColumnRow
                  column={column}
                  type={props.suggestion.columnTypes[column] ?? "text"}
                  samples={samplesOf(index())}
                  suggestion={props.suggestion.suggestions.find((s) => s.column === column)}
                  fields={props.fields}
                  assigned={fieldsOfColumn(refs(), column, order())}
                  refs={refs()}
                  errors={errors().byField}
                  catalogue={props.catalogue}
                  columns={props.sample.columns}
                  readOnly={props.readOnly}
                  onAssign={(previous, next) =>
                    setRefs((current) => reassign(current, column, previous, next))
                  }
                  onSteps={(field, steps) =>
                    setRefs((current) => ({
                      ...current,
                      [field]: { ...current[field]!, transforms: steps },
                    }))
                  }
                />
              )}
            </For>
          </ol>
        </section>
        <aside class="mapping-side">
          <QualityBreakdown quality={problem() ? undefined : preview()?.quality} />
          <AnomalySummary preview={problem() ? undefined : preview()} />
          <Show when={!props.readOnly}>
            <div class="card save-box">
              <button
                type="button"
                class="primary"
                disabled={saving() || pending() || validation()?.valid !== true}
                onClick={() => void save()}
              >
                {saving() ? t("mapping.editor.saving") : t("mapping.editor.save")}
              </button>
              <Show when={validation()?.valid === false}>
                <p class="muted">{t("mapping.editor.fixFirst")}</p>
              </Show>
              <Show when={saveState()}>
                {(s) => (
                  <p role={s().ok ? "status" : "alert"} class={s().ok ? "notice" : "error"}>
                    {s().text}
                  </p>
                )}
              </Show>
            </div>
          </Show>
        </aside>
      </div>
      <MappingPreview
        preview={problem() ? undefined : preview()}
        fieldKeys={mappedKeys()}
        refs={refs()}
        labelOf={labelOf}
        pending={pending()}
        message={problem()}
      />
    </div>
  );
}
