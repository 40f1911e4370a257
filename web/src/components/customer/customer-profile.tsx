import { For, Show } from "solid-js";
import type { CustomerDetail } from "../../lib/api.ts";
import { displayPhone } from "../../lib/phone.ts";
import { formatDate, formatNumber, t, tierName } from "../../lib/i18n.ts";

/** Who the customer is: contact details, consent per channel with where it came from, segment. */
export function CustomerProfile(props: { customer: CustomerDetail }) {
  const c = () => props.customer;
  const address = () =>
    [c().addressLine1, [c().postalCode, c().city].filter(Boolean).join(" "), c().country]
      .filter(Boolean)
      .join(", ");
  return (
    <div class="customer-cards">
      <section class="card" aria-labelledby="contact-title">
        <h2 id="contact-title">{t("customerFile.contact")}</h2>
        <dl class="facts">
          <dt>{t("customerFile.code")}</dt>
          <dd data-testid="customer-code">{c().code ?? "—"}</dd>
          <dt>{t("customerFile.kind")}</dt>
          <dd>{c().kind ? t(`customers.kinds.${c().kind!}`) : "—"}</dd>
          <dt>{t("customerFile.email")}</dt>
          <dd>{c().email ?? "—"}</dd>
          <dt>{t("customerFile.phone")}</dt>
          <dd>{displayPhone(c().phone) || "—"}</dd>
          <Show when={c().mobile && c().mobile !== c().phone}>
            <dt>{t("customerFile.mobile")}</dt>
            <dd data-testid="customer-mobile">{displayPhone(c().mobile)}</dd>
          </Show>
          <dt>{t("customerFile.address")}</dt>
          <dd>{address() || "—"}</dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="segment-title">
        <h2 id="segment-title">{t("customerFile.segment")}</h2>
        <dl class="facts">
          <dt>{t("customerFile.tier")}</dt>
          <dd data-testid="customer-tier">
            {tierName(c().tier)}
            <Show when={c().segment}>
              {(s) => (
                <div class="muted">
                  {t("customerFile.rfm", {
                    r: String(s().recency),
                    f: String(s().frequency),
                    m: String(s().monetary),
                  })}
                </div>
              )}
            </Show>
          </dd>
          <Show when={c().segment}>
            {(s) => (
              <>
                <Show when={s().reorderIntervalDays}>
                  <dt>{t("customerFile.reorder")}</dt>
                  <dd>
                    {t("customerFile.reorderDays", {
                      days: formatNumber(s().reorderIntervalDays!),
                    })}
                  </dd>
                </Show>
                <Show when={s().expectedNextOrderOn}>
                  <dt>{t("customerFile.nextOrder")}</dt>
                  <dd data-testid="next-order">
                    {/* A date gone by is a customer late to reorder: worth a call. */}
                    {s().expectedNextOrderOn! < new Date().toISOString().slice(0, 10)
                      ? t("customerFile.nextOrderLate", {
                          date: formatDate(s().expectedNextOrderOn!),
                        })
                      : formatDate(s().expectedNextOrderOn!)}
                  </dd>
                </Show>
              </>
            )}
          </Show>
          <dt>{t("customerFile.quality")}</dt>
          <dd>{c().qualityScore === null ? "—" : `${Math.round(c().qualityScore!)}/100`}</dd>
        </dl>
        <Show when={!c().segment}>
          <p class="muted">{t("customerFile.noSegment")}</p>
        </Show>
      </section>
      <section class="card" aria-labelledby="consents-title">
        <h2 id="consents-title">{t("customerFile.consents")}</h2>
        <table class="grid" data-testid="consents">
          <thead>
            <tr>
              <th scope="col">{t("customerFile.channel")}</th>
              <th scope="col">{t("customerFile.status")}</th>
              <th scope="col">{t("customerFile.origin")}</th>
            </tr>
          </thead>
          <tbody>
            <For each={c().consents}>
              {(consent) => (
                <tr>
                  <th scope="row">{t(`customerFile.channels.${consent.channel}`)}</th>
                  <td>
                    <span class={`tag consent-${consent.status}`}>
                      {t(`customers.consents.${consent.status}`)}
                    </span>
                  </td>
                  <td>
                    {consent.source ?? t("customerFile.noOrigin")}
                    <Show when={consent.at}>
                      <div class="muted">
                        {t("customerFile.since")} {formatDate(consent.at!)}
                      </div>
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </section>
    </div>
  );
}
