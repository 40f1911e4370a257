import { createSignal, For, Show } from "solid-js";
import { api, type Product, type ProductKind, productKinds } from "../lib/api.ts";
import { t } from "../lib/i18n.ts";
import { canEdit } from "../lib/session.ts";

/**
 * What a product is, as guessed from its name or chosen by the team. Editors correct a guess
 * here (a wine taken for a case, a glass taken for a wine); imports then keep their choice.
 */
export function ProductKindField(props: { product: Product; onSaved: (p: Product) => void }) {
  const [saving, setSaving] = createSignal(false);
  const [message, setMessage] = createSignal<"kindSaved" | "kindError" | null>(null);
  let select: HTMLSelectElement | undefined;
  const save = async (kind: ProductKind | null) => {
    setSaving(true);
    setMessage(null);
    try {
      props.onSaved(await api.setProductKind(props.product.id, kind));
      setMessage("kindSaved");
    } catch {
      // The choice was not saved: the select shows the kind again, not the refused choice.
      if (select) select.value = props.product.kind;
      setMessage("kindError");
    } finally {
      setSaving(false);
    }
  };
  const how = () => t(props.product.kindByStaff ? "wines.kindChosen" : "wines.kindGuessed");
  return (
    <div class="product-kind">
      <Show
        when={canEdit()}
        fallback={
          <span>
            {t(`wines.kinds.${props.product.kind}`)} <span class="muted">({how()})</span>
          </span>
        }
      >
        <select
          ref={(el) => (select = el)}
          aria-label={t("wines.kind")}
          value={props.product.kind}
          disabled={saving()}
          onChange={(e) => void save(e.currentTarget.value as ProductKind)}
        >
          <For each={productKinds}>
            {(kind) => <option value={kind}>{t(`wines.kinds.${kind}`)}</option>}
          </For>
        </select>{" "}
        <span class="muted">{how()}</span>
        <Show when={props.product.kindByStaff}>
          {" "}
          <button type="button" class="link" disabled={saving()} onClick={() => void save(null)}>
            {t("wines.kindReset")}
          </button>
        </Show>
      </Show>
      <Show when={message()}>
        {(m) => (
          <span
            role={m() === "kindError" ? "alert" : "status"}
            class={m() === "kindError" ? "error" : "muted"}
          >
            {" "}
            {t(`wines.${m()}`)}
          </span>
        )}
      </Show>
    </div>
  );
}
