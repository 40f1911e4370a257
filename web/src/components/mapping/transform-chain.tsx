import { createSignal, For, Index, Show } from "solid-js";
import type { Transformation, TransformationKind } from "../../lib/api.ts";
import { locale, t } from "../../lib/i18n.ts";
import { moveStep, newStep } from "./mapping-state.ts";
import { TransformParams } from "./transform-params.tsx";

/** A field's steps, applied in order: add from the catalogue, set parameters, reorder, remove. */
export function TransformChain(props: {
  /** The field's name as shown to staff. */
  field: string;
  column: string;
  steps: Transformation[];
  catalogue: TransformationKind[];
  columns: string[];
  readOnly: boolean;
  onChange: (steps: Transformation[]) => void;
}) {
  const [kind, setKind] = createSignal("");
  const labelOf = (k: string) => props.catalogue.find((c) => c.kind === k)?.label[locale()] ?? k;
  const replace = (index: number, step: Transformation) =>
    props.onChange(props.steps.map((s, i) => (i === index ? step : s)));
  return (
    <div
      class="transform-chain"
      role="group"
      aria-label={t("mapping.chain.title", { field: props.field })}
    >
      <Show when={props.steps.length > 0}>
        <ol>
          <Index each={props.steps}>
            {(step, index) => (
              <li data-testid="transform-step">
                <span class="step-name">{labelOf(step().kind)}</span>
                <TransformParams
                  step={step()}
                  columns={props.columns}
                  readOnly={props.readOnly}
                  onChange={(next) => replace(index, next)}
                />
                <Show when={!props.readOnly}>
                  <span class="step-actions">
                    <button
                      type="button"
                      class="secondary"
                      disabled={index === 0}
                      aria-label={t("mapping.chain.upLabel", { step: labelOf(step().kind) })}
                      onClick={() => props.onChange(moveStep(props.steps, index, -1))}
                    >
                      {t("mapping.chain.up")}
                    </button>
                    <button
                      type="button"
                      class="secondary"
                      disabled={index === props.steps.length - 1}
                      aria-label={t("mapping.chain.downLabel", { step: labelOf(step().kind) })}
                      onClick={() => props.onChange(moveStep(props.steps, index, 1))}
                    >
                      {t("mapping.chain.down")}
                    </button>
                    <button
                      type="button"
                      class="secondary"
                      aria-label={t("mapping.chain.removeLabel", { step: labelOf(step().kind) })}
                      onClick={() => props.onChange(props.steps.filter((_, i) => i !== index))}
                    >
                      {t("mapping.chain.remove")}
                    </button>
                  </span>
                </Show>
              </li>
            )}
          </Index>
        </ol>
      </Show>
      <Show when={!props.readOnly}>
        <form
          class="add-step"
          onSubmit={(e) => {
            e.preventDefault();
            if (!kind()) return;
            props.onChange([...props.steps, newStep(kind(), props.column)]);
            setKind("");
          }}
        >
          <label>
            <span class="visually-hidden">{t("mapping.chain.add", { field: props.field })}</span>
            <select value={kind()} onChange={(e) => setKind(e.currentTarget.value)}>
              <option value="">{t("mapping.chain.add", { field: props.field })}</option>
              <For each={props.catalogue}>
                {(item) => <option value={item.kind}>{item.label[locale()]}</option>}
              </For>
            </select>
          </label>
          <button type="submit" disabled={!kind()}>
            {t("mapping.chain.addButton")}
          </button>
        </form>
      </Show>
    </div>
  );
}
