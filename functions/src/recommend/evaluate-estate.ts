import {
  DEFAULT_WEIGHTING,
  type EvaluationResult,
  evaluate,
  fitItemKnn,
  fitModels,
  type Interactions,
  type Model,
  trainRecommender,
} from "@crm-reco/core";
import { type History, keysOf } from "./load-history.ts";

/**
 * The offline evaluation of every algorithm on an estate's own history: each fitted on the
 * purchases before the split date as a run fits it (same weighting, same default settings), and
 * judged on the following purchases, full catalogue. The hybrid, what a run recommends, is trained
 * as `crm-reco recommend --as-of <the day before>` would: its weights chosen on a backtest of that
 * history alone, never on the months it is judged on. Item-kNN with BM25 weights is measured too.
 */
export function evaluateEstate(
  history: History,
  options: { splitDate: string; k: number; horizonDays?: number },
): EvaluationResult[] {
  const describe = (id: string) => history.catalogue.get(id);
  const keys = keysOf(history);
  // Every single model fitted once, on the matrix `evaluate` gives each fitter (the same one).
  let fitted: ReturnType<typeof fitModels> | undefined;
  const single = (key: keyof ReturnType<typeof fitModels>) => (data: Interactions) =>
    (fitted ??= fitModels(data, describe))[key];
  return evaluate(
    history.purchases,
    [
      single("popularity"),
      single("repeat"),
      single("itemknn"),
      (data) => fitItemKnn(data, { similarity: "bm25" }),
      single("rp3beta"),
      single("ease"),
      single("content"),
      single("rebuy"),
      // `data` holds the purchases before the split, as of the day before: what a run would see.
      (data) => {
        if (data.customers.length === 0) return { name: "hybrid", recommend: () => [] };
        const trained = trainRecommender(history.purchases, {
          algorithm: "hybrid",
          asOf: data.asOf,
          describe,
          ...keys,
        });
        return inIndexesOf(data, trained.data, trained.model);
      },
    ],
    {
      splitDate: options.splitDate,
      k: options.k,
      horizonDays: options.horizonDays,
      weighting: DEFAULT_WEIGHTING,
      ...keys,
    },
  );
}

/**
 * A model fitted on one matrix (`own`), asked and answering in the indexes of another built from
 * the same purchases (`judged`): customers and items are matched by id.
 */
function inIndexesOf(judged: Interactions, own: Interactions, model: Model): Model {
  const toOwnItem = (i: number) => own.itemIndex.get(judged.items[i]!);
  return {
    name: model.name,
    recommend(u, k, exclude) {
      const v = own.customerIndex.get(judged.customers[u]!);
      if (v === undefined) return [];
      const ownExclude =
        exclude && new Set([...exclude].map(toOwnItem).filter((i) => i !== undefined));
      return (
        model
          .recommend(v, k, ownExclude)
          // No reasons: an evaluation reads none, and theirs name items in the other matrix.
          .map((s) => ({
            item: judged.itemIndex.get(own.items[s.item]!) ?? -1,
            score: s.score,
            because: [],
          }))
          .filter((s) => s.item >= 0)
      );
    },
  };
}
