import { createSignal, For, Show } from "solid-js";
import type { CellIssue, MappingPreview as Preview, Severity } from "../../lib/api.ts";
import { locale, t } from "../../lib/i18n.ts";
import type { Dictionary } from "../../lib/locales/fr.ts";
import { madeInto } from "./made-into.ts";
import type { FieldRefs } from "./mapping-state.ts";
import { TableScroll } from "../../ui/table-scroll.tsx";

type Row = Preview["rows"][number];
type RejectKey = keyof Dictionary["mapping"]["preview"]["reject"];
const REJECT_KEYS = new Set<string>([
  "required",
  "invalid_date",
  "invalid_number",
  "invalid_integer",
  "invalid_boolean",
  "invalid_consent",
  "invalid_kind",
  "invalid_size",
]);
const ORDER: Severity[] = ["critical", "high", "medium", "low"];

/** Why a row would not be imported, in words (the API's reason is a code and an English note). */
export function rejectionText(code: string, value: string): string {
  if (code === "row.extra_cells") return t("mapping.preview.reject.extra_cells");
  const key = code.replace(/^value\./, "");
  return t(`mapping.preview.reject.${(REJECT_KEYS.has(key) ? key : "transform") as RejectKey}`, {
    value,
  });
}

interface Problem {
  severity: Severity;
  text: string;
}

/** The problems of one cell (or, with `field` null, of the row as a whole), worst first. */
function problemsOf(row: Row, field: string | null, shown: Set<string>, raw: string): Problem[] {
  const mine = (f: string | null) =>
    field === null ? f === null || f === "" || !shown.has(f) : f === field;
  const rejected = row.rejected
    .filter((r) => mine(r.field))
    .map((r) => ({ severity: "critical" as const, text: rejectionText(r.code, raw) }));
  const issues = row.issues
    .filter((i: CellIssue) => mine(i.field))
    .map((i) => ({ severity: i.severity, text: i.message[locale()] }));
  return [...rejected, ...issues].sort(
    (a, b) => ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity),
  );
}

function shownValue(value: unknown, field?: string): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "boolean") return t(value ? "mapping.preview.yes" : "mapping.preview.no");
  // The import keeps codes (private, opt_out); the staff read them as the customer pages say.
  if (field === "kind" && (value === "private" || value === "trade"))
    return t(`customers.kinds.${value}`);
  if (field?.startsWith("consent_") && isConsent(value)) return t(`customers.consents.${value}`);
  return String(value);
}
const CONSENTS = ["opt_in", "soft_opt_in", "opt_out", "unknown"] as const;
const isConsent = (value: unknown): value is (typeof CONSENTS)[number] =>
  (CONSENTS as readonly unknown[]).includes(value);

/** What the import keeps of a cell: its value, or what the normalisation made of it. */
function keptText(
  row: Row,
  field: string,
  mapped: Set<string>,
  labelOf: (field: string) => string,
): string | null {
  const kept = shownValue(row.normalized?.[field], field);
  if (kept !== null) return kept;
  const parts = madeInto(field, row.normalized, mapped).map(([into, value]) =>
    t("mapping.preview.becomes", { field: labelOf(into), value: shownValue(value, into)! }),
  );
  return parts.length > 0 ? parts.join(" · ") : null;
}

/**
 * Each sample row, field by field: the value read beside the value the import would keep, a cell
 * with a problem highlighted by its severity and explained; rows that would be rejected marked.
 */
export function MappingPreview(props: {
  preview: Preview | undefined;
  /** Mapped fields, in the catalogue's order. */
  fieldKeys: string[];
  refs: FieldRefs;
  labelOf: (field: string) => string;
  pending: boolean;
  /** Why there is no up-to-date preview (an incomplete mapping, a failed request). */
  message: string | null;
}) {
  const [onlyIssues, setOnlyIssues] = createSignal(false);
  const shown = () => new Set(props.fieldKeys);
  const rows = () =>
    (props.preview?.rows ?? []).filter(
      (r) => !onlyIssues() || r.rejected.length > 0 || r.issues.some((i) => i.severity !== "low"),
    );
  return (
    <section class="mapping-preview" aria-busy={props.pending}>
      <h2>{t("mapping.preview.title")}</h2>
      <div class="preview-toolbar">
        <label class="inline">
          <input
            type="checkbox"
            checked={onlyIssues()}
            onChange={(e) => setOnlyIssues(e.currentTarget.checked)}
          />
          {t("mapping.preview.onlyIssues")}
        </label>
        <span role="status" class="muted">
          {props.pending ? t("mapping.preview.updating") : ""}
        </span>
      </div>
      <Show when={props.message}>
        <p class="error" role="alert">
          {props.message}
        </p>
      </Show>
      <Show when={props.preview}>
        <Show when={props.fieldKeys.length > 0} fallback={<p>{t("mapping.preview.noFields")}</p>}>
          <TableScroll label={t("mapping.preview.title")}>
            <table class="grid preview-table">
              <thead>
                <tr>
                  <th scope="col">{t("mapping.preview.line")}</th>
                  <For each={props.fieldKeys}>
                    {(key) => (
                      <th scope="col">
                        {props.labelOf(key)}
                        <Show when={props.refs[key]?.column !== props.labelOf(key)}>
                          <div class="muted">{props.refs[key]?.column}</div>
                        </Show>
                      </th>
                    )}
                  </For>
                  <th scope="col">{t("mapping.preview.rowIssues")}</th>
                </tr>
              </thead>
              <tbody>
                <For
                  each={rows()}
                  fallback={
                    <tr>
                      <td colSpan={props.fieldKeys.length + 2}>{t("mapping.preview.noRows")}</td>
                    </tr>
                  }
                >
                  {(row) => (
                    <tr classList={{ rejected: row.normalized === null }} data-testid="preview-row">
                      <th scope="row">
                        {row.line}
                        <Show when={row.normalized === null}>
                          <span class="tag rejected">{t("mapping.preview.rejected")}</span>
                        </Show>
                      </th>
                      <For each={props.fieldKeys}>
                        {(key) => {
                          const raw = () => row.raw[props.refs[key]?.column ?? ""] ?? "";
                          const normalized = () => keptText(row, key, shown(), props.labelOf);
                          const problems = () => problemsOf(row, key, shown(), raw());
                          const worst = () => problems()[0]?.severity;
                          return (
                            <td
                              class={worst() ? `cell-issue severity-${worst()}` : undefined}
                              data-testid="preview-cell"
                              data-field={key}
                            >
                              <span class="raw">{raw() === "" ? "∅" : raw()}</span>
                              <span class="arrow">{" → "}</span>
                              <span class="normalized" classList={{ "no-value": !normalized() }}>
                                {normalized() ?? t("mapping.preview.noValue")}
                              </span>
                              <For each={problems()}>
                                {(p) => <p class={`problem severity-${p.severity}`}>{p.text}</p>}
                              </For>
                            </td>
                          );
                        }}
                      </For>
                      <td>
                        <For each={problemsOf(row, null, shown(), row.raw[""] ?? "")}>
                          {(p) => <p class={`problem severity-${p.severity}`}>{p.text}</p>}
                        </For>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </TableScroll>
        </Show>
      </Show>
    </section>
  );
}
