import { t } from "../lib/i18n.ts";

/** Previous / next over a paged API list (`offset` and `total` as the API returns them). */
export function Pager(props: {
  offset: number;
  pageSize: number;
  total: number;
  onChange: (offset: number) => void;
}) {
  return (
    <div class="pager">
      <button
        type="button"
        disabled={props.offset === 0}
        onClick={() => props.onChange(Math.max(0, props.offset - props.pageSize))}
      >
        {t("reco.previous")}
      </button>
      <button
        type="button"
        disabled={props.offset + props.pageSize >= props.total}
        onClick={() => props.onChange(props.offset + props.pageSize)}
      >
        {t("reco.next")}
      </button>
    </div>
  );
}
