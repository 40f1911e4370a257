import { A, useLocation, useNavigate, useParams, useSearchParams } from "@solidjs/router";
import { createResource, Show } from "solid-js";
import { MappingEditor } from "../components/mapping/mapping-editor.tsx";
import { SignedIn } from "../components/signed-in.tsx";
import { api, ApiError, type ImportEntity } from "../lib/api.ts";
import { formatDateTime, formatNumber, t } from "../lib/i18n.ts";
import { canEdit } from "../lib/session.ts";

const ENTITIES: ImportEntity[] = ["customers", "products", "order_lines"];

/** Everything the editor needs: the version (if any), the source's latest file of its entity, the suggestion and the catalogues. */
async function load(key: { id?: string; source?: string; entity?: string }) {
  const version = key.id ? await api.mapping(key.id) : null;
  const sourceId = version?.sourceId ?? key.source;
  const entity = version?.entity ?? (key.entity as ImportEntity | undefined);
  if (!sourceId || !entity || !ENTITIES.includes(entity))
    throw new ApiError(400, "request.invalid", t("mapping.editor.missingSource"));
  const [file, fields, catalogue, sources] = await Promise.all([
    api.sourceFile(sourceId, entity),
    api.mappingFields(),
    api.transformations(),
    api.sources(),
  ]);
  const sample = { entity, columns: file.file.columns, rows: file.file.rows };
  const suggestion = await api.suggestMapping({ ...sample, sourceId });
  return {
    version,
    sourceId,
    sourceName: sources.items.find((s) => s.id === sourceId)?.name ?? "",
    fileName: file.file.name,
    sample,
    suggestion,
    initial: version?.fields ?? suggestion.mapping.fields,
    fields: fields[entity],
    catalogue,
  };
}

/** `/mappings/new?source=…&entity=…` (from a source's latest file) and `/mappings/:id` (a saved version). */
export default function MappingEditorPage() {
  return (
    <SignedIn>
      <EditorLoader />
    </SignedIn>
  );
}

function EditorLoader() {
  const params = useParams<{ id?: string }>();
  const [search] = useSearchParams<{ source?: string; entity?: string }>();
  const navigate = useNavigate();
  // The version just saved, told by the editor that navigated here.
  const location = useLocation<{ saved?: number } | undefined>();
  const [data] = createResource(
    () => ({ id: params.id, source: search.source, entity: search.entity }),
    load,
  );
  return (
    <>
      <p>
        <A href="/mappings">{t("mapping.editor.back")}</A>
      </p>
      <Show when={data.loading}>
        <p role="status">{t("mapping.editor.loading")}</p>
      </Show>
      <Show when={data.error}>
        <p role="alert" class="error">
          {t("mapping.editor.loadFailed", {
            reason: data.error instanceof ApiError ? data.error.message : String(data.error),
          })}
        </p>
      </Show>
      <Show when={!data.loading && !data.error && data()} keyed>
        {(d) => (
          <>
            <h1>
              {d.version
                ? t("mapping.editor.titleVersion", { version: d.version.version })
                : t("mapping.editor.titleNew")}
              {" — "}
              {t("mapping.editor.heading", {
                source: d.sourceName,
                entity: t(`sources.entities.${d.sample.entity}`),
              })}
            </h1>
            <p class="muted">
              {t("mapping.editor.file", {
                name: d.fileName,
                columns: formatNumber(d.sample.columns.length),
                rows: formatNumber(d.sample.rows.length),
              })}
              <Show when={d.version}>
                {(v) => (
                  <>
                    {" "}
                    {t("mapping.editor.savedBy", {
                      when: formatDateTime(v().createdAt),
                      by: v().createdBy ?? t("mapping.list.byImport"),
                    })}
                  </>
                )}
              </Show>
            </p>
            <Show when={d.version && location.state?.saved === d.version.version}>
              <p role="status" class="notice">
                {t("mapping.editor.saved", { version: d.version!.version })}
              </p>
            </Show>
            <MappingEditor
              sourceId={d.sourceId}
              sample={d.sample}
              suggestion={d.suggestion}
              initial={d.initial}
              fields={d.fields}
              catalogue={d.catalogue}
              readOnly={!canEdit()}
              onSaved={(saved) =>
                navigate(`/mappings/${saved.id}`, { state: { saved: saved.version } })
              }
            />
          </>
        )}
      </Show>
    </>
  );
}
