import { A } from "@solidjs/router";
import { canonicalFields, type ImportEntity } from "@crm-reco/core/mapping/canonical-fields";
import { formatPercent, locale, t } from "../../lib/i18n.ts";
import type { UncertainField } from "../../lib/jobs.ts";

/**
 * After an import whose columns were recognised without certainty (a header near a field's
 * name, not a saved mapping): which columns became which fields, and the way to the mapping
 * editor to correct them before the next import.
 */
export function UncertainMapping(props: {
  sourceId: string;
  entity: ImportEntity;
  fields: UncertainField[];
}) {
  const label = (key: string) =>
    canonicalFields[props.entity].find((f) => f.key === key)?.label[locale()] ?? key;
  const list = () =>
    props.fields
      .map((u) =>
        t("sources.uncertainColumn", {
          column: u.column,
          field: label(u.field),
          percent: formatPercent(u.confidence),
        }),
      )
      .join(" ; ");
  return (
    <p class="warning" data-testid="uncertain-mapping">
      {t("sources.uncertainMapping", { columns: list() })}{" "}
      <A href={`/mappings/new?source=${props.sourceId}&entity=${props.entity}`}>
        {t("sources.checkMapping")}
      </A>
    </p>
  );
}
