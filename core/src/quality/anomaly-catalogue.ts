import { canonicalFields } from "../mapping/canonical-fields.ts";
import { foldText } from "../normalize/text.ts";
export type Severity = "critical" | "high" | "medium" | "low";

interface AnomalyKind {
  severity: Severity;
  fr: string;
  en: string;
}

/**
 * Every anomaly the importer reports, with its severity and a plain-language message in French
 * and English (`{field}` and `{value}` are filled in). Codes are stable: staff decisions
 * (resolved, ignored) are remembered against them.
 */
export const anomalyCatalogue = {
  "row.rejected": {
    severity: "critical",
    fr: "Ligne non importée : {value}",
    en: "Row not imported: {value}",
  },
  "file.failed": {
    severity: "critical",
    fr: "Fichier non importé : {value}",
    en: "File not imported: {value}",
  },
  "sync.failed": {
    severity: "critical",
    fr: "Synchronisation interrompue : {value}",
    en: "Sync stopped: {value}",
  },
  "customer.deleted_in_source": {
    severity: "low",
    fr: "Client supprimé dans la source (code {value}) : son historique est conservé",
    en: "Customer deleted in the source (code {value}): their history is kept",
  },
  "product.code_changed": {
    severity: "medium",
    fr: "Référence d'article changée dans la source ({value}) : ses ventes d'avant restent sous l'ancienne",
    en: "Product reference changed in the source ({value}): its earlier sales stay under the old one",
  },
  "order_line.negative_quantity": {
    severity: "critical",
    fr: "Quantité négative ({value}) sur une facture qui n'est pas un avoir",
    en: "Negative quantity ({value}) on a document that is not a credit note",
  },
  "email.invalid": {
    severity: "high",
    fr: "E-mail invalide : {value}",
    en: "Invalid e-mail: {value}",
  },
  "email.several": {
    severity: "low",
    fr: "Plusieurs e-mails dans le champ, les envois vont au premier : {value}",
    en: "Several e-mails in the field, mailings go to the first: {value}",
  },
  "customer.duplicate_in_source": {
    severity: "high",
    fr: "Client présent plusieurs fois dans le fichier, avec des valeurs différentes : seule sa dernière ligne est gardée (code {value})",
    en: "Customer appears several times in the file with different values: only their last row is kept (code {value})",
  },
  "product.duplicate_in_source": {
    severity: "high",
    fr: "Article présent plusieurs fois dans le fichier, avec des valeurs différentes : seule sa dernière ligne est gardée (code {value})",
    en: "Product appears several times in the file with different values: only its last row is kept (code {value})",
  },
  "customer.unknown": {
    severity: "medium",
    fr: "Vente pour un client absent du fichier clients : {value} (fiche créée avec ce que dit la vente, sans adresse ni consentement)",
    en: "Sale for a customer not in the customer file: {value} (a record made from what the sale says, without address or consent)",
  },
  "product.unknown": {
    severity: "high",
    fr: "Ligne de vente pour un article inconnu du catalogue : {value}",
    en: "Order line for a product not in the catalogue: {value}",
  },
  "date.future": {
    severity: "high",
    fr: "Date dans le futur : {value}",
    en: "Date in the future: {value}",
  },
  "phone.invalid": {
    severity: "medium",
    // Well written or not, a number no operator was given ("04 02 50 32 00") is no number.
    fr: "Numéro de téléphone non valide : {value}",
    en: "Phone number not valid: {value}",
  },
  "postal_code.invalid": {
    severity: "medium",
    fr: "Code postal invalide : {value}",
    en: "Invalid postal code: {value}",
  },
  "postal_code.unknown": {
    severity: "medium",
    fr: "Code postal inexistant : {value}",
    en: "Postal code does not exist: {value}",
  },
  "postal_code.city_mismatch": {
    severity: "medium",
    fr: "Le code postal ne correspond pas à la ville : {value}",
    en: "Postal code does not match the town: {value}",
  },
  "country.unknown": {
    severity: "medium",
    fr: "Pays inconnu : {value}",
    en: "Unknown country: {value}",
  },
  "price.outlier": {
    severity: "medium",
    fr: "Prix inhabituel pour cet article : {value}",
    en: "Unusual price for this product: {value}",
  },
  "price.vat_mismatch": {
    severity: "medium",
    fr: "Prix HT et TTC incohérents (TVA 20 %) : {value}",
    en: "Prices excl. and incl. VAT disagree (20 % VAT): {value}",
  },
  "vintage.future": {
    severity: "medium",
    fr: "Millésime dans le futur : {value}",
    en: "Vintage in the future: {value}",
  },
  "order_line.total_mismatch": {
    severity: "medium",
    fr: "Quantité × prix unitaire ≠ montant : {value}",
    en: "Quantity × unit price ≠ total: {value}",
  },
  "customer.no_contact": {
    severity: "low",
    fr: "Client sans e-mail ni téléphone",
    en: "Customer with neither e-mail nor phone",
  },
  "field.missing": {
    severity: "low",
    fr: "Champ utile vide : {field}",
    en: "Useful field empty: {field}",
  },
} as const satisfies Record<string, AnomalyKind>;

