import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import type { MergeCandidate, MergeCandidateSide } from "../../lib/api.ts";
import { formatNumber, t } from "../../lib/i18n.ts";
import { displayPhone } from "../../lib/phone.ts";
import { foldText } from "@crm-reco/core/normalize/text";

const FIELDS = [
  "name",
  "code",
  "email",
  "phone",
  "address",
  "postalCode",
  "city",
  "kind",
  "sources",
  "orders",
] as const;
type Field = (typeof FIELDS)[number];

/** The identity resolver's reasons (French labels from core) by their dictionary key. */
const REASONS: Record<string, string> = {
  nom: "lastName",
  prénom: "firstName",
  "code postal": "postalCode",
  ville: "city",
  adresse: "street",
  "même e-mail": "sameEmail",
  "même téléphone": "samePhone",
  "même code client": "sameCode",
  "prénoms différents": "firstNamesDiffer",
  "autre numéro de rue": "otherHouseNumber",
  "autre rue": "otherStreet",
  "autre e-mail": "otherEmail",
  "autre téléphone": "otherPhone",
  "nom proche": "similarName",
};

const valueOf = (side: MergeCandidateSide, field: Field): string => {
  switch (field) {
    case "address":
      return side.addressLine1 ?? "";
    case "kind":
      return t(`customers.kinds.${side.kind}`);
    case "sources":
      return side.sources.join(", ");
    case "orders":
      return formatNumber(side.orders);
    case "phone":
      return displayPhone(side.phone);
    default:
      return side[field] ?? "";
  }
};
/** Differences a person would see: case, accents and spacing aside. */
const same = (a: string, b: string) => foldText(a) === foldText(b);

/** What argues against the pair being one person: shown apart from what they share. */
const AGAINST = new Set([
  "firstNamesDiffer",
  "otherHouseNumber",
  "otherStreet",
  "otherPhone",
  "otherEmail",
]);

/**
 * The resolver's score as staff read it, against the automatic merge's threshold (16): a pair
 * just under it shares almost everything but one thing that stopped the merge. "Almost
 * everything agrees" is not said of a pair whose records disagree on two things or more.
 */
const closeness = (score: number, against: number) =>
  score >= 16
    ? "merged"
    : score >= 13 && against < 2
      ? "veryClose"
      : score >= 10
        ? "close"
        : "distant";

export function reasonLabel(reason: string): string {
  const key = REASONS[reason];
  return key ? t(`customerFile.merge.reasonLabels.${key as "lastName"}`) : reason;
}

/** Two records side by side, the fields that differ highlighted, with why they were paired. */
export function MergePair(props: { candidate: MergeCandidate; index: number }) {
  return (
    <>
      <p class="merge-why">
        <strong>
          {t(
            `customerFile.merge.closeness.${closeness(
              props.candidate.score,
              props.candidate.reasons.filter((r) => AGAINST.has(REASONS[r] ?? "")).length,
            )}`,
          )}
        </strong>{" "}
        <span class="muted">
          {t("customerFile.merge.score", { score: formatNumber(props.candidate.score) })}
        </span>
      </p>
      <p class="merge-why">
        <span>{t("customerFile.merge.reasons")} :</span>
        <For each={props.candidate.reasons.filter((r) => !AGAINST.has(REASONS[r] ?? ""))}>
          {(reason) => <span class="tag">{reasonLabel(reason)}</span>}
        </For>
        <Show when={props.candidate.reasons.some((r) => AGAINST.has(REASONS[r] ?? ""))}>
          <span>{t("customerFile.merge.against")} :</span>
          <For each={props.candidate.reasons.filter((r) => AGAINST.has(REASONS[r] ?? ""))}>
            {(reason) => <span class="tag against">{reasonLabel(reason)}</span>}
          </For>
        </Show>
      </p>
      <table class="grid merge-table">
        <caption class="visually-hidden">
          {t("customerFile.merge.pair", { n: String(props.index + 1) })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t("customerFile.merge.field")}</th>
            <th scope="col">
              <A href={`/customers/${props.candidate.a.id}`}>{t("customerFile.merge.recordA")}</A>
            </th>
            <th scope="col">
              <A href={`/customers/${props.candidate.b.id}`}>{t("customerFile.merge.recordB")}</A>
            </th>
          </tr>
        </thead>
        <tbody>
          <For each={FIELDS}>
            {(field) => {
              const a = valueOf(props.candidate.a, field);
              const b = valueOf(props.candidate.b, field);
              // Only a value on both sides can disagree; an empty one is filled by the merge.
              const differs = a !== "" && b !== "" && !same(a, b);
              return (
                <tr classList={{ differs }} data-differs={differs ? "true" : undefined}>
                  <th scope="row">
                    {t(`customerFile.merge.fields.${field}`)}
                    <Show when={differs}>
                      <span class="differs-note"> {t("customerFile.merge.differs")}</span>
                    </Show>
                  </th>
                  <td>{a || "—"}</td>
                  <td>{b || "—"}</td>
                </tr>
              );
            }}
          </For>
        </tbody>
      </table>
    </>
  );
}
