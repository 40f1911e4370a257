import { createResource, createSignal, For, Show } from "solid-js";
import { api, type CampaignRules } from "../../lib/api.ts";
import { formatNumber, t } from "../../lib/i18n.ts";
import { errorText } from "./error-text.ts";
import { Loaded } from "./loaded.tsx";

type NumberRule = "perCustomer" | "rebuyWindowDays" | "contactGapDays";
// The server's bounds (functions/src/recommend/campaign-rules.ts), checked here to explain early.
const bounds: Record<NumberRule, { min: number; max: number }> = {
  perCustomer: { min: 1, max: 20 },
  rebuyWindowDays: { min: 0, max: 3650 },
  contactGapDays: { min: 0, max: 3650 },
};
const numberRules = Object.keys(bounds) as NumberRule[];

/** The estate's campaign rules, each number explained; saving applies them to the next generation. */
export function RulesForm() {
  const [loaded, { mutate }] = createResource(api.campaignRules);
  const [draft, setDraft] = createSignal<Record<NumberRule, string> | null>(null);
  const [onlyActive, setOnlyActive] = createSignal<boolean | null>(null);
  const [errors, setErrors] = createSignal<Partial<Record<NumberRule, string>>>({});
  const [state, setState] = createSignal<"idle" | "saving" | "saved" | string>("idle");

  const value = (rule: NumberRule) => draft()?.[rule] ?? String(loaded()?.rules[rule] ?? "");
  const active = () => onlyActive() ?? loaded()?.rules.onlyActiveProducts ?? true;
  const edit = (rule: NumberRule, text: string) => {
    setDraft({
      ...Object.fromEntries(numberRules.map((r) => [r, value(r)])),
      [rule]: text,
    } as Record<NumberRule, string>);
    setState("idle");
  };
  const fill = (rules: CampaignRules) => {
    setDraft(
      Object.fromEntries(numberRules.map((r) => [r, String(rules[r])])) as Record<
        NumberRule,
        string
      >,
    );
    setOnlyActive(rules.onlyActiveProducts);
    setErrors({});
    setState("idle");
  };

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const problems: Partial<Record<NumberRule, string>> = {};
    const numbers = {} as Record<NumberRule, number>;
    for (const rule of numberRules) {
      const text = value(rule).trim();
      const n = Number(text);
      const { min, max } = bounds[rule];
      if (text === "" || !Number.isInteger(n) || n < min || n > max)
        problems[rule] = t("settings.rules.wholeNumber", {
          min: formatNumber(min),
          max: formatNumber(max),
        });
      numbers[rule] = n;
    }
    setErrors(problems);
    if (Object.keys(problems).length > 0) return setState("idle");
    setState("saving");
    try {
      const saved = await api.saveCampaignRules({ ...numbers, onlyActiveProducts: active() });
      mutate(saved);
      setDraft(null);
      setOnlyActive(null);
      setState("saved");
    } catch (cause) {
      setState(errorText(cause));
    }
  };

  return (
    <section class="card wide settings-section" id="rules" aria-labelledby="rules-title">
      <h2 id="rules-title">{t("settings.rules.title")}</h2>
      <p class="muted">{t("settings.rules.intro")}</p>
      <Loaded resource={loaded}>
        <form class="rules-form" onSubmit={save} noValidate>
          <For each={numberRules}>
            {(rule) => (
              <div class="field">
                <label for={`rule-${rule}`}>{t(`settings.rules.${rule}`)}</label>
                <input
                  id={`rule-${rule}`}
                  type="number"
                  inputmode="numeric"
                  min={bounds[rule].min}
                  max={bounds[rule].max}
                  step="1"
                  value={value(rule)}
                  aria-invalid={errors()[rule] ? "true" : undefined}
                  aria-describedby={`rule-${rule}-help${errors()[rule] ? ` rule-${rule}-error` : ""}`}
                  onInput={(e) => edit(rule, e.currentTarget.value)}
                />
                <p class="help" id={`rule-${rule}-help`}>
                  {t(`settings.rules.${rule}Help`, {
                    value: formatNumber(loaded()!.defaults[rule]),
                  })}
                </p>
                <Show when={errors()[rule]}>
                  <p class="error" id={`rule-${rule}-error`} role="alert">
                    {errors()[rule]}
                  </p>
                </Show>
              </div>
            )}
          </For>
          <div class="field">
            <label class="check">
              <input
                type="checkbox"
                checked={active()}
                aria-describedby="rule-active-help"
                onChange={(e) => {
                  setOnlyActive(e.currentTarget.checked);
                  setState("idle");
                }}
              />
              {t("settings.rules.onlyActiveProducts")}
            </label>
            <p class="help" id="rule-active-help">
              {t("settings.rules.onlyActiveProductsHelp")}
            </p>
          </div>
          <div class="actions">
            <button type="submit" disabled={state() === "saving"}>
              {state() === "saving" ? t("settings.rules.saving") : t("settings.rules.save")}
            </button>
            <button type="button" class="secondary" onClick={() => fill(loaded()!.defaults)}>
              {t("settings.rules.reset")}
            </button>
            <Show when={state() === "saved"}>
              <span class="notice" role="status">
                {t("settings.rules.savedNext")}
              </span>
            </Show>
            <Show when={!["idle", "saving", "saved"].includes(state())}>
              <span class="error" role="alert">
                {state()}
              </span>
            </Show>
          </div>
        </form>
      </Loaded>
    </section>
  );
}