export type AnomalyCode = keyof typeof anomalyCatalogue;

export interface Anomaly {
  code: AnomalyCode;
  severity: Severity;
  field: string | null;
  /** The value concerned, as read (for the message and the review screen). */
  value: string | null;
  message: { fr: string; en: string };
}

export function anomaly(code: AnomalyCode, field: string | null, value: unknown): Anomaly {
  const kind = anomalyCatalogue[code];
  const text = value === null || value === undefined ? null : String(value);
  const fill = (template: string, language: "fr" | "en") =>
    template
      .replaceAll("{field}", field === null ? "" : (FIELD_LABELS.get(field)?.[language] ?? field))
      .replaceAll("{value}", text ?? "");
  return {
    code,
    severity: kind.severity,
    field,
    value: text,
    message: { fr: fill(kind.fr, "fr"), en: fill(kind.en, "en") },
  };
}

/** Letters and digits only, folded: "E-mail" says "Email". */
// Where the value is the explanation ("Ligne non importée : <why>"), a message is the group's label.
const VALUE_IS_THE_REASON = new Set(["row.rejected", "file.failed", "sync.failed"]);
const bare = (text: string) => foldText(text).replace(/[^\p{L}\p{N}]/gu, "");

/**
 * What a group of anomalies of one code and field have in common, without any one's value:
 * "Numéro de téléphone non valide (Portable)" for seven different mobiles, where the first one's
 * message read as one number seven times. The field is named unless the words already say it
 * or explain themselves in brackets.
 */
export function anomalyGroupLabel(
  code: string,
  field: string | null,
): { fr: string; en: string } | null {
  const kind = (anomalyCatalogue as Record<string, AnomalyKind>)[code];
  if (!kind || VALUE_IS_THE_REASON.has(code)) return null;
  const label = (template: string, language: "fr" | "en") => {
    const name = field === null ? null : (FIELD_LABELS.get(field)?.[language] ?? field);
    const text = template
      .replaceAll("{field}", name ?? "")
      .replace(/\s*\((?:code )?\{value\}\)/g, "")
      .replace(/\s*:\s*\{value\}/g, "")
      .replaceAll("{value}", "")
      .replace(/\s*:\s*$/, "")
      .trim();
    return name === null ||
      template.includes("{field}") ||
      text.includes("(") ||
      bare(text).includes(bare(name))
      ? text
      : `${text} (${name})`;
  };
  return { fr: label(kind.fr, "fr"), en: label(kind.en, "en") };
}

/** A field as staff read it in a message ("E-mail", "Code postal"), not as the code names it. */
const FIELD_LABELS = new Map(
  Object.values(canonicalFields)
    .flat()
    .reverse()
    .map((f) => [f.key, f.label]),
);
