import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type CampaignRules, defaultRules } from "@crm-reco/core";
import type { Db } from "../adapters/db/database.ts";
import { campaigns } from "../db/schema/index.ts";

/** The estate-wide rules live on its campaign of this slug, created on first save. */
export const DEFAULT_CAMPAIGN = "default";

/** What an admin may set; the bounds keep a typo (K = 300, a gap of 40 years) from being saved. */
export const CampaignRulesInput = z.object({
  perCustomer: z
    .number()
    .int()
    .min(1)
    .max(20)
    .meta({ description: "At most this many recommendations per customer (K)", example: 3 }),
  rebuyWindowDays: z.number().int().min(0).max(3650).meta({
    description: "Not a wine the customer bought less than this many days ago",
    example: 60,
  }),
  contactGapDays: z.number().int().min(0).max(3650).meta({
    description: "Not a customer contacted less than this many days ago",
    example: 135,
  }),
  onlyActiveProducts: z.boolean().meta({ description: "Only wines still for sale", example: true }),
});
export type CampaignRulesInput = z.infer<typeof CampaignRulesInput>;

/**
 * The estate's campaign rules: what is stored on its default campaign, each missing or unreadable
 * field (an older row, a hand edit) falling back to `defaultRules`.
 */
export async function loadCampaignRules(db: Db, tenantId: string): Promise<CampaignRules> {
  const [row] = await db
    .select({ rules: campaigns.rules })
    .from(campaigns)
    .where(and(eq(campaigns.tenantId, tenantId), eq(campaigns.slug, DEFAULT_CAMPAIGN)));
  const stored = CampaignRulesInput.partial().safeParse(row?.rules ?? {});
  const rules: CampaignRules = { ...defaultRules };
  if (!stored.success) return rules;
  for (const [key, value] of Object.entries(stored.data))
    if (value !== undefined) Object.assign(rules, { [key]: value });
  return rules;
}

/** Stores the estate's rules on its default campaign (created if missing); returns them. */
export async function saveCampaignRules(
  db: Db,
  tenantId: string,
  rules: CampaignRulesInput,
): Promise<CampaignRules> {
  await db
    .insert(campaigns)
    .values({ tenantId, slug: DEFAULT_CAMPAIGN, name: "Règles du domaine", rules })
    .onConflictDoUpdate({
      target: [campaigns.tenantId, campaigns.slug],
      set: { rules, updatedAt: sql`now()` },
    });
  return { ...rules };
}
