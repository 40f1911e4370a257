import { A, useNavigate } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { SignedIn } from "../components/signed-in.tsx";
import { api, ApiError, type ImportEntity } from "../lib/api.ts";
import { formatDateTime, formatNumber, t } from "../lib/i18n.ts";
import "../components/mapping/mapping.css";
import { TableScroll } from "../ui/table-scroll.tsx";

const ENTITIES: ImportEntity[] = ["customers", "products", "order_lines"];

/** Every saved mapping version, newest first, and a way into the editor from a source's latest file. */
export default function Mappings() {
  return (
    <>
      <h1>{t("nav.mappings")}</h1>
      <SignedIn>
        <StartMapping />
        <MappingList />
      </SignedIn>
    </>
  );
}

function StartMapping() {
  const [sources] = createResource(api.sources);
  const [source, setSource] = createSignal("");
  const [entity, setEntity] = createSignal<ImportEntity>("customers");
  const navigate = useNavigate();
  const chosen = () => source() || sources()?.items[0]?.id || "";
  return (
    <Show when={sources()}>
      {(list) => (
        <Show
          when={list().items.length > 0}
          fallback={<p class="muted">{t("mapping.list.noSources")}</p>}
        >
          <form
            class="toolbar card wide mapping-start"
            aria-label={t("mapping.list.start")}
            onSubmit={(e) => {
              e.preventDefault();
              navigate(`/mappings/new?source=${chosen()}&entity=${entity()}`);
            }}
          >
            <p class="start-title">{t("mapping.list.start")}</p>
            <label>
              {t("mapping.list.source")}
              <select value={chosen()} onChange={(e) => setSource(e.currentTarget.value)}>
                <For each={list().items}>
                  {(s) => (
                    <option value={s.id} selected={s.id === chosen()}>
                      {s.name}
                    </option>
                  )}
                </For>
              </select>
            </label>
            <label>
              {t("mapping.list.entity")}
              <select
                value={entity()}
                onChange={(e) => setEntity(e.currentTarget.value as ImportEntity)}
              >
                <For each={ENTITIES}>
                  {(x) => <option value={x}>{t(`sources.entities.${x}`)}</option>}
                </For>
              </select>
            </label>
            <button type="submit">{t("mapping.list.startButton")}</button>
          </form>
        </Show>
      )}
    </Show>
  );
}

function MappingList() {
  const [data] = createResource(async () => {
    const [mappings, sources] = await Promise.all([api.mappings(), api.sources()]);
    return { mappings: mappings.items, names: new Map(sources.items.map((s) => [s.id, s.name])) };
  });
  return (
    <>
      <Show when={data.loading}>
        <p role="status">{t("mapping.list.loading")}</p>
      </Show>
      <Show when={data.error}>
        <p role="alert" class="error">
          {t("mapping.list.failed", {
            reason: data.error instanceof ApiError ? data.error.message : String(data.error),
          })}
        </p>
      </Show>
      <Show when={data()}>
        {(d) => (
          <Show when={d().mappings.length > 0} fallback={<p>{t("mapping.list.empty")}</p>}>
            <TableScroll label={t("nav.mappings")}>
              <table class="grid mapping-list">
                <thead>
                  <tr>
                    <th scope="col">{t("mapping.list.source")}</th>
                    <th scope="col">{t("mapping.list.entity")}</th>
                    <th scope="col">{t("mapping.list.version")}</th>
                    <th scope="col">{t("mapping.list.when")}</th>
                    <th scope="col">{t("mapping.list.by")}</th>
                    <th scope="col">{t("mapping.list.quality")}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={d().mappings}>
                    {(m) => (
                      <tr data-testid="mapping-row">
                        <td>{d().names.get(m.sourceId) ?? "—"}</td>
                        <td>{t(`sources.entities.${m.entity}`)}</td>
                        <td>
                          <A href={`/mappings/${m.id}`}>
                            {t("mapping.list.open", { version: m.version })}
                          </A>
                        </td>
                        <td>{formatDateTime(m.createdAt)}</td>
                        <td>
                          {m.createdBy ?? <span class="muted">{t("mapping.list.byImport")}</span>}
                        </td>
                        <td>
                          {m.qualityScore === null
                            ? "—"
                            : `${formatNumber(Math.round(m.qualityScore))}/100`}
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </TableScroll>
          </Show>
        )}
      </Show>
    </>
  );
}
