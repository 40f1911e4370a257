import { type Tier, tierNamesFr } from "@crm-reco/core/recommend/segments";

/**
 * The mailing file as the estate's staff read it when the app is in French: its columns named
 * as on the customer pages, a customer's segment and the ground for writing to them in words.
 * The English file keeps the codes, for scripts and tools that read them.
 */
const HEADERS: Record<string, string> = {
  email: "E-mail",
  address_line1: "Adresse 1",
  address_line2: "Adresse 2",
  postal_code: "Code postal",
  city: "Ville",
  country: "Pays",
  phone: "Téléphone",
  civility: "Civilité",
  first_name: "Prénom",
  last_name: "Nom",
  company: "Société",
  customer_code: "N° client",
  segment: "Segment",
  consent_basis: "Base légale",
  products: "Vins",
  skus: "Codes articles",
  prices: "Prix TTC",
  explanation: "Pourquoi",
  recommendation_ids: "Identifiants des recommandations",
};

const BASES: Record<string, string> = {
  opt_in: "consentement",
  soft_opt_in: "client existant (produits analogues)",
  b2b_legitimate_interest: "intérêt légitime (professionnel)",
  unknown: "inconnue",
};

export const frenchHeader = (column: string) => HEADERS[column] ?? column;
export const frenchSegment = (tier: string | null) =>
  tier ? (tierNamesFr[tier as Tier] ?? tier) : tier;
export const frenchBasis = (basis: string) => BASES[basis] ?? basis;
