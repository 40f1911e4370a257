import { createResource, createSignal, For, Show } from "solid-js";
import { api, ApiError, type ImportEntity, type MappingFields } from "../../lib/api.ts";
import { locale, t } from "../../lib/i18n.ts";
import { TableScroll } from "../../ui/table-scroll.tsx";

const ENTITIES: ImportEntity[] = ["customers", "products", "order_lines"];

/**
 * The first rows of the source's latest file of one kind, as read, with what the import makes of
 * each: imported or rejected (and why), and the cells that raise an issue.
 */
export function FilePreview(props: { sourceId: string }) {
  const [entity, setEntity] = createSignal<ImportEntity>("customers");
  const [preview] = createResource(
    () => ({ id: props.sourceId, entity: entity() }),
    async ({ id, entity }) => {
      try {
        return await api.sourceFile(id, entity, 20);
      } catch (error) {
        // No file of this kind yet is an answer, not a failure.
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  );
  return (
    <>
      <label for="preview-entity">{t("sourceDetail.previewEntity")}</label>{" "}
      <select
        id="preview-entity"
        value={entity()}
        onChange={(e) => setEntity(e.currentTarget.value as ImportEntity)}
      >
        <For each={ENTITIES}>{(e) => <option value={e}>{t(`sources.entities.${e}`)}</option>}</For>
      </select>
      <Show when={preview.error}>
        <p role="alert" class="error">
          {t("sourceDetail.loadFailed", { reason: (preview.error as Error).message })}
        </p>
      </Show>
      <Show when={preview() === null}>
        <p class="muted">{t("sourceDetail.previewEmpty")}</p>
      </Show>
      <Show when={preview()}>
        {(p) => (
          <>
            <p class="muted">
              {t("sourceDetail.previewOf", {
                name: p().file.name,
                format: p().file.format,
                encoding: p().file.encoding ?? "—",
                delimiter: p().file.delimiter === "\t" ? "tab" : (p().file.delimiter ?? "—"),
              })}
            </p>
            <Show when={p().missingRequired.length}>
              <p class="error" role="alert">
                {t("sourceDetail.missingRequired", { fields: p().missingRequired.join(", ") })}
              </p>
            </Show>
            <TableScroll label={t("sourceDetail.preview")}>
              <table class="grid preview" data-testid="file-preview">
                <thead>
                  <tr>
                    <th scope="col">{t("sourceDetail.line")}</th>
                    <th scope="col">{t("sourceDetail.rowStatus")}</th>
                    <For each={p().file.columns}>{(c) => <th scope="col">{c}</th>}</For>
                  </tr>
                </thead>
                <tbody>
                  <For each={p().preview.rows}>
                    {(row) => {
                      const flagged = new Set(row.issues.map((i) => i.field));
                      const issues = [
                        ...row.rejected.map((r) => r.message),
                        ...row.issues.map((i) => i.message[locale()]),
                      ];
                      return (
                        <tr data-testid="preview-row" class={row.normalized ? "" : "rejected-row"}>
                          <td>{row.line}</td>
                          <td>
                            <span class={`tag ${row.normalized ? "approved" : "rejected"}`}>
                              {row.normalized
                                ? t("sourceDetail.rowOk")
                                : t("sourceDetail.rowRejected")}
                            </span>
                            <Show when={issues.length}>
                              <ul class="issues">
                                <For each={issues}>{(m) => <li>{m}</li>}</For>
                              </ul>
                            </Show>
                          </td>
                          <For each={p().file.columns}>
                            {(c) => (
                              <td
                                classList={{
                                  "cell-issue": flagged.has(fieldOfColumn(p().mapping, c)),
                                }}
                              >
                                {row.raw[c]}
                              </td>
                            )}
                          </For>
                        </tr>
                      );
                    }}
                  </For>
                </tbody>
              </table>
            </TableScroll>
          </>
        )}
      </Show>
    </>
  );
}

/** Issues name the canonical field; the mapping says which column feeds it. */
function fieldOfColumn(mapping: MappingFields, column: string): string | null {
  for (const [field, source] of Object.entries(mapping))
    if ((typeof source === "string" ? source : source.column) === column) return field;
  return null;
}
