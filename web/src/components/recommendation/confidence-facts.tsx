import { Show } from "solid-js";
import type { Recommendation } from "../../lib/api.ts";
import {
  algorithmName,
  formatDate,
  formatDateTime,
  formatConfidence,
  formatNumber,
  formatPeriod,
  t,
} from "../../lib/i18n.ts";

/** A 0-100 quality score in words: the thresholds the reviewer reads the explanation with. */
const qualityLevel = (score: number) => (score >= 80 ? "good" : score >= 50 ? "fair" : "poor");

/**
 * What the figures of a recommendation mean: confidence as a measured purchase probability, the
 * customer's data quality when it was made (and today), and where it comes from.
 */
export function ConfidenceFacts(props: {
  recommendation: Recommendation;
  qualityToday: number | null;
}) {
  const r = () => props.recommendation;
  // To a tenth, as the review list shows it (45,7 % there and 46 % here read as two figures).
  const percent = () => Math.round(r().confidence * 1000) / 10;
  const period = () => formatPeriod(r().confidenceHorizonDays);
  const quality = () => r().customerQualityScore ?? props.qualityToday;
  return (
    <dl class="facts">
      <dt>{t("review.detail.confidence")}</dt>
      <dd>
        <strong data-testid="detail-confidence">{formatConfidence(r().confidence)}</strong>
        <span class="meter" aria-hidden="true">
          <span class="bar" style={{ width: `${Math.max(2, percent())}%` }} />
        </span>
        <div class="muted">
          {/* Whole customers: "about 34 in 100", or "about 3 in 1,000" below one in a hundred. */}
          {percent() < 0.1
            ? t("review.detail.confidenceMeaningTiny", { period: period() })
            : percent() < 1
              ? t("review.detail.confidenceMeaningThousand", {
                  n: formatNumber(Math.round(percent() * 10)),
                  period: period(),
                })
              : t("review.detail.confidenceMeaning", {
                  n: formatNumber(Math.round(percent())),
                  period: period(),
                })}
        </div>
      </dd>
      <dt>{t("review.detail.quality")}</dt>
      <dd data-testid="detail-quality">
        <Show when={quality() !== null} fallback={t("review.detail.qualityUnknown")}>
          <strong>{`${formatNumber(Math.round(quality()!))} / 100`}</strong>
          {" — "}
          {t(`review.detail.qualityLevels.${qualityLevel(quality()!)}`)}
          <Show
            when={
              props.qualityToday !== null &&
              r().customerQualityScore !== null &&
              Math.round(props.qualityToday) !== Math.round(r().customerQualityScore!)
            }
          >
            <div class="muted">
              {t("review.detail.qualityNow", {
                score: formatNumber(Math.round(props.qualityToday!)),
              })}
            </div>
          </Show>
        </Show>
      </dd>
      <dt>{t("review.detail.algorithm")}</dt>
      <dd>{algorithmName(r().algorithm)}</dd>
      <dt>{t("review.detail.rank")}</dt>
      <dd>{formatNumber(r().rank)}</dd>
      <Show when={r().createdAt}>
        {(at) => (
          <>
            <dt>{t("review.detail.proposedOn")}</dt>
            <dd>{formatDate(at())}</dd>
          </>
        )}
      </Show>
      <Show when={r().decidedAt}>
        {(at) => (
          <>
            <dt>{t("review.detail.decidedOn")}</dt>
            <dd>{formatDateTime(at())}</dd>
          </>
        )}
      </Show>
    </dl>
  );
}
