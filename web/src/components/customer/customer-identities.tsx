import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import type { CustomerDetail } from "../../lib/api.ts";
import { formatDate, formatNumber, t } from "../../lib/i18n.ts";

/** One person across sources: each source's id for them, and the records merged to make them one. */
export function CustomerIdentities(props: {
  identities: CustomerDetail["identities"];
  merges: CustomerDetail["merges"];
}) {
  return (
    <section class="card wide" aria-labelledby="identities-title">
      <h2 id="identities-title">{t("customerFile.identities")}</h2>
      <table class="grid" data-testid="identities">
        <thead>
          <tr>
            <th scope="col">{t("customerFile.source")}</th>
            <th scope="col">{t("customerFile.externalId")}</th>
            <th scope="col">{t("customerFile.provenance")}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.identities}>
            {(identity) => (
              <tr data-testid="identity-row">
                <td>{identity.source}</td>
                <td>
                  <code>{identity.externalId}</code>
                </td>
                <td>
                  <Show when={identity.mergedFrom} fallback={t("customerFile.ownRecord")}>
                    {(from) => (
                      <>
                        {t("customerFile.mergedFrom")}{" "}
                        <A href={`/customers/${from().customerId}`}>
                          {from().name || from().code || "—"}
                        </A>
                      </>
                    )}
                  </Show>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={props.merges.length > 0}>
        <h3>{t("customerFile.merges")}</h3>
        <ul data-testid="merges">
          <For each={props.merges}>
            {(merge) => (
              <li>
                <A href={`/customers/${merge.customerId}`}>{merge.name || merge.code || "—"}</A>
                <Show when={merge.code}> ({merge.code})</Show> —{" "}
                {t(`customerFile.mergeMethods.${merge.method}`)}
                <Show when={merge.score !== null && Number.isFinite(merge.score)}>
                  {" "}
                  ({formatNumber(Math.round(merge.score! * 10) / 10)})
                </Show>
                , {t("customerFile.mergedOn", { date: formatDate(merge.mergedAt) })}
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
