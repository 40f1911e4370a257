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
  const kept: T[] = [];
  const wines = new Set<string>();
  for (const candidate of ranked) {
    const bought = context.daysSinceBought(customer, candidate.item);
    const wine = context.wineOf(candidate.item);
    const rule =
      rules.onlyActiveProducts && !context.isActive(candidate.item)
        ? "inactive"
        : bought !== undefined && bought < rules.rebuyWindowDays
          ? "recent_purchase"
          : context.wasRejected(customer, candidate.item)
            ? "rejected_before"
            : context.boughtNewerVintage(customer, candidate.item)
              ? "older_vintage"
              : wine !== null && wines.has(wine)
                ? "same_wine"
                : kept.length >= rules.perCustomer
                  ? "over_limit"
                  : undefined;
    if (rule) dropped.push({ candidate, rule });
    else {
      kept.push(candidate);
      if (wine !== null) wines.add(wine);
    }
  }
  return { kept, dropped };
}
