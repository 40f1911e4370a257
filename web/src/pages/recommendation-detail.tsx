import { useParams } from "@solidjs/router";
import { createResource, createSignal, Show } from "solid-js";
import { ConfidenceFacts } from "../components/recommendation/confidence-facts.tsx";
import { DecisionPanel } from "../components/recommendation/decision-panel.tsx";
import { FeedbackForm } from "../components/recommendation/feedback-form.tsx";
import { FeedbackHistory } from "../components/recommendation/feedback-history.tsx";
import { OtherCandidates } from "../components/recommendation/other-candidates.tsx";
import { PurchaseHistory } from "../components/recommendation/purchase-history.tsx";
import { SignedIn } from "../components/signed-in.tsx";
import { api, ApiError, type Recommendation } from "../lib/api.ts";
import { locale, t } from "../lib/i18n.ts";
import { listReturn } from "../lib/list-return.ts";
import { canEdit, me } from "../lib/session.ts";
import { whyItFailed } from "../lib/why-it-failed.ts";
import "../components/review.css";
import { EmailRefusal } from "../components/email-refusal.tsx";

/** One recommendation, with what a reviewer needs to judge it, decide and rate it. */
export default function RecommendationDetail() {
  return (
    <>
      <p>
        <a href={listReturn()}>{`← ${t("review.detail.back")}`}</a>
      </p>
      <SignedIn>
        <Detail />
      </SignedIn>
    </>
  );
}

function Detail() {
  const params = useParams();
  const [recommendation, { mutate }] = createResource(() => params.id, api.recommendation);
  const [context, { mutate: mutateContext }] = createResource(
    () => params.id,
    api.recommendationContext,
  );
  const [problem, setProblem] = createSignal<string | null>(null);
  const missing = () =>
    recommendation.error instanceof ApiError &&
    (recommendation.error.status === 404 || recommendation.error.status === 400);
  const mine = () => context.latest?.feedback.find((f) => f.by !== null && f.by === me()?.email);

  /** The decision shows at once and is undone if the server refuses it. */
  const decide = async (status: "approved" | "rejected", reason: string | null) => {
    const before = recommendation.latest!;
    setProblem(null);
    mutate({ ...before, status, rejectReason: reason });
    try {
      mutate(
        status === "approved" ? await api.approve(before.id) : await api.reject(before.id, reason!),
      );
    } catch (error) {
      mutate(before);
      setProblem(
        t(status === "approved" ? "review.failed.approve" : "review.failed.reject", {
          why: whyItFailed(error),
        }),
      );
    }
  };

  /** The reader's opinion joins the history at once, and leaves it again if saving fails. */
  const rate = async (rating: number, comment: string | null) => {
    const before = context.latest!;
    const now = new Date().toISOString();
    const who = me()?.email ?? null;
    const entry = { by: who, rating, comment, createdAt: mine()?.createdAt ?? now, updatedAt: now };
    mutateContext({
      ...before,
      feedback: [entry, ...before.feedback.filter((f) => f.by === null || f.by !== who)],
    });
    setProblem(null);
    try {
      await api.rate(recommendation.latest!.id, rating, comment);
      const r = recommendation.latest;
      if (r) {
        const others = before.feedback.filter((f) => f.by !== who);
        const ratings = [rating, ...others.map((f) => f.rating)];
        mutate({
          ...r,
          feedback: {
            count: ratings.length,
            meanRating: ratings.reduce((a, b) => a + b, 0) / ratings.length,
          },
        });
      }
      return true;
    } catch (error) {
      mutateContext(before);
      setProblem(t("review.detail.saveFailed", { why: whyItFailed(error) }));
      return false;
    }
  };

  return (
    <>
      <Show when={recommendation.loading && !recommendation.latest}>
        <p class="muted">{t("review.detail.loading")}</p>
      </Show>
      <Show when={recommendation.error}>
        <p role="alert" class="error">
          {missing() ? t("review.detail.notFound") : t("review.detail.loadError")}
        </p>
      </Show>
      <Show when={recommendation.latest}>{(r) => <Content recommendation={r()} />}</Show>
    </>
  );

  function Content(props: { recommendation: Recommendation }) {
    const r = () => props.recommendation;
    return (
      <div class="reco-detail">
        <h1>
          {t("review.detail.title", {
            wine: r().product.name,
            customer: r().customer.name || r().customer.code || "—",
          })}
        </h1>
        <p>
          <a href={`/customers/${r().customer.id}`} data-testid="detail-customer-link">
            {t("review.detail.customerFile")}
          </a>
        </p>
        <EmailRefusal reason={r().emailRefusal} />
        <Show when={problem()}>
          <p role="alert" class="error">
            {problem()}
          </p>
        </Show>
        <div class="reco-detail-grid">
          <section class="card wide">
            <h2>{t("review.detail.why")}</h2>
            <p class="explanation" data-testid="detail-explanation">
              {locale() === "fr" ? r().explanation.fr : r().explanation.en}
            </p>
            <Show when={r().explanation.fallback}>
              <p class="muted">{t("review.detail.fallback")}</p>
            </Show>
            <ConfidenceFacts
              recommendation={r()}
              qualityToday={context.latest?.customer.qualityScore ?? null}
            />
          </section>
          <section class="card wide">
            <h2>{t("review.detail.decision")}</h2>
            <DecisionPanel
              recommendation={r()}
              editable={canEdit()}
              onApprove={() => void decide("approved", null)}
              onReject={(reason) => void decide("rejected", reason)}
            />
            <Show when={canEdit() && context.latest}>
              <h2>{t("review.detail.rate")}</h2>
              <FeedbackForm
                rating={mine()?.rating ?? null}
                comment={mine()?.comment ?? null}
                onSave={rate}
              />
            </Show>
          </section>
        </div>
        <Show when={context.error}>
          <p role="alert" class="error">
            {t("review.detail.loadError")}
          </p>
        </Show>
        <Show when={context.latest}>
          {(c) => (
            <>
              <FeedbackHistory feedback={c().feedback} />
              <PurchaseHistory context={c()} />
              <OtherCandidates context={c()} />
            </>
          )}
        </Show>
      </div>
    );
  }
}
