import { AppError, type Trained, trainRecommender } from "@crm-reco/core";
import { type History, keysOf, sellableIds } from "./load-history.ts";
import { presentRecommendation } from "./generate.ts";

export interface ProspectCustomer {
  customerId: string;
  score: number;
  /** The model that ranked the product for this customer (the hybrid's strongest source). */
  algorithm: string;
  confidence: number;
  /** The product's rank in the customer's own list (1 = the first thing to offer them). */
  rankForCustomer: number;
  explanation: { fr: string; en: string; fallback: boolean; because: Array<string | undefined> };
}

/** How deep in each customer's list a product may sit and still count as a lead. */
const DEPTH = 50;

/**
 * "Which customers for this wine?": the customers most likely to buy a product (a new release, a
 * wine to move), ranked by the same calibrated confidence and explained the same way as their own
 * recommendations. A customer is a lead when the product is in the first 50 of their list.
 */
export function customersForProduct(
  history: History,
  productId: string,
  options: {
    asOf: string;
    k: number;
    trained?: Trained;
    /** Only these customers are leads (a segment a campaign targets); default everyone. */
    only?: (customerId: string) => boolean;
  },
): ProspectCustomer[] {
  const product = history.catalogue.get(productId);
  if (!product) throw new AppError("recommend.unknown_product", "No such product.");
  const trained = options.trained ?? trainForLeads(history, options.asOf, productId);
  const item = trained.data.itemIndex.get(productId);
  if (item === undefined) return [];
  const leads: ProspectCustomer[] = [];
  for (let u = 0; u < trained.data.customers.length; u++) {
    if (options.only && !options.only(trained.data.customers[u]!)) continue;
    const list = trained.model.recommendWithSources(u, DEPTH);
    const at = list.findIndex((s) => s.item === item);
    if (at < 0) continue;
    const { confidence, explanation } = presentRecommendation(
      trained,
      u,
      list[at]!,
      history.catalogue,
    );
    leads.push({
      customerId: trained.data.customers[u]!,
      score: list[at]!.score,
      algorithm: list[at]!.source,
      confidence,
      rankForCustomer: at + 1,
      explanation,
    });
  }
  return leads
    .sort(
      (a, b) =>
        b.confidence - a.confidence ||
        a.rankForCustomer - b.rankForCustomer ||
        b.score - a.score ||
        a.customerId.localeCompare(b.customerId),
    )
    .slice(0, options.k);
}

/**
 * The hybrid model leads are ranked with; trained once when a caller also needs its figures. The
 * wine asked about is ranked as if it were on sale: a vintage still in the cellar gets its list
 * before its launch (the campaign rule still marks each lead as kept off until it is on sale).
 */
export function trainForLeads(history: History, asOf: string, productId: string): Trained {
  const onSale = sellableIds(history);
  return trainRecommender(history.purchases, {
    algorithm: "hybrid",
    asOf,
    describe: (id) => {
      const product = history.catalogue.get(id);
      return product && id === productId ? { ...product, active: true } : product;
    },
    // A wine on sale is in the catalogue once: its model is the one every wine on sale gets.
    catalogue: onSale.includes(productId) ? onSale : [...onSale, productId],
    ...keysOf(history),
  });
}
