import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import type { ImportEntity, Source, SyncRun } from "../../lib/api.ts";
import { t } from "../../lib/i18n.ts";

const ENTITIES: ImportEntity[] = ["customers", "products", "order_lines"];

/**
 * Links into the mapping editor for each kind of file a source has delivered (an Odoo source:
 * every entity, read live).
 */
export function SourceMappingLinks(props: { source: Source; runs: SyncRun[] | undefined }) {
  const entities = () =>
    props.source.kind === "odoo"
      ? ENTITIES
      : ENTITIES.filter((e) => props.runs?.some((r) => r.entity === e && r.fileName));
  return (
    <Show when={entities().length > 0}>
      <p class="mapping-links">
        <For each={entities()}>
          {(entity, i) => (
            <>
              {i() > 0 ? " · " : ""}
              <A href={`/mappings/new?source=${props.source.id}&entity=${entity}`}>
                {t("mapping.list.sourceLink", { entity: t(`sources.entities.${entity}`) })}
              </A>
            </>
          )}
        </For>
      </p>
    </Show>
  );
}
