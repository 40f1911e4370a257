/** The campaign rules applied after ranking; every one configurable per campaign. */
export interface CampaignRules {
  /** At most this many recommendations per customer. */
  perCustomer: number;
  /** Not a product the customer bought less than this many days ago. */
  rebuyWindowDays: number;
  /** Not a customer contacted less than this many days ago (by any campaign). */
  contactGapDays: number;
  /** Only products still for sale (discontinued wines are never proposed). */
  onlyActiveProducts: boolean;
}

export const defaultRules: CampaignRules = {
  perCustomer: 3,
  rebuyWindowDays: 60,
  contactGapDays: 135,
  onlyActiveProducts: true,
};

export interface RuleContext {
  asOfDay: number;
  /** Items that can be sold (active products). */
  isActive(item: number): boolean;
  /** Days since the customer last bought the item, or undefined if never. */
  daysSinceBought(customer: number, item: number): number | undefined;
  /** Days since the customer was last contacted, or undefined if never. */
  daysSinceContact(customer: number): number | undefined;
  /** Staff rejected this product for this customer: never propose it again. */
  wasRejected(customer: number, item: number): boolean;
  /**
   * The wine a product is a vintage of (its cuvée and bottle size), or null when the catalogue
   * does not say: a customer's list holds one vintage of each wine (two vintages of one
   * Riesling among three suggestions read as one suggestion twice).
   */
  wineOf(item: number): string | null;
  /** The customer already bought a newer vintage of this wine: the older one is not offered. */
  boughtNewerVintage(customer: number, item: number): boolean;
  /** The product's vintage, or null (a non-vintage wine, or one the catalogue does not date). */
  vintageOf(item: number): number | null;
}

export type RuleOutcome<T> = {
  kept: T[];
  dropped: Array<{
    candidate: T;
    rule:
      | "inactive"
      | "recent_purchase"
      | "rejected_before"
      | "older_vintage"
      | "same_wine"
      | "contacted_recently"
      | "over_limit";
  }>;
};

/**
 * Filters one customer's ranked candidates by the campaign's rules, in order, saying which rule
 * dropped each one (the review screen shows it). Consent is not a rule here: it applies when a
 * customer is contacted or exported.
 */
export function applyRules<T extends { item: number }>(
  customer: number,
  ranked: T[],
  rules: CampaignRules,
  context: RuleContext,
): RuleOutcome<T> {
  const dropped: RuleOutcome<T>["dropped"] = [];
  const contacted = context.daysSinceContact(customer);
  if (contacted !== undefined && contacted < rules.contactGapDays) {
    return {
      kept: [],
      dropped: ranked.map((candidate) => ({ candidate, rule: "contacted_recently" as const })),
    };
  }
  // What each candidate is refused for on its own, before the list is made.
  const refusal = ranked.map((candidate) => {
    const bought = context.daysSinceBought(customer, candidate.item);
    return rules.onlyActiveProducts && !context.isActive(candidate.item)
      ? ("inactive" as const)
      : bought !== undefined && bought < rules.rebuyWindowDays
        ? ("recent_purchase" as const)
        : context.wasRejected(customer, candidate.item)
          ? ("rejected_before" as const)
          : context.boughtNewerVintage(customer, candidate.item)
            ? ("older_vintage" as const)
            : undefined;
  });
  // One vintage of each wine, and the newest the models found for the customer, in the place of
  // the first: an estate sells its current vintage ("Pinot Gris 2025" rather than the 2023 they
  // bought before, which the repurchase model ranks higher).
  const newest = new Map<string, number>();
  ranked.forEach((candidate, i) => {
    const wine = context.wineOf(candidate.item);
    if (wine === null || refusal[i]) return;
    const best = newest.get(wine);
    const vintage = context.vintageOf(candidate.item) ?? -Infinity;
    if (best === undefined || vintage > (context.vintageOf(ranked[best]!.item) ?? -Infinity))
      newest.set(wine, i);
  });
  const kept: T[] = [];
  const taken = new Set<number>();
  const wines = new Set<string>();
  ranked.forEach((candidate, i) => {
    if (taken.has(i)) return; // kept already, in the place of an older vintage
    const wine = context.wineOf(candidate.item);
    const rule =
      refusal[i] ??
      (wine !== null && wines.has(wine)
        ? ("same_wine" as const)
        : kept.length >= rules.perCustomer
          ? ("over_limit" as const)
          : undefined);
    if (rule) {
      dropped.push({ candidate, rule });
      return;
    }
    const chosen = wine === null ? i : newest.get(wine)!;
    kept.push(ranked[chosen]!);
    taken.add(chosen);
    if (wine !== null) wines.add(wine);
    if (chosen !== i) dropped.push({ candidate, rule: "same_wine" });
  });
  return { kept, dropped };
}
