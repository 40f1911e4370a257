import { createResource, createSignal, For, Show } from "solid-js";
import { api, type SourceSchedule } from "../../lib/api.ts";
import { formatDateTimeIn, t } from "../../lib/i18n.ts";
import { errorText } from "./error-text.ts";
import { Loaded } from "./loaded.tsx";

const presets = { nightly: "0 2 * * *", hourly: "0 * * * *" } as const;
type Choice = keyof typeof presets | "off" | "custom";
const choiceOf = (schedule: string | null): Choice =>
  schedule === null
    ? "off"
    : ((Object.keys(presets) as Array<keyof typeof presets>).find((k) => presets[k] === schedule) ??
      "custom");

/** When each Odoo source syncs on its own: a preset or a cron expression, and the next run. */
export function SchedulesSection() {
  const [schedules, { mutate }] = createResource(api.schedules);
  const saved = (next: SourceSchedule) =>
    mutate((list) =>
      list ? { items: list.items.map((s) => (s.sourceId === next.sourceId ? next : s)) } : list,
    );
  return (
    <section class="card wide settings-section" id="schedules" aria-labelledby="schedules-title">
      <h2 id="schedules-title">{t("settings.schedules.title")}</h2>
      <p class="muted">{t("settings.schedules.intro")}</p>
      <Loaded resource={schedules}>
        <Show
          when={schedules()!.items.length > 0}
          fallback={<p>{t("settings.schedules.empty")}</p>}
        >
          <For each={schedules()!.items}>
            {(source) => <ScheduleRow source={source} onSaved={saved} />}
          </For>
        </Show>
      </Loaded>
    </section>
  );
}

function ScheduleRow(props: { source: SourceSchedule; onSaved: (s: SourceSchedule) => void }) {
  const [choice, setChoice] = createSignal<Choice>(choiceOf(props.source.schedule));
  const [cron, setCron] = createSignal(props.source.schedule ?? "");
  const [state, setState] = createSignal<"idle" | "saving" | "saved" | string>("idle");
  const id = `schedule-${props.source.sourceId}`;

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const c = choice();
    const schedule = c === "off" ? null : c === "custom" ? cron().trim() : presets[c];
    if (schedule === "") return setState(t("settings.schedules.invalid"));
    setState("saving");
    try {
      const next = await api.setSchedule(props.source.sourceId, schedule);
      props.onSaved(next);
      setCron(next.schedule ?? "");
      setState("saved");
    } catch (cause) {
      setState(errorText(cause));
    }
  };

  return (
    <form class="schedule-row" onSubmit={save} data-testid="schedule-row">
      <h3>{props.source.name}</h3>
      <label class="field" for={`${id}-choice`}>
        {t("settings.schedules.frequency")}
        <select
          id={`${id}-choice`}
          aria-label={t("settings.schedules.frequencyOf", { name: props.source.name })}
          value={choice()}
          onChange={(e) => {
            setChoice(e.currentTarget.value as Choice);
            setState("idle");
          }}
        >
          <option value="nightly">{t("settings.schedules.presets.nightly")}</option>
          <option value="hourly">{t("settings.schedules.presets.hourly")}</option>
          <option value="off">{t("settings.schedules.presets.off")}</option>
          <option value="custom">{t("settings.schedules.presets.custom")}</option>
        </select>
      </label>
      <Show when={choice() === "custom"}>
        <label class="field">
          {t("settings.schedules.cron", { name: props.source.name })}
          <input
            value={cron()}
            maxLength={100}
            placeholder="0 2 * * *"
            aria-describedby={`${id}-help`}
            onInput={(e) => {
              setCron(e.currentTarget.value);
              setState("idle");
            }}
          />
          <span class="muted" id={`${id}-help`}>
            {t("settings.schedules.cronHelp")}
          </span>
        </label>
      </Show>
      <button type="submit" disabled={state() === "saving"}>
        {t("settings.schedules.save")}
      </button>
      <p data-testid="next-run">
        {props.source.problem
          ? t("settings.schedules.problem", { message: props.source.problem })
          : props.source.nextRunAt
            ? t("settings.schedules.nextRun", {
                date: formatDateTimeIn(props.source.nextRunAt, props.source.timeZone),
                zone: props.source.timeZone,
              })
            : t("settings.schedules.noRun")}
      </p>
      <Show when={state() === "saved"}>
        <p class="notice" role="status">
          {t("settings.saved")}
        </p>
      </Show>
      <Show when={!["idle", "saving", "saved"].includes(state())}>
        <p class="error" role="alert">
          {state()}
        </p>
      </Show>
    </form>
  );
}
