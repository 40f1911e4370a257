import {
  type EvaluationResult,
  evaluate,
  fitContentBased,
  fitEase,
  fitItemKnn,
  fitPopularity,
  fitRebuy,
  type Interactions,
} from "@crm-reco/core";
import type { History } from "./load-history.ts";

/**
 * The offline evaluation of every algorithm on an estate's own history (the figures the audit page
 * shows): models fitted before the split date, judged on the following purchases, full catalogue.
 */
export function evaluateEstate(
  history: History,
  options: { splitDate: string; k: number; horizonDays?: number },
): EvaluationResult[] {
  const attributesOf = (data: Interactions) => data.items.map((id) => history.catalogue.get(id)!);
  return evaluate(
    history.purchases,
    [
      (data) => fitPopularity(data),
      (data) => fitItemKnn(data, { similarity: "cosine" }),
      (data) => fitItemKnn(data, { similarity: "bm25" }),
      (data) => fitEase(data),
      (data) => fitContentBased(data, attributesOf(data)),
      (data) =>
        fitRebuy(
          data,
          attributesOf(data),
          attributesOf(data).map((a) => a.active),
        ),
    ],
    {
      splitDate: options.splitDate,
      k: options.k,
      horizonDays: options.horizonDays,
      weighting: { kind: "decay", halfLifeDays: 365 },
    },
  );
}
